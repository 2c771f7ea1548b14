// An independent LuxSci request signer for tests (node:crypto only; shares no code with js/sandbox or the SDK).
import { createHash, createHmac } from "node:crypto";

/** Lowercase hex HMAC-SHA256 of a UTF-8 message. */
export const hmacHex = (secret, message) => createHmac("sha256", secret).update(message, "utf8").digest("hex");

/** Lowercase hex SHA-256 of a string (UTF-8) or bytes. */
export const sha256Hex = (data) => createHash("sha256").update(data).digest("hex");

/** The auth call's string to sign: token\ndate\n, plus user\npass\n for user scope. */
export function authStringToSign(token, date, user, pass) {
  return user === undefined ? `${token}\n${date}\n` : `${token}\n${date}\n${user}\n${pass}\n`;
}

/** The JSON body of POST /perl/api/v2/auth (`date` kept as given: number or numeric string). */
export function authBody(token, secret, date, user, pass) {
  const body = { token, date, signature: hmacHex(secret, authStringToSign(token, date, user, pass)) };
  if (user !== undefined) Object.assign(body, { user, pass });
  return body;
}

/**
 * The body hash of a signed request: "" for GET/DELETE or when `bodyText` is null/undefined, otherwise the
 * SHA-256 of the trimmed text or bytes (for multipart: the text of the `json` part).
 */
export function bodyHash(method, bodyText) {
  if (method === "GET" || method === "DELETE" || bodyText === undefined || bodyText === null) return "";
  return sha256Hex(typeof bodyText === "string" ? bodyText.trim() : trimBytes(bodyText));
}

// Bytes (e.g. a body that is not valid UTF-8) are trimmed of ASCII whitespace at both ends.
function trimBytes(bytes) {
  const text = Buffer.from(bytes).toString("latin1");
  return Buffer.from(text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""), "latin1");
}

/** auth\nMETHOD\npath\nquery\nbodyHash\n — path and query exactly as sent (query without "?"). */
export function requestStringToSign(auth, method, path, query, bodyText) {
  return `${auth}\n${method.toUpperCase()}\n${path}\n${query ?? ""}\n${bodyHash(method.toUpperCase(), bodyText)}\n`;
}

/** The value of the Cookie header: signature=<auth>:<hex HMAC of the request string to sign>. */
export function cookie(auth, secret, method, path, query, bodyText) {
  return `signature=${auth}:${hmacHex(secret, requestStringToSign(auth, method, path, query, bodyText))}`;
}

/**
 * Sends one signed request with fetch. `target` is the path with an optional "?query", signed as given.
 * init: { json (object, sent as JSON), body + contentType + signedText (a prebuilt body, e.g. multipart, and the
 * text whose hash is signed), headers }. Resolves to { status, headers, body (parsed JSON or null), text }.
 */
export async function signedFetch(baseUrl, { auth, secret }, method, target, init = {}) {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? "" : target.slice(q + 1);
  const headers = { ...init.headers };
  let body;
  let signedText = init.signedText;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    signedText = body;
    headers["content-type"] = "application/json";
  } else if (init.body !== undefined) {
    body = init.body;
    if (init.contentType) headers["content-type"] = init.contentType;
  }
  headers.cookie = cookie(auth, secret, method, path, query, signedText);
  const response = await fetch(baseUrl + target, { method, headers, body });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a non-JSON body stays available as `text`
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
