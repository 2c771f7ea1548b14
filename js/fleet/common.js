// The engine-neutral half of the fleet limiter and claim journal: option checks, and the objects
// sendEmailBatch's `limiter` and `journal` options take, built over one engine's atomic operations
// (js/fleet/redis.js, js/fleet/durable.js). Each engine implements the same rules; they are stated here once:
//
// Limiter — a sliding log per window. A call holds a slot from the moment it is granted; while it is in
// flight its slot counts as "now", and once it finished it counts until its finish time + windowMs. So
// however long a request travels, no windowMs-long span of arrivals at LuxSci holds more than `limit`
// calls (each arrival lies between its grant and its finish, both counted). A worker that dies mid-call
// leaves its slot counted until `holdMs` after the grant, then for one more window.
//
// Journal — one record per message key: "claimed" (reserved by a worker, lease until `leaseMs`; nothing
// sent yet), "sending" (its call may go out now), "sent" (with sendmail_id, by whom), "mayHaveBeenSent"
// (its call's outcome is unknown). Only a claimed record whose lease ran out may be claimed again; a
// "sending" record whose worker vanished becomes mayHaveBeenSent once its lease runs out, never claimable.
// Right before a call goes out, `begin` turns the caller's claims into "sending" only if they still hold
// the caller's claim token, so a worker whose lease was taken over in the meantime sends nothing of it.
// A message that certainly was not sent is released (its record deleted) and may be claimed again.
// Every record expires `retentionMs` after its last change.
import { checkKeys, isPlainObject } from "../checks.js";
import { LuxSciValidationError } from "../errors.js";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
export const DEFAULTS = Object.freeze({ holdMs: 2 * MINUTE_MS, leaseMs: 5 * MINUTE_MS, retentionMs: 7 * DAY_MS, prefix: "{luxsci}" });
/** The journal's record states (what `journal.get` and a skipped result's `record.state` say). */
export const STATES = Object.freeze(["claimed", "sending", "sent", "mayHaveBeenSent"]);
const MAX_KEY_LENGTH = 512;

/** Checks `options` of the factory `what` against `allowed` keys; returns the object. */
export function readOptions(options, what, allowed) {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw new LuxSciValidationError(`${what} options must be an object`);
  checkKeys(options, what, allowed);
  return options;
}

export function positiveInteger(value, what, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new LuxSciValidationError(`${what} must be a positive integer; got ${String(value)}`);
  return value;
}

/** `windows`: one `{ limit, windowMs }` or a list of them (e.g. per minute and per day); at most one per windowMs. */
export function readWindows(windows, what) {
  const list = Array.isArray(windows) ? windows : windows === undefined ? [] : [windows];
  if (list.length === 0) throw new LuxSciValidationError(`${what} needs windows: { limit, windowMs } or a list of them`);
  const seen = new Set();
  return list.map((w, i) => {
    readOptions(w, `${what} windows[${i}]`, ["limit", "windowMs"]);
    const window = { limit: positiveInteger(w.limit, `${what} windows[${i}].limit`), windowMs: positiveInteger(w.windowMs, `${what} windows[${i}].windowMs`) };
    if (seen.has(window.windowMs)) throw new LuxSciValidationError(`${what} has two windows of ${window.windowMs} ms`);
    seen.add(window.windowMs);
    return window;
  });
}

export function readPrefix(prefix) {
  if (prefix === undefined) return DEFAULTS.prefix;
  if (typeof prefix !== "string" || prefix === "") throw new LuxSciValidationError("prefix must be a non-empty string");
  return prefix;
}

export function readOwner(owner) {
  if (owner === undefined) return `worker-${crypto.randomUUID()}`;
  if (typeof owner !== "string" || owner === "" || owner.length > MAX_KEY_LENGTH) throw new LuxSciValidationError(`owner must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
  return owner;
}

/** A message key as the journal takes it, or the LuxSciValidationError that keeps the message from being sent. */
export function checkKey(key, index) {
  if (typeof key === "string" && key !== "" && key.length <= MAX_KEY_LENGTH) return key;
  return new LuxSciValidationError(`message ${index} needs a key (a string of 1 to ${MAX_KEY_LENGTH} characters) to be sent through a journal; got ${typeof key === "string" ? JSON.stringify(key.slice(0, 40)) : typeof key}`);
}

/**
 * The object sendEmailBatch's `limiter` option takes, over an engine's atomic `tryTake(id, holdMs)`
 * (resolves to 0 when granted, else the milliseconds to wait), `finish(id)`, `refund(id)` and `pause(ms)`.
 */
export function makeLimiter(engine, holdMs) {
  return Object.freeze({
    /**
     * Waits (with `sleep(ms, signal)`) for a slot in every window; resolves to a permit { finish(), refund() },
     * or undefined once `signal` fired.
     */
    async acquire(signal, sleep) {
      const id = crypto.randomUUID();
      for (;;) {
        if (signal?.aborted) return undefined;
        const wait = await engine.tryTake(id, holdMs);
        if (wait <= 0) return { finish: () => engine.finish(id), refund: () => engine.refund(id) };
        await sleep(wait, signal);
      }
    },
    /** No slot is granted to anyone for the next `ms` milliseconds (a Retry-After seen by one worker holds the fleet). */
    pause: (ms) => engine.pause(Math.max(1, Math.ceil(ms))),
  });
}

/**
 * The object sendEmailBatch's `journal` option takes, over an engine's atomic `claim`, `begin`, `settle`
 * and `get`. `claim(keys)` resolves to { token, outcomes } (per key: true = claimed, else the record
 * that holds it); `begin(token, keys)` to per key true (now "sending") or the record that holds it;
 * `settle(token, entries)` records [{ key, state: "sent", sendmailId } | { key, state: "mayHaveBeenSent" } | { key, state: "unsent" }].
 */
export function makeJournal(engine, owner) {
  return Object.freeze({
    owner,
    async claim(keys) {
      const token = crypto.randomUUID();
      return { token, outcomes: await engine.claim(token, keys) };
    },
    begin: (token, keys) => engine.begin(token, keys),
    settle: (token, entries) => engine.settle(token, entries),
    /** The records of `keys` (undefined where there is none): { state, by, at, sendmailId? }; a lapsed "sending" reads as mayHaveBeenSent. */
    get: (keys) => engine.get(keys),
  });
}

