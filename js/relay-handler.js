// The request handling of createRelay() (relay.js checks the options and loads this file on the first request):
// refusals of cross-site and unmarked requests, the app's authorize hook, bodies read within their limits, the
// signed forward, and LuxSci's answer passed on with the relay's credentials redacted. Its own answers carry
// fixed texts and the relay's mark. Nothing the browser sent in Cookie or Authorization is forwarded: each
// forwarded request is built afresh.
import { LuxSciValidationError } from "./errors.js";

// Room for the json part's own header lines, beyond maxJsonBytes, while its end is searched for.
const PART_HEAD_BYTES = 8 * 1024;
// LuxSci's answers up to this size are read and redacted; larger 2xx answers (reports) stream through.
const REDACTED_BYTES = 64 * 1024;
const PASSED_HEADERS = ["content-type", "retry-after", "date"];
const METHODS = ["GET", "POST", "PUT", "DELETE"];
const encoder = new TextEncoder();

/** The relay's own answer: a refusal or a limit, with the status and the text the caller is told. */
class Refusal {
  constructor(status, message) {
    this.status = status;
    this.message = message;
  }
}

const tooLarge = (option, limit) => new Refusal(413, `the body exceeds this relay's ${option} (${limit} bytes)`);

/** The relay `setup` (createRelay's checked options) as a (Request) => Promise<Response> that never throws. */
export function handler(setup) {
  const relay = { ...setup, scope: scopeRule(setup.scope), allow: allowRule(setup.allow, setup.matchOperation) };
  return (request) => handle(request, relay);
}

async function handle(request, { authorize, scope, limits, origins, prefix, allow, client, mark, report }) {
  const cors = corsHeaders(request, origins, mark);
  const answer = (status, message) => reply(status, message, mark, cors);
  const upload = {}; // where the upload stream records a limit it ran into
  try {
    const url = new URL(request.url);
    if (prefix && !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) return answer(404, "not a relay path");
    const method = request.method.toUpperCase();
    if (method === "OPTIONS") return preflight(request, origins, mark);
    if (crossSite(request, origins, url)) return answer(403, "cross-site requests are refused (Origin / Sec-Fetch-Site)");
    if (request.headers.get(mark.header) !== mark.request) {
      return answer(403, `only the SDK's relay-mode client may use this relay (its requests carry ${mark.header}: ${mark.request})`);
    }
    let authorized;
    try {
      authorized = await authorize(request);
    } catch (error) {
      report(error, request);
      return answer(500, "the relay's authorize() failed");
    }
    if (!authorized) return answer(401, "not authorized to use this relay");
    const path = url.pathname.slice(prefix.length);
    if (!allow.permits(method, path)) return answer(403, `${method} ${path} is not a LuxSci operation this relay forwards`);
    if (!scope.permits(path)) return answer(403, "this relay serves another account or user");
    const body = await relayedBody(request, method, limits, upload);
    const response = await client.forwardSigned({ method, path, query: url.search.slice(1), signal: request.signal, ...body });
    return await passOn(response, client, mark, cors);
  } catch (error) {
    const refusal = error instanceof Refusal ? error : upload.refusal;
    if (refusal) return answer(refusal.status, refusal.message);
    if (error?.name === "LuxSciValidationError") return answer(400, error.message);
    report(error, request);
    return answer(...failure(error));
  }
}

// /account/{id}/… only of accountId (none without it); /user/{name}/… only of username when given, else of any user
// of the account. Given neither, the relay serves what the integration itself may reach.
function scopeRule({ accountId, username }) {
  if (accountId === undefined && username === undefined) return { permits: () => true };
  return {
    permits(path) {
      const [, , , , kind, owner] = path.split("/");
      if (kind !== "account" && kind !== "user") return true;
      let decoded;
      try {
        decoded = decodeURIComponent(owner ?? "");
      } catch {
        return false;
      }
      if (kind === "account") return decoded === accountId;
      return username === undefined || decoded === username;
    },
  };
}

// Table operations are forwarded unless `allow` names some operationIds, which then are the only ones;
// `allow` entries of the form "METHOD /path/{param}" add endpoints beyond the table.
function allowRule(entries, matchOperation) {
  const ids = new Set(entries.filter((e) => !e.includes(" ")));
  const extra = entries.filter((e) => e.includes(" ")).map((e) => {
    const [method, template] = e.split(" ");
    const source = template.replace(/^\/perl\/api\/v2/, "").split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+");
    return { method: method.toUpperCase(), pattern: new RegExp(`^/perl/api/v2${source}$`) };
  });
  return {
    permits(method, path) {
      const id = matchOperation(method, path);
      if (id) return ids.size === 0 || ids.has(id);
      return extra.some((e) => e.method === method && e.pattern.test(path));
    },
  };
}

// Fixed texts: an error's own message may name LuxSci's address or echo what the app's code threw.
function failure(error) {
  switch (error?.name) {
    case "LuxSciTimeoutError":
    case "TimeoutError":
      return [504, "LuxSci did not answer within the relay's timeoutMs"];
    case "LuxSciConnectionError":
      return [502, "the relay could not reach LuxSci"];
    case "LuxSciAuthError":
      return [502, "LuxSci refused the relay's credentials"];
    case "LuxSciApiError":
      // The only API errors thrown rather than passed on: a redirect (on any call), or an unusable auth answer.
      return error.status >= 300 && error.status < 400
        ? [502, "LuxSci answered with a redirect, which is never followed"]
        : [502, "LuxSci did not authenticate the relay"];
    case "LuxSciAbortError":
    case "AbortError":
      return [502, "the call was aborted"];
    default:
      return [502, "the relay failed"];
  }
}

function reply(status, message, mark, cors) {
  return new Response(JSON.stringify({ success: 0, error_message: message }), {
    status,
    headers: { ...cors, "content-type": "application/json", [mark.header]: mark.relay },
  });
}

// A browser marks a request from another site with Sec-Fetch-Site (and its Origin); browsers too old to
// send Sec-Fetch-Site are judged by Origin's host against the relay's own.
function crossSite(request, origins, url) {
  const origin = request.headers.get("origin");
  if (origin !== null && origins.has(origin)) return false;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site !== "same-origin" && site !== "none";
  if (origin === null) return false;
  try {
    return new URL(origin).host !== url.host;
  } catch {
    return true; // "null": a sandboxed or opaque origin
  }
}

function corsHeaders(request, origins, mark) {
  const origin = request.headers.get("origin");
  if (origin === null || !origins.has(origin)) return origins.size ? { vary: "Origin" } : {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": [mark.header, ...PASSED_HEADERS].join(", "),
    vary: "Origin",
  };
}

// Preflights are granted to allowedOrigins only: any other cross-origin script cannot send the relay-mode header.
// A listed origin may send the headers it asks for (its page's own credentials for authorize, say).
function preflight(request, origins, mark) {
  const origin = request.headers.get("origin");
  const method = (request.headers.get("access-control-request-method") ?? "").toUpperCase();
  if (origin === null || !origins.has(origin) || !METHODS.includes(method)) {
    return reply(403, "cross-origin use of this relay is not allowed from this origin", mark, origins.size ? { vary: "Origin" } : {});
  }
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": METHODS.join(", "),
      "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? `content-type, ${mark.header}`,
      "access-control-max-age": "600",
      vary: "Origin",
    },
  });
}

// JSON only as application/json (the one type a cross-site form cannot send), uploads as multipart/form-data;
// each read within its limit, a declared Content-Length over it refused before anything is read.
async function relayedBody(request, method, limits, upload) {
  if (method === "GET" || method === "DELETE" || request.body === null) return {};
  const contentType = request.headers.get("content-type");
  const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (media === "multipart/form-data") {
    if (declared > limits.upload) throw tooLarge("maxUploadBytes", limits.upload);
    const boundary = /boundary=(?:"([^"]{1,70})"|([^;\s"]{1,70}))(?:;|\s|$)/i.exec(contentType);
    if (!boundary) throw new LuxSciValidationError("multipart body without a boundary of 1 to 70 characters");
    const counted = capped(request.body, limits.upload, upload);
    const { jsonText, stream } = await splitJsonPart(counted, boundary[1] ?? boundary[2], limits.json);
    return { body: stream, contentType, jsonText };
  }
  if (media === "application/json") {
    if (declared > limits.json) throw tooLarge("maxJsonBytes", limits.json);
    return { body: await readText(request.body, limits.json, () => tooLarge("maxJsonBytes", limits.json)) };
  }
  const unsupported = () => new Refusal(415, "this relay takes JSON bodies as application/json and uploads as multipart/form-data");
  if (contentType !== null) throw unsupported();
  await readText(request.body, 0, unsupported); // no Content-Type: only an empty body
  return {};
}

/** The whole body as text, refused with `over()` once it passes `max` bytes. */
async function readText(body, max, over) {
  const reader = body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      throw over();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

/** `body`, erroring once more than `limit` bytes went through, the refusal recorded in `upload`. */
function capped(body, limit, upload) {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen <= limit) return controller.enqueue(chunk);
        upload.refusal = tooLarge("maxUploadBytes", limit);
        controller.error(upload.refusal);
      },
    }),
  );
}

// Reads the stream up to the end of its first part (the `json` part, whose text is signed), then returns that text
// and a stream that replays the bytes read and passes the rest through. Each chunk is searched once, with the
// delimiter's length less one byte carried over from the chunk before: the work is linear in the bytes read.
async function splitJsonPart(body, boundary, maxJson) {
  const reader = body.getReader();
  const refuse = (refusal) => {
    reader.cancel().catch(() => {});
    return refusal;
  };
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const chunks = [];
  let size = 0;
  let end = -1;
  let carry = new Uint8Array(0);
  while (end < 0) {
    const { done, value } = await reader.read().catch((error) => {
      throw refuse(error);
    });
    if (done) break;
    const window = concat([carry, value], carry.length + value.byteLength);
    const at = indexOf(window, delimiter);
    if (at >= 0) end = size - carry.length + at;
    chunks.push(value);
    size += value.byteLength;
    if (end < 0 && size > maxJson + PART_HEAD_BYTES) throw refuse(tooLarge("maxJsonBytes", maxJson));
    carry = window.subarray(Math.max(0, window.length - delimiter.length + 1));
  }
  const head = concat(chunks, size);
  const headEnd = end < 0 ? -1 : indexOf(head.subarray(0, end), encoder.encode("\r\n\r\n"));
  if (headEnd < 0 || !/name="json"/i.test(new TextDecoder().decode(head.subarray(0, headEnd)))) {
    throw refuse(new LuxSciValidationError("the multipart body must start with its json part"));
  }
  if (end - headEnd - 4 > maxJson) throw refuse(tooLarge("maxJsonBytes", maxJson));
  const jsonText = new TextDecoder().decode(head.subarray(headEnd + 4, end));
  return { jsonText, stream: replay([head], reader) };
}

/** LuxSci's answer for the browser: its status and a few headers, the relay's mark, and its body with the relay's credentials redacted. */
async function passOn(response, client, mark, cors) {
  const headers = new Headers(cors);
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set(mark.header, mark.luxsci);
  if (!response.body) return new Response(null, { status: response.status, headers });
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  let done = false;
  while (!done && size <= REDACTED_BYTES) {
    const next = await reader.read();
    done = next.done;
    if (!done) {
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  }
  const ok = response.status >= 200 && response.status < 300;
  if (done) {
    const textual = /json|^text\//i.test(response.headers.get("content-type") ?? "json");
    const body = textual ? client.redactAnswer(new TextDecoder().decode(concat(chunks, size))) : concat(chunks, size);
    return new Response(body, { status: response.status, headers });
  }
  if (!ok) {
    reader.cancel().catch(() => {});
    throw new Refusal(502, `LuxSci's error answer was larger than this relay passes on (${REDACTED_BYTES} bytes)`);
  }
  return new Response(replay(chunks, reader), { status: response.status, headers });
}

/** A stream of `chunks`, then the rest of `reader`. */
function replay(chunks, reader) {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function concat(chunks, size) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function indexOf(haystack, needle) {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
