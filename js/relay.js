// createRelay(): a (Request) => Promise<Response> handler that lets browsers use LuxSci without the
// secret. It refuses what a cross-site page could send (requests without the relay-mode client's header,
// cross-site origins, JSON in any type but application/json), authorises the caller with the app's own
// hook, forwards only LuxSci operations from the endpoint table (or the app's `allow` list) of the
// account and user it serves, to the configured host only, signs them server-side, streams multipart
// bodies through within size limits, and passes LuxSci's answers back with the relay's credentials
// redacted. This file checks the options when the relay is created (bad ones throw there); the handling of
// requests (relay-handler.js) is loaded on the first request.

import { matchOperation, relayProtocol } from "./luxsci.js";
import { LuxSciClient, relayCalls } from "./client.js";
import { checkKeys } from "./checks.js";
import { LuxSciValidationError } from "./errors.js";

const CLIENT_KEYS = ["host", "baseUrl", "token", "secret", "user", "pass", "fetch", "timeoutMs", "maxRetries"];
const RELAY_KEYS = [...CLIENT_KEYS, "authorize", "allow", "prefix", "accountId", "username", "allowedOrigins", "maxJsonBytes", "maxUploadBytes", "onError"];
const LIMITS = { maxJsonBytes: 1024 * 1024, maxUploadBytes: 100 * 1024 * 1024 };

export function createRelay(options) {
  const o = options ?? {};
  checkKeys(o, "createRelay", RELAY_KEYS);
  if (typeof o.authorize !== "function") {
    throw new LuxSciValidationError("createRelay needs authorize(request) → boolean: decide who may use your LuxSci integration");
  }
  if (o.onError !== undefined && typeof o.onError !== "function") throw new LuxSciValidationError("onError must be a function");
  const [header, request, luxsci, relay] = relayProtocol().split(" ");
  const mark = { header, request, luxsci, relay };
  const setup = {
    authorize: o.authorize,
    scope: relayScope(o),
    limits: { json: byteLimit(o, "maxJsonBytes"), upload: byteLimit(o, "maxUploadBytes") },
    origins: allowedOrigins(o.allowedOrigins),
    prefix: (o.prefix ?? "").replace(/\/+$/, ""),
    allow: allowList(o.allow ?? []),
    client: relayClient(new LuxSciClient(Object.fromEntries(CLIENT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])))),
    mark,
    matchOperation, // the table's rule, which the request handling (loaded apart from the client) takes from here
    // The details of a failure the caller is told only in a fixed text go to the app's onError.
    report(error, request) {
      try {
        o.onError?.(error, request);
      } catch {
        // The app's reporting failed; the caller's answer stands.
      }
    },
  };
  let handling; // the request handler (relay-handler.js), loaded and set up on the first request

  return async function relay(request) {
    let handle;
    try {
      handle = await (handling ??= import("./relay-handler.js").then((module) => module.handler(setup)));
    } catch (error) {
      handling = undefined; // tried again on the next request
      setup.report(error, request);
      return new Response(JSON.stringify({ success: 0, error_message: "the relay failed" }), {
        status: 500,
        headers: { "content-type": "application/json", [mark.header]: mark.relay },
      });
    }
    return handle(request);
  };
}

/** What the request handling calls on the relay's client, which no other client exposes. */
function relayClient(client) {
  return {
    forwardSigned: (init) => relayCalls.forwardSigned.call(client, init),
    redactAnswer: (text) => relayCalls.redactAnswer.call(client, text),
  };
}

/**
 * The account and user the relay serves, from its options: `username` (by default the user-scope integration's
 * `user`) and `accountId`, each undefined when not given.
 */
function relayScope(o) {
  const text = (key) => {
    const value = o[key];
    if (value === undefined) return undefined;
    if ((typeof value !== "string" && typeof value !== "number") || String(value) === "") {
      throw new LuxSciValidationError(`${key} must be a non-empty string${key === "accountId" ? " or a number" : ""}`);
    }
    return String(value);
  };
  return { accountId: text("accountId"), username: text("username") ?? text("user") };
}

function byteLimit(o, key) {
  const value = o[key] ?? LIMITS[key];
  if (!Number.isSafeInteger(value) || value < 1) throw new LuxSciValidationError(`${key} must be a positive whole number of bytes`);
  return value;
}

function allowedOrigins(list) {
  if (list === undefined) return new Set();
  if (!Array.isArray(list) || !list.every((origin) => typeof origin === "string" && /^https?:\/\/[^/?#]+$/.test(origin))) {
    throw new LuxSciValidationError('allowedOrigins must be an array of origins such as "https://app.example.com" (scheme, host, optional port; no path)');
  }
  return new Set(list);
}

/** `allow`: operationIds and "METHOD /path/{param}" patterns (relay-handler.js compiles them). */
function allowList(entries) {
  if (!Array.isArray(entries) || !entries.every((e) => typeof e === "string")) {
    throw new LuxSciValidationError('allow must be an array of operationIds or "METHOD /path" patterns');
  }
  return entries;
}
