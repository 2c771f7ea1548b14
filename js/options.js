// The client's options and a call's options, read and checked once: a misspelt or mistyped option is a
// LuxSciValidationError, never a silent default. (The defaults of the limits are the core's: an option not given is
// passed on as undefined.)
import { checkKeys, isPlainObject } from "./checks.js";
import { LuxSciValidationError } from "./errors.js";
import { sendLimitDefaults } from "./luxsci.js";

const CLIENT_KEYS = ["host", "baseUrl", "token", "secret", "user", "pass", "accountId", "username", "relay", "fetch", "timeoutMs",
  "totalTimeoutMs", "maxRetries", "maxResponseBytes", "sendLimits", "smtpSizeLimit", "onRequest", "onResponse"];
const LIMIT_KEYS = ["maxMessages", "maxRecipientsPerMessage", "maxRecipientsPerCall"];
const CALL_KEYS = ["signal", "timeoutMs", "totalTimeoutMs", "accountId", "username", "maxRetries"];
const DEFAULT_HOST = "rest.luxsci.com";
/** About the longest string a JavaScript engine builds (V8: 2^29 − 24 characters). */
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/** `obj[key]` unless it is undefined, then `accept(value)`, else a LuxSciValidationError saying `invalid`. */
export function optional(obj, key, accept, invalid) {
  const value = obj?.[key];
  if (value === undefined) return undefined;
  const taken = accept(value);
  if (taken === undefined) throw new LuxSciValidationError(invalid);
  return taken;
}

export const text = (obj, key, what = key) =>
  optional(obj, key, (v) => (typeof v === "string" && v !== "" ? v : undefined), `${what} must be a non-empty string`);
const fn = (obj, key) => optional(obj, key, (v) => (typeof v === "function" ? v : undefined), `${key} must be a function`);
const ms = (obj, key) => optional(obj, key, (v) => (typeof v === "number" && v > 0 && v <= 2_147_483_647 ? v : undefined),
  `${key} must be a positive number of milliseconds`);
const count = (obj, key, min, max) => optional(obj, key, (v) => (Number.isInteger(v) && v >= min && v <= max ? v : undefined),
  `${key} must be an integer from ${min} to ${max}`);

/** A string, or a finite number written as JavaScript writes it (ids may be given as numbers); else undefined. */
export function stringOrNumber(value) {
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
export function readCallFields(o) {
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
