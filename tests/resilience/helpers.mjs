// Shared helpers of the resilience suites: a fault-injecting sandbox, a client bound to it, scoped fast timers that record requested delays, and a closed port.
import { after, beforeEach } from "node:test";
import { luxsci, pkgDir } from "../support/package.mjs";
import { verifyingFetch } from "../support/verifying-fetch.mjs";
import { startSandbox } from "../../js/sandbox/index.js";

export const { LuxSciClient } = luxsci;
export { luxsci, pkgDir, startSandbox };

/** The address of a sandbox that has been closed: nothing listens there, so connecting is refused. */
export async function goneUrl() {
  const gone = await startSandbox();
  await gone.close();
  return gone.url;
}

/** A distinctive per-attempt timeout, so that fastTimers can tell the attempt timer from a backoff sleep. */
export const TIMEOUT_MS = 45_678;

/** A sandbox with fault injection on (plus `options`). */
export const faultySandbox = (options = {}) => startSandbox({ faults: true, ...options });

/** A client of `sandbox` with its credentials and `extra` options. */
export const clientOf = (sandbox, extra = {}) =>
  new LuxSciClient({
    baseUrl: sandbox.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    timeoutMs: TIMEOUT_MS,
    ...extra,
  });

/**
 * For a suite's top level: one fault-injecting sandbox and an authenticated client of it, whose every
 * attempt (retries and replays included) is re-verified by the independent signer; closed after the
 * suite, with faults reset before each test.
 */
export async function sharedSandbox() {
  const sandbox = await faultySandbox();
  const client = clientOf(sandbox, { fetch: verifyingFetch(sandbox.secret).fetch });
  await client.authenticate();
  after(() => sandbox.close());
  beforeEach(() => sandbox.faults.reset());
  return { sandbox, client };
}

/** A minimal valid sendEmail body. */
export const oneMessage = () => ({ messages: [{ to: ["someone@example.test"], subject: "Hello", body: "Hi" }] });

/** The sandbox's log entries of `operationId`. */
export const logOf = (sandbox, operationId) => sandbox.log.filter((entry) => entry.operationId === operationId);

/** Whether the current call comes from the package's code (the SDK, through its wasm glue). */
const fromSdk = () => new Error().stack.includes(pkgDir);

/**
 * Replaces globalThis.setTimeout until restore(): every timer the SDK sets (called from the package's
 * code) other than TIMEOUT_MS (the attempt timer) is recorded in `delays` and run after 1 ms, so backoff
 * and Retry-After waits are checked exactly without being waited for. Other callers (fetch's own timers,
 * the sandbox) are left alone.
 */
export function fastTimers() {
  const original = globalThis.setTimeout;
  const delays = [];
  globalThis.setTimeout = (fn, ms, ...args) => {
    if (ms === TIMEOUT_MS || !fromSdk()) return original(fn, ms, ...args);
    delays.push(ms);
    return original(fn, 1, ...args);
  };
  return { delays, restore: () => (globalThis.setTimeout = original) };
}

/** Runs `fn` with fastTimers(); resolves to { result, delays }. */
export async function withFastTimers(fn) {
  const timers = fastTimers();
  try {
    return { result: await fn(), delays: timers.delays };
  } finally {
    timers.restore();
  }
}

/** A fetch that counts its calls and passes them on to the global fetch. */
export function countingFetch() {
  const calls = [];
  const fetch = (url, init) => {
    calls.push({ url: String(url), method: init?.method ?? "GET" });
    return globalThis.fetch(url, init);
  };
  return { fetch, calls };
}

/**
 * Tracks the timers the SDK sets until restore(): `pending()` counts those neither fired nor cleared, each
 * of which would keep a Node process alive.
 */
export function sdkTimers() {
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  const live = new Set();
  globalThis.setTimeout = (fn, ms, ...args) => {
    if (!fromSdk()) return set(fn, ms, ...args);
    const handle = set((...a) => (live.delete(handle), fn(...a)), ms, ...args);
    live.add(handle);
    return handle;
  };
  globalThis.clearTimeout = (handle) => (live.delete(handle), clear(handle));
  return {
    pending: () => live.size,
    restore: () => Object.assign(globalThis, { setTimeout: set, clearTimeout: clear }),
  };
}
