// The request pipeline: CORS, control API, body limit, routing, fault injection, signature checks, body decoding, scope and handler dispatch.
import { sha256Hex } from "./auth.js";
import { CONTROL_PREFIX, controlRequest } from "./control.js";
import { HANDLERS } from "./handlers/index.js";
import { ApiError, ClientGone, CORS_HEADERS, errorEnvelope, readBody, sendJson, successEnvelope } from "./http.js";
import { mediaType, parseMultipart } from "./multipart.js";
import { decodeParams, matchRoute } from "./routes.js";

const EMPTY = Buffer.alloc(0);
const EMPTY_HASH = sha256Hex("");
const utf8 = new TextDecoder("utf-8", { fatal: true });
const shown = (text) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

// PHP's trim() set (the reference clients hash the trimmed JSON text): space, \t, \n, \r, \0, \x0B.
const isTrimmed = (byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x00 || byte === 0x0b;
function trimBytes(bytes) {
  let start = 0;
  let end = bytes.length;
  while (start < end && isTrimmed(bytes[start])) start += 1;
  while (end > start && isTrimmed(bytes[end - 1])) end -= 1;
  return bytes.subarray(start, end);
}

function parseJson(bytes) {
  if (bytes.length === 0) return undefined;
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError(400, "request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `malformed JSON body: ${error.message}`);
  }
}

function splitParts(parts) {
  const json = parts.filter((part) => part.name === "json");
  if (json.length !== 1) throw new ApiError(400, `multipart body needs exactly one 'json' part (found ${json.length})`);
  const files = parts.filter((part) => part.name !== "json");
  const names = new Set();
  for (const part of files) {
    if (part.name !== "files") throw new ApiError(400, `unexpected multipart part '${part.name}' (only 'json' and 'files' are accepted)`);
    if (!part.filename) throw new ApiError(400, "every 'files' part needs a filename");
    if (names.has(part.filename)) throw new ApiError(400, `two 'files' parts are named '${part.filename}'`);
    names.add(part.filename);
  }
  return { jsonBytes: trimBytes(json[0].data), files };
}

/** The signed JSON bytes and the uploaded files of a request, per the route's body kind. */
function decodeBody(route, method, contentType, body) {
  if (method !== "POST" && method !== "PUT") return { jsonBytes: EMPTY, files: [] };
  const multipart = mediaType(contentType) === "multipart/form-data";
  if (multipart && route.body !== "json+files" && route.body !== "files") {
    throw new ApiError(400, `${route.operationId} does not take a multipart/form-data body`);
  }
  if (!multipart && route.body === "files") {
    throw new ApiError(400, `${route.operationId} needs a multipart/form-data body (a 'json' part and one 'files' part)`);
  }
  return multipart ? splitParts(parseMultipart(body, contentType)) : { jsonBytes: trimBytes(body), files: [] };
}

// An empty POST/PUT body may be signed with an empty hash or with SHA-256 of nothing; LuxSci's choice is unknown.
const bodyHashes = (method, jsonBytes) =>
  method !== "POST" && method !== "PUT" ? [""] : jsonBytes.length === 0 ? ["", EMPTY_HASH] : [sha256Hex(jsonBytes)];

function checkScope(route, session, params, config) {
  if (session.scope === "user" && !route.path.startsWith("/user/") && route.operationId !== "revokeAuthentication") {
    throw new ApiError(403, `a user-scope auth code cannot call the account-level operation ${route.operationId}`);
  }
  if ("accountId" in params && params.accountId !== config.accountId) throw new ApiError(404, `no such account: ${shown(params.accountId)}`);
  if ("username" in params && params.username.toLowerCase() !== config.username.toLowerCase()) {
    throw new ApiError(404, `no such user: ${shown(params.username)}`);
  }
}

/** Runs one matched API request through auth and its handler; returns `{ status, payload, headers }`. */
function runOperation(ctx, match, req, rawPath, rawQuery, body) {
  const { route } = match;
  const input = { query: new URLSearchParams(rawQuery), params: {}, body: undefined, files: [], session: null };
  if (route.operationId === "authentication") {
    input.body = parseJson(trimBytes(body));
  } else {
    const found = ctx.auth.identify(req.headers.cookie);
    const { jsonBytes, files } = decodeBody(route, req.method, req.headers["content-type"], body);
    input.session = ctx.auth.verify(found, req.method, rawPath, rawQuery, bodyHashes(req.method, jsonBytes));
    input.params = decodeParams(match);
    checkScope(route, input.session, input.params, ctx.config);
    input.body = route.body === "none" ? undefined : parseJson(jsonBytes);
    input.files = files;
  }
  const result = HANDLERS[route.handler]({ ...input, store: ctx.store, config: ctx.config, auth: ctx.auth, now: ctx.clock() }) ?? {};
  if (result.send) ctx.faults.record(ctx.faults.sends, { operationId: route.operationId, ...result.send });
  return { status: result.status ?? 200, payload: { ...successEnvelope(result.data), ...result.fields }, headers: {} };
}

function rejection(error) {
  if (error instanceof ApiError) return { status: error.status, payload: errorEnvelope(error.message), headers: error.headers };
  console.error("luxsci-sandbox: internal error:", error);
  return { status: 500, payload: errorEnvelope(`internal sandbox error: ${error.message}`), headers: {} };
}

function attempt(fn) {
  try {
    return fn();
  } catch (error) {
    return rejection(error);
  }
}

function injectedFailure(rule) {
  const headers = rule.retryAfter === undefined ? {} : { "retry-after": String(rule.retryAfter) };
  return { status: rule.status, payload: rule.body, headers };
}

async function handle(ctx, req, res) {
  const at = Date.now(); // when the request arrived (the log's time stamp), on this machine's clock
  res.setHeader("date", new Date(ctx.clock()).toUTCString());
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
  if (req.method === "OPTIONS") {
    res.writeHead(204).end();
    return;
  }
  const target = req.url ?? "";
  const q = target.indexOf("?");
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? "" : target.slice(q + 1);
  const match = matchRoute(req.method, rawPath);
  const operationId = match?.route.operationId ?? null;
  let body;
  try {
    body = await readBody(req, ctx.config.maxBodyBytes);
  } catch (error) {
    if (error instanceof ClientGone) return;
    const outcome = rejection(error);
    if (!rawPath.startsWith(CONTROL_PREFIX)) {
      ctx.faults.record(ctx.faults.log, { operationId, method: req.method, path: rawPath, status: outcome.status, ok: false, at });
    }
    // The rest of an oversized body is not read: answer and close the connection.
    sendJson(res, outcome.status, outcome.payload, { connection: "close" });
    return;
  }
  if (rawPath.startsWith(CONTROL_PREFIX)) {
    const outcome = attempt(() => ({ status: 200, payload: controlRequest(ctx, req.method, rawPath, body), headers: {} }));
    sendJson(res, outcome.status, outcome.payload, outcome.headers);
    return;
  }
  if (operationId === "authentication") ctx.faults.authCalls += 1;
  const delay = ctx.faults.take("delay", operationId);
  if (delay) await ctx.sleep(delay.ms);
  const failure = ctx.faults.take("fail", operationId);
  const outcome = failure
    ? injectedFailure(failure)
    : attempt(() => {
        if (!match) throw new ApiError(404, `unknown route: no LuxSci operation is ${req.method} ${shown(rawPath)}`);
        return runOperation(ctx, match, req, rawPath, rawQuery, body);
      });
  const drop = ctx.faults.take("drop", operationId);
  const ok = outcome.status >= 200 && outcome.status < 300;
  ctx.faults.record(ctx.faults.log, { operationId, method: req.method, path: rawPath, status: drop ? "dropped" : outcome.status, ok, at });
  if (drop) {
    req.socket.destroy();
    return;
  }
  sendJson(res, outcome.status, outcome.payload, outcome.headers);
}

/** The `(req, res)` listener of the sandbox's HTTP server. */
export function requestListener(ctx) {
  return (req, res) => {
    handle(ctx, req, res).catch((error) => {
      const outcome = rejection(error);
      if (!res.headersSent) sendJson(res, outcome.status, outcome.payload);
    });
  };
}
