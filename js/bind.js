// What callers pass, read and checked once (a misspelt or mistyped option is a LuxSciValidationError, never a silent
// default): the client's options, and a method's arguments bound into a call when the method is called (as fetch
// reads its init), by the operation's shape in the endpoint table (which argument is the path parameter, the body
// or the query, and the options), and request()'s for any path. The path, the query's encoding, the send limits,
// the multipart layout and the defaults of the limits are the core's (an option not given is passed on as undefined).
import { checkKeys, isPlainObject, optional, text } from "./checks.js";
import { LuxSciValidationError } from "./errors.js";
import { checkOperationPath, operationShape, queryString, sendLimitDefaults, splitPath } from "./luxsci.js";
import { NO_BODY, jsonBody, jsonObject, jsonPayload, send, stringify, upload, withFiles } from "./payload.js";

const METHODS = /^(get|post|put|delete)$/i;
const INIT_KEYS = ["query", "body", "files", "signal", "timeoutMs", "totalTimeoutMs", "maxRetries"];

/** Per operationId, its shape and the name of its parameter, as the table says (asked once). */
const shapes = new Map();
function shapeOf(id) {
  let shape = shapes.get(id);
  if (shape === undefined) shapes.set(id, (shape = (operationShape(id) ?? "").split(" ")));
  return shape;
}

/**
 * A call of operation `id` with the method's arguments `a`, `b`, `c`, for a client of `settings` (its accountId,
 * username and send limits): `{ operation, accountId, username, param, query, body, options, idsDue }`, its body
 * read later.
 */
export function operationCall(settings, id, a, b, c) {
  const [shape, name] = shapeOf(id);
  let [param, input, options] = [undefined, undefined, b];
  switch (shape) {
    case "Auth":
    case "Options":
      options = a;
      break;
    case "Param":
    case "Dir":
    case "File":
      param = a;
      break;
    case "Body":
    case "Send":
    case "OptQuery":
    case "Report":
      input = a;
      break;
    case "ParamBody":
    case "Upload":
      [param, input, options] = [a, b, c];
      break;
    // A string is the directory; a lone object is the options.
    case "OptDir":
      if (typeof a === "string") param = a;
      else if (isPlainObject(a) && b === undefined) options = a;
      break;
    default:
      throw new LuxSciValidationError("unknown operation");
  }
  const o = readCallOptions(options);
  if (name !== undefined && param !== undefined) {
    param = stringOrNumber(param);
    if (param === undefined) throw new LuxSciValidationError(`${name} must be a string`);
  } else param = undefined;
  // The account and user are the call's own, else (in the job) the client's.
  const call = { operation: id, accountId: o.accountId, username: o.username, param, query: "", body: NO_BODY, options: o };
  if (shape === "Body" || shape === "ParamBody") call.body = jsonObject(input, `${id} body`);
  else if (shape === "Send") {
    call.body = send(id, input, settings.limits);
    // sendEmail's body was checked to hold a messages array; the other send is one message.
    if (id === "sendEmail") call.idsDue = input.messages.length;
  } else if (shape === "Upload") call.body = upload(param ?? "", input);
  else if (shape === "OptQuery" || shape === "Report") call.query = query(input);
  // The job builds the path; a call with files to read has it checked first, so that a bad one reads nothing.
  if (call.body.read) checkOperationPath(id, o.accountId ?? settings.accountId, o.username ?? settings.username, param);
  return call;
}

/** `request(method, path, init)`. */
export function customCall(method, path, init) {
  if (typeof method !== "string" || !METHODS.test(method)) {
    throw new LuxSciValidationError("method must be one of GET, POST, PUT, DELETE");
  }
  if (typeof path !== "string") throw new LuxSciValidationError("path must be a string");
  if (init !== undefined) {
    if (!isPlainObject(init)) throw new LuxSciValidationError("request init must be an object");
    checkKeys(init, "request", INIT_KEYS);
  }
  const [absolute, inline] = pathAndQuery(path);
  const given = init?.query;
  if (given !== undefined && inline !== "") throw new LuxSciValidationError("give the query in the path or in init.query, not both");
  const q = given === undefined ? inline : query(given);
  const { body, files } = init ?? {};
  const verb = method.toUpperCase();
  if ((verb === "GET" || verb === "DELETE") && !(body === undefined && files === undefined)) {
    throw new LuxSciValidationError("GET and DELETE requests carry no body: use query");
  }
  return {
    method: verb,
    path: absolute,
    query: q,
    body: files !== undefined ? withFiles(body, files) : body === undefined ? NO_BODY : jsonBody(body),
    // init's keys were checked above: of the call options, it can only hold signal, timeoutMs, totalTimeoutMs and maxRetries.
    options: readCallFields(init ?? {}),
  };
}

/** A path as the core checks it: `[absolute path, raw query]`. */
function pathAndQuery(path) {
  const checked = splitPath(path);
  const at = checked.indexOf("?");
  return [checked.slice(0, at), checked.slice(at + 1)];
}

/**
 * A query object serialised in key order (`k=v&...`, arrays as repeated keys, null/undefined skipped), or a raw
 * query string as given.
 */
function query(value) {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.replace(/^\?+/, "");
  if (!isPlainObject(value)) throw new LuxSciValidationError("query must be an object or a string");
  const pairs = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    for (const item of Array.isArray(v) ? [...v] : [v]) {
      if (item === undefined || item === null) continue;
      const text = stringOrNumber(item) ?? (typeof item === "boolean" ? String(item) : undefined);
      if (text === undefined) throw new LuxSciValidationError(`query.${key} must be a string, number or boolean`);
      pairs.push(key, text);
    }
  }
  return queryString(pairs);
}

/**
 * The relay's signed forward of `{ method, path, query, contentType?, body?, jsonText?, signal? }`, where `body` is a
 * JSON text, or a Blob or ReadableStream of multipart data whose `json` part is `jsonText`: LuxSci's Response is
 * handed back with its body unread (under the client's timeoutMs until it ends). The path is checked as request()'s
 * is. A stream is sent once: no retry and no replay.
 */
export function forwardCall({ method, path, query: raw, contentType, body, jsonText, signal }) {
  if (typeof method !== "string" || !METHODS.test(method)) throw new LuxSciValidationError("unsupported method");
  const [absolute] = pathAndQuery(typeof path === "string" ? path : "");
  let payload = {};
  if (typeof contentType === "string" && jsonText !== undefined) {
    payload = { body, contentType, hash: relayedText(jsonText, "the json part").hash };
  } else if (typeof contentType === "string" || (body !== undefined && body !== null)) {
    payload = jsonPayload(relayedText(body, "a relayed JSON body"));
  }
  return {
    method: method.toUpperCase(),
    path: absolute,
    query: typeof raw === "string" ? raw : "",
    body: { payload },
    options: { signal: signal instanceof AbortSignal ? signal : undefined },
    resendable: !(body instanceof ReadableStream),
    readBody: false,
  };
}

/** A relayed JSON text as signed and sent: a string, taken as JSON text is (trimmed, and hashed as sent). */
function relayedText(value, what) {
  if (typeof value !== "string") throw new LuxSciValidationError(`${what} must be a string`);
  return stringify(value, what);
}

// The options.

const CLIENT_KEYS = ["host", "baseUrl", "token", "secret", "user", "pass", "accountId", "username", "relay", "fetch", "timeoutMs",
  "totalTimeoutMs", "maxRetries", "maxResponseBytes", "sendLimits", "smtpSizeLimit", "onRequest", "onResponse"];
const LIMIT_KEYS = ["maxMessages", "maxRecipientsPerMessage", "maxRecipientsPerCall"];
const CALL_KEYS = ["signal", "timeoutMs", "totalTimeoutMs", "accountId", "username", "maxRetries"];
const DEFAULT_HOST = "rest.luxsci.com";
/** About the longest string a JavaScript engine builds (V8: 2^29 − 24 characters). */
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

const fn = (obj, key) => optional(obj, key, (v) => (typeof v === "function" ? v : undefined), `${key} must be a function`);
const ms = (obj, key) => optional(obj, key, (v) => (typeof v === "number" && v > 0 && v <= 2_147_483_647 ? v : undefined),
  `${key} must be a positive number of milliseconds`);
const count = (obj, key, min, max) => optional(obj, key, (v) => (Number.isInteger(v) && v >= min && v <= max ? v : undefined),
  `${key} must be an integer from ${min} to ${max}`);

/** A string, or a finite number written as JavaScript writes it (ids may be given as numbers); else undefined. */
function stringOrNumber(value) {
  if (typeof value === "string") return value;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

/** The client's options, checked: where it talks to, its credentials, and its defaults for calls. */
export function readClientOptions(options) {
  if (options !== undefined && !isPlainObject(options)) throw new LuxSciValidationError("LuxSciClient options must be an object");
  const o = options ?? {};
  checkKeys(o, "client", CLIENT_KEYS);
  const relay = optional(o, "relay", (v) => (typeof v === "boolean" ? v : undefined), "relay must be a boolean") ?? false;
  const base = baseUrl(text(o, "host"), text(o, "baseUrl"), relay);
  const credentials = checkCredentials(relay, text(o, "token"), text(o, "secret"), text(o, "user"), text(o, "pass"));
  // The options a call may override, read as a call's (the keys were checked: no signal here).
  const call = readCallFields(o);
  return {
    base,
    relay,
    ...credentials,
    ...call,
    fetch: fn(o, "fetch"),
    maxResponseBytes: count(o, "maxResponseBytes", 1, MAX_RESPONSE_BYTES),
    limits: sendLimits(o),
    onRequest: fn(o, "onRequest"),
    onResponse: fn(o, "onResponse"),
  };
}

/** A call's options (undefined or null: none). */
export function readCallOptions(options) {
  if (options === undefined || options === null) return {};
  if (!isPlainObject(options)) throw new LuxSciValidationError("call options must be an object");
  checkKeys(options, "call", CALL_KEYS);
  return readCallFields(options);
}

/** A call's options from an object whose keys were already checked (request()'s init, the client's options). */
function readCallFields(o) {
  return {
    accountId: optional(o, "accountId", (v) => (stringOrNumber(v) || undefined), "accountId must be a string or a number"),
    username: text(o, "username"),
    timeoutMs: ms(o, "timeoutMs"),
    totalTimeoutMs: ms(o, "totalTimeoutMs"),
    maxRetries: count(o, "maxRetries", 0, 10),
    signal: optional(o, "signal", (v) => (v instanceof AbortSignal ? v : undefined), "signal must be an AbortSignal"),
  };
}

function checkCredentials(relay, token, secret, user, pass) {
  if (relay) {
    if (token || secret || user || pass) {
      throw new LuxSciValidationError("a relay-mode client holds no credentials: keep token, secret, user and pass on the relay's server");
    }
    return {};
  }
  if (!token || !secret) throw new LuxSciValidationError("token and secret are required (or relay: true with a createRelay() baseUrl)");
  if ((user === undefined) !== (pass === undefined)) throw new LuxSciValidationError("user and pass go together: give both or neither");
  return { token, secret, user, pass };
}

function baseUrl(host, base, relay) {
  if (host !== undefined && base !== undefined) throw new LuxSciValidationError("give host or baseUrl, not both");
  if (host !== undefined) {
    if (relay) throw new LuxSciValidationError(`a relay-mode client takes baseUrl (the relay's address), not host "${host}"`);
    if (/[/?#@ ]/.test(host)) throw new LuxSciValidationError('host must be a bare host name such as "rest.luxsci.com"');
    return `https://${host}`;
  }
  if (base === undefined) {
    if (relay) throw new LuxSciValidationError("a relay-mode client needs baseUrl: where createRelay() is mounted");
    return `https://${DEFAULT_HOST}`;
  }
  const trimmed = base.replace(/\/+$/, "");
  // A relay on the page's own origin: a path such as "/luxsci".
  if (relay && trimmed.startsWith("/")) return trimmed;
  const authority = /^https?:\/\//.test(trimmed) ? trimmed.replace(/^https?:\/\//, "") : undefined;
  if (/[?#]/.test(trimmed) || !authority || authority.startsWith("://")) {
    throw new LuxSciValidationError('baseUrl must be an http(s) origin with an optional path prefix, e.g. "http://127.0.0.1:8787"');
  }
  return trimmed;
}

/** The sendEmail limits in force: the `sendLimits` option, else LuxSci's documented ones; and `smtpSizeLimit`. */
function sendLimits(o) {
  const [maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall] = sendLimitDefaults();
  const limits = { maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall };
  const given = o.sendLimits;
  if (given !== undefined) {
    if (!isPlainObject(given)) throw new LuxSciValidationError("sendLimits must be an object");
    checkKeys(given, "sendLimits", LIMIT_KEYS);
    for (const key of LIMIT_KEYS) limits[key] = count(given, key, 1, 1_000_000) ?? limits[key];
  }
  const smtpSizeLimit = optional(o, "smtpSizeLimit", (v) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined),
    "smtpSizeLimit must be a positive number of bytes");
  return { ...limits, smtpSizeLimit };
}
