// HTTP plumbing shared by the sandbox: the ApiError type, JSON/envelope responses, CORS, and bounded body reading.

/** A rejection that becomes `{"success":0,"error_message":message}` with `status`. */
export class ApiError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.headers = headers;
  }
}

/** Thrown by readBody when the client went away before the body was complete; nothing can be answered. */
export class ClientGone extends Error {}

export const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "content-type, cookie, accept, x-version",
  "access-control-max-age": "600",
};

/** Writes `payload` as an `application/json` response (headers sent before are kept). */
export function sendJson(res, status, payload, headers = {}) {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export const successEnvelope = (data) => (data === undefined ? { success: 1 } : { success: 1, data });
export const errorEnvelope = (message) => ({ success: 0, error_message: message });

/** Reads the whole request body, refusing more than `maxBytes` with a 413 ApiError (and stopping reading). */
export function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new ApiError(413, `request body exceeds the sandbox limit of ${maxBytes} bytes`);
    const declared = Number(req.headers["content-length"]);
    if (declared > maxBytes) {
      req.pause();
      reject(tooLarge());
      return;
    }
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      req.removeListener("data", onData);
      fn(value);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(reject, tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => settle(resolve, Buffer.concat(chunks)));
    req.on("error", () => settle(reject, new ClientGone()));
    req.on("close", () => {
      if (!req.complete) settle(reject, new ClientGone());
    });
  });
}
