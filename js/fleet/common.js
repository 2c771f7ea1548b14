// The engine-neutral half of the fleet limiter and claim journal: option checks, the rules below as
// JavaScript (journalStep, windowWait: what the Durable Object runs; the Redis scripts say the same in Lua),
// and the objects sendEmailBatch's `limiter` and `journal` options take, built over one engine's atomic
// operations (js/fleet/redis.js, js/fleet/durable.js). The rules, stated once:
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
import { MAX_KEY_LENGTH } from "../keys.js";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DEFAULTS = Object.freeze({ holdMs: 2 * MINUTE_MS, leaseMs: 5 * MINUTE_MS, retentionMs: 7 * DAY_MS });

/** Checks `options` of the factory `what` against `allowed` keys; returns the object. */
function readOptions(options, what, allowed) {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw new LuxSciValidationError(`${what} options must be an object`);
  checkKeys(options, what, allowed);
  return options;
}

function positiveInteger(value, what, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new LuxSciValidationError(`${what} must be a positive integer; got ${String(value)}`);
  return value;
}

/** `windows`: one `{ limit, windowMs }` or a list of them (e.g. per minute and per day); at most one per windowMs. */
function readWindows(windows, what) {
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

/** Where an engine keeps the state (a Redis key prefix, a Durable Object's name): a non-empty string. */
function readPlace(value, what, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value === "") throw new LuxSciValidationError(`${what} must be a non-empty string`);
  return value;
}

/**
 * The options of a limiter factory `what`: { windows, holdMs } and `place` (the option naming where the
 * engine keeps its state, default `fallback`), checked; resolves `place` under the key "place".
 */
export function readLimiterOptions(options, what, place, fallback) {
  const read = readOptions(options, what, ["windows", place, "holdMs"]);
  return {
    windows: readWindows(read.windows, what),
    place: readPlace(read[place], `${what} ${place}`, fallback),
    holdMs: positiveInteger(read.holdMs, `${what} holdMs`, DEFAULTS.holdMs),
  };
}

/** The options of a journal factory `what`: { owner, leaseMs, retentionMs } and `place`, as readLimiterOptions. */
export function readJournalOptions(options, what, place, fallback) {
  const read = readOptions(options, what, ["owner", place, "leaseMs", "retentionMs"]);
  return {
    owner: readOwner(read.owner),
    place: readPlace(read[place], `${what} ${place}`, fallback),
    leaseMs: positiveInteger(read.leaseMs, `${what} leaseMs`, DEFAULTS.leaseMs),
    retentionMs: positiveInteger(read.retentionMs, `${what} retentionMs`, DEFAULTS.retentionMs),
  };
}

function readOwner(owner) {
  if (owner === undefined) return `worker-${crypto.randomUUID()}`;
  if (typeof owner !== "string" || owner === "" || owner.length > MAX_KEY_LENGTH) throw new LuxSciValidationError(`owner must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
  return owner;
}

/**
 * How long a window of `limit` calls per `windowMs` keeps refusing, `now`, when it holds `count` calls and
 * the oldest scores `oldest` (undefined: none): 0 if it has room. A finished call leaves at its score +
 * windowMs; one still in flight (a score in the future) not before now + windowMs.
 */
export function windowWait({ limit, windowMs }, count, oldest, now) {
  if (count < limit) return 0;
  return oldest <= now ? oldest + windowMs - now : windowMs;
}

/**
 * The journal's rules for one key at the engine's time `now`. `stored` is the key's record { state, by, at,
 * until, token, sendmailId, ... } or undefined; `op` is "get", "claim", "begin" or "settle" (with `entry`,
 * one of settle's entries). Resolves to { out, write }: `out` is true (done) or what the caller is shown
 * (the record in the way, undefined where none); `write` is the record to store (a fresh one, without the
 * fields the engine adds, starts a new retention; the stored one with a changed state keeps them), null to
 * delete it, or undefined to leave it as it is.
 */
export function journalStep(op, stored, { now, token, owner, leaseMs, entry }) {
  let record = stored;
  let write;
  if (record?.state === "sending" && record.until <= now) {
    // Its worker vanished mid-call: the outcome is unknown for good.
    record = write = { ...record, state: "mayHaveBeenSent", at: now };
  }
  const fresh = (state, fields) => ({ state, by: owner, at: now, ...fields });
  const held = record !== undefined && record.token === token && (record.state === "claimed" || record.state === "sending");
  if (op === "claim" && (!record || (record.state === "claimed" && record.until <= now))) return { out: true, write: fresh("claimed", { token, until: now + leaseMs }) };
  if (op === "begin" && held) return { out: true, write: fresh("sending", { token, until: now + leaseMs }) };
  if (op !== "settle") return { out: shownRecord(record), write };
  if (entry.state === "sent") write = fresh("sent", { sendmailId: entry.sendmailId });
  else if (entry.state === "mayHaveBeenSent") write = record?.state === "sent" ? write : fresh("mayHaveBeenSent");
  else if (held) write = null;
  return { out: true, write };
}

/** A record as the journal shows it: { state, by, at, sendmailId? }, undefined where there is none. */
export function shownRecord(record) {
  if (!record) return undefined;
  const { state, by, at, sendmailId } = record;
  return sendmailId ? { state, by, at, sendmailId } : { state, by, at };
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

