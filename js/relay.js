// createRelay(): a (Request) => Promise<Response> handler that lets browsers use LuxSci without the
// secret. It authorises the caller with the app's own hook, forwards only LuxSci operations from the
// endpoint table (or the app's `allow` list), to the configured host only, signs them server-side,
// and streams multipart bodies through without buffering them whole. Nothing the browser sent in
// Cookie or Authorization is forwarded: each forwarded request is built afresh.

import { LuxSciClient, matchOperation } from "./luxsci.js";
import { checkKeys } from "./checks.js";
import { LuxSciValidationError } from "./errors.js";

const CLIENT_KEYS = ["host", "baseUrl", "token", "secret", "user", "pass", "fetch", "timeoutMs", "maxRetries"];
const RELAY_KEYS = [...CLIENT_KEYS, "authorize", "allow", "prefix", "accountId", "username"];
// The largest `json` part a relayed multipart body may start with.
const MAX_JSON_PART = 16 * 1024 * 1024;
const PASSED_HEADERS = ["content-type", "retry-after", "date"];

export function createRelay(options) {
  const o = options ?? {};
  checkKeys(o, "createRelay", RELAY_KEYS);
  if (typeof o.authorize !== "function") {
    throw new LuxSciValidationError("createRelay needs authorize(request) → boolean: decide who may use your LuxSci integration");
  }
  const prefix = (o.prefix ?? "").replace(/\/+$/, "");
  const allow = compileAllow(o.allow ?? []);
  const client = new LuxSciClient(Object.fromEntries(CLIENT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])));
  const scope = { accountId: o.accountId === undefined ? undefined : String(o.accountId), username: o.username };

  return async function relay(request) {
    try {
      const url = new URL(request.url);
      if (prefix && !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) return reply(404, "not a relay path");
      const path = url.pathname.slice(prefix.length);
      if (!(await o.authorize(request))) return reply(401, "not authorized to use this relay");
      const method = request.method.toUpperCase();
      if (!allow.permits(method, path)) return reply(403, `${method} ${path} is not a LuxSci operation this relay forwards`);
      if (!inScope(path, scope)) return reply(403, "this relay serves another account or user");
      const body = await relayedBody(request, method);
      const response = await client.forwardSigned({ method, path, query: url.search.slice(1), signal: request.signal, ...body });
      const headers = new Headers();
      for (const name of PASSED_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      return new Response(response.body, { status: response.status, headers });
    } catch (error) {
      const status = error?.name === "LuxSciValidationError" ? 400 : error?.name === "LuxSciTimeoutError" ? 504 : 502;
      return reply(status, error?.message ?? "relay failure");
    }
  };
}

function reply(status, message) {
  return new Response(JSON.stringify({ success: 0, error_message: message }), {
    status,
    headers: { "content-type": "application/json" },
  });
}

// Table operations are forwarded unless `allow` names some operationIds, which then are the only ones;
// `allow` entries of the form "METHOD /path/{param}" add endpoints beyond the table.
function compileAllow(entries) {
  if (!Array.isArray(entries)) throw new LuxSciValidationError("allow must be an array of operationIds or \"METHOD /path\" patterns");
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

function inScope(path, { accountId, username }) {
  const [, , , , kind, owner] = path.split("/");
  let decoded;
  try {
    decoded = decodeURIComponent(owner ?? "");
  } catch {
    return false;
  }
  if (kind === "account" && accountId !== undefined) return decoded === accountId;
  if (kind === "user" && username !== undefined) return decoded === username;
  return true;
}

async function relayedBody(request, method) {
  if (method === "GET" || method === "DELETE" || request.body === null) return {};
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) return { body: await request.text() };
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new LuxSciValidationError("multipart body without a boundary");
  const { jsonText, stream } = await splitJsonPart(request.body, boundary[1] ?? boundary[2]);
  return { body: stream, contentType, jsonText };
}

// Reads the stream up to the end of its first part (the `json` part, whose text is signed), then
// returns that text and a stream that replays the bytes read and passes the rest through.
async function splitJsonPart(body, boundary) {
  const reader = body.getReader();
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  let buffered = new Uint8Array(0);
  let end = -1;
  while (end < 0) {
    const { done, value } = await reader.read();
    if (done) break;
    const next = new Uint8Array(buffered.length + value.length);
    next.set(buffered);
    next.set(value, buffered.length);
    buffered = next;
    end = indexOf(buffered, delimiter);
    if (end < 0 && buffered.length > MAX_JSON_PART) throw new LuxSciValidationError("the multipart body must start with a json part under 16 MiB");
  }
  const headEnd = indexOf(buffered, new TextEncoder().encode("\r\n\r\n"));
  if (end < 0 || headEnd < 0 || headEnd > end || !/name="json"/i.test(new TextDecoder().decode(buffered.subarray(0, headEnd)))) {
    throw new LuxSciValidationError("the multipart body must start with its json part");
  }
  const jsonText = new TextDecoder().decode(buffered.subarray(headEnd + 4, end));
  const head = buffered;
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(head);
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
  return { jsonText, stream };
}

function indexOf(haystack, needle) {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
