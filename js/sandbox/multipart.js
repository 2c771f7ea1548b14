// multipart/form-data parsing (boundary from Content-Type, part headers, filename / filename*); malformed input → 400 ApiError.
import { ApiError } from "./http.js";

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_PARTS = 10000;

const bad = (why) => new ApiError(400, `malformed multipart/form-data body: ${why}`);

/** Parses `; key=value; key="quoted"` parameters of a header value into a lowercase-keyed object. */
function headerParams(value) {
  const params = {};
  const re = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const [, key, raw] of value.matchAll(re)) {
    const trimmed = raw.trim();
    params[key.toLowerCase()] = trimmed.startsWith('"') ? trimmed.slice(1, -1).replace(/\\(.)/g, "$1") : trimmed;
  }
  return params;
}

/** The media type (lowercase, without parameters) of a Content-Type value. */
export const mediaType = (contentType) => String(contentType ?? "").split(";")[0].trim().toLowerCase();

function extendedValue(value) {
  // RFC 5987: charset'language'percent-encoded (read as UTF-8, the only charset RFC 7578 senders use)
  const found = /^[^']*'[^']*'(.*)$/.exec(value);
  if (!found) throw bad("invalid filename* parameter");
  try {
    return decodeURIComponent(found[1]);
  } catch {
    throw bad("invalid percent-encoding in filename*");
  }
}

function parseHeaders(text) {
  const headers = {};
  let last = null;
  for (const line of text.split("\r\n")) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw bad(`invalid part header line ${JSON.stringify(line.slice(0, 80))}`);
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return headers;
}

function makePart(headerText, data) {
  const headers = headerText === "" ? {} : parseHeaders(headerText);
  const disposition = headers["content-disposition"];
  if (!disposition || mediaType(disposition) !== "form-data") throw bad("a part has no Content-Disposition: form-data header");
  const params = headerParams(disposition);
  if (!params.name) throw bad("a part has no name");
  const filename = params["filename*"] !== undefined ? extendedValue(params["filename*"]) : params.filename ?? null;
  return { name: params.name, filename, contentType: headers["content-type"] ?? null, data };
}

/** Parses a multipart/form-data body into `[{ name, filename, contentType, data: Buffer }]`. */
export function parseMultipart(body, contentType) {
  const { boundary } = headerParams(String(contentType));
  if (!boundary || boundary.length > 200) throw bad("missing or invalid boundary parameter");
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.concat([CRLF, delimiter]);
  let pos = 0;
  if (!body.subarray(0, delimiter.length).equals(delimiter)) {
    const found = body.indexOf(separator);
    if (found < 0) throw bad("opening boundary not found");
    pos = found + 2;
  }
  const parts = [];
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos += 1;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw bad("boundary line not followed by CRLF");
    pos += 2;
    let headerText = "";
    let contentStart = pos + 2;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) {
      const headerEnd = body.indexOf(HEADER_END, pos);
      if (headerEnd < 0) throw bad("part headers not terminated by an empty line");
      headerText = body.subarray(pos, headerEnd).toString("utf8");
      contentStart = headerEnd + 4;
    }
    const next = body.indexOf(separator, contentStart);
    if (next < 0) throw bad("closing boundary not found");
    parts.push(makePart(headerText, body.subarray(contentStart, next)));
    if (parts.length > MAX_PARTS) throw bad(`more than ${MAX_PARTS} parts`);
    pos = next + 2;
  }
}
