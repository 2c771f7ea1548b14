// The batch sender behind client.sendEmailBatch (client.js loads this file on the first call): any number of
// messages sent through the client's own sendEmail, packed into as few calls as the limits allow, paced, never
// sent twice, with one result per message in input order.
import { LuxSciError, LuxSciAbortError, LuxSciAuthError, LuxSciValidationError } from "./errors.js";
import { checkKeys, isPlainObject } from "./checks.js";
import { checkKey } from "./keys.js";

const OPTION_KEYS = ["limits", "rate", "concurrency", "maxRetries", "priority", "timeoutMs", "username", "onProgress", "resumeFrom", "signal", "clock", "journal", "limiter"];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const REAL_CLOCK = Object.freeze({
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
});

/**
 * Sends `messages` (an array, or any iterable or async iterable of sendEmail messages) through `client` in as few
 * sendEmail calls as the limits allow, and resolves to one result per message, in input order:
 * `{ index, sendmailId }` or `{ index, error, mayHaveBeenSent }`. A call that may have reached LuxSci
 * is never repeated. Rejects only for bad options (LuxSciValidationError) or when reading `messages`
 * throws (a LuxSciError with `cause` and the `results` so far). `rules`, `{ retryWait, recipientCount }`, are the
 * core's, handed over by the client: this file is bundled apart from it and holds no wasm instance of its own.
 */
export function sendEmailBatch(client, messages, options, rules) {
  return new Batch(client, messages, options, rules).run();
}

class Batch {
  constructor(client, messages, options, rules) {
    this.client = client;
    this.rules = rules;
    this.options = readOptions(options, client.sendLimits);
    this.source = new Source(messages);
    this.limits = this.options.limits;
    this.journal = this.options.journal;
    this.limiter = this.options.limiter ? new SharedLimiter(this.options.limiter, this.options.clock) : new Limiter(this.options.rate, this.options.clock);
    this.results = [];
    this.counts = { sent: 0, failed: 0, skipped: 0, calls: 0 };
    this.held = undefined; // a message that did not fit into the previous call
    this.stopError = undefined;
    this.sourceFailed = undefined; // { cause } once reading `messages` threw
    this.halt = new AbortController(); // fires on the caller's abort and on errors that end the batch
  }

  async run() {
    const { signal, concurrency } = this.options;
    const onAbort = () => this.stop(new LuxSciAbortError("sendEmailBatch was aborted before this message was sent", { cause: signal.reason }));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const inFlight = new Set();
    try {
      while (!this.stopError && !this.sourceFailed) {
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        if (this.stopError) break;
        const call = await this.nextCall();
        if (!call) break;
        const task = this.send(call).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      await Promise.all(inFlight);
      if (this.sourceFailed) {
        const { cause } = this.sourceFailed;
        throw new LuxSciError(`reading the messages failed: ${cause?.message ?? cause}`, { cause, results: this.results });
      }
      if (this.stopError) await this.settleRest();
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    this.progress();
    return this.results;
  }

  /** Ends the batch: no new call starts; in-flight calls finish; everything unsent is reported with `error`. */
  stop(error) {
    if (this.stopError) return;
    this.stopError = error;
    this.halt.abort();
  }

  /** After a stop: the held message and, for an array, every message not yet read get the stop error. */
  async settleRest() {
    const unsent = (item) => this.settle(item.index, this.unsent(item, this.stopError));
    if (this.held) unsent(this.held);
    this.held = undefined;
    if (this.source.total === undefined) return this.source.close();
    for (let item; (item = await this.nextSendable()); ) unsent(item);
  }

  /**
   * The next call: consecutive sendable messages while they fit (greedy packing is minimal for packings
   * that keep input order). When reading fails, the messages already read still make up the call.
   */
  async nextCall() {
    const items = [];
    for (;;) {
      const before = items.length;
      await this.pack(items);
      if (!this.journal || items.length === before) break;
      // Claimed before the call is sent; what another worker holds or sent is skipped, and the call refilled.
      const fresh = items.splice(before);
      try {
        const { token, outcomes } = await this.journal.claim(fresh.map((item) => item.key));
        fresh.forEach((item, k) => {
          if (outcomes[k] === true) items.push({ ...item, token });
          else this.skip(item, outcomes[k]);
        });
      } catch (cause) {
        this.stop(new LuxSciError(`the journal failed: ${cause?.message ?? cause}`, { cause }));
        for (const item of fresh) this.settle(item.index, this.unsent(item, this.stopError));
        break;
      }
      if (this.held || this.source.done || items.length >= this.limits.maxMessages || this.stopError) break;
    }
    return items.length ? items : undefined;
  }

  /** Adds consecutive sendable messages to `items` while they fit. */
  async pack(items) {
    const { maxMessages, maxRecipientsPerCall } = this.limits;
    let recipients = items.reduce((n, item) => n + item.recipients, 0);
    while (items.length < maxMessages) {
      let item = this.held;
      this.held = undefined;
      try {
        item ??= await this.nextSendable();
      } catch (cause) {
        this.sourceFailed = { cause };
      }
      if (!item) break;
      if (recipients + item.recipients > maxRecipientsPerCall) {
        this.held = item;
        break;
      }
      items.push(item);
      recipients += item.recipients;
    }
  }

  /** Reads messages until one must be sent; settled ones (by `resumeFrom`) and invalid ones get their result on the way. */
  async nextSendable() {
    for (;;) {
      const next = await this.source.next();
      if (!next) return undefined;
      const { index, message } = next;
      const earlier = previousOutcome(this.options.resumeFrom, index);
      if (earlier) {
        this.settle(index, earlier);
        continue;
      }
      let item = { index, message };
      if (this.journal) {
        const key = checkKey(message?.key, index);
        if (key instanceof LuxSciValidationError) {
          this.settle(index, { index, status: "unsent", error: key, mayHaveBeenSent: false });
          continue;
        }
        const { key: _, ...rest } = message;
        item = { index, key, message: rest };
      }
      const counted = countRecipients(item.message, index, this.limits, this.rules);
      if (counted instanceof LuxSciValidationError) {
        this.settle(index, this.unsent(item, counted));
        continue;
      }
      return { ...item, recipients: counted };
    }
  }

  /** Sends one call, retrying it only while nothing can have been accepted; splits it when the client's pre-flight refuses it. */
  async send(items) {
    for (let retries = 0; ; retries++) {
      let stamp;
      try {
        stamp = await this.limiter.take(this.halt.signal);
        if (stamp !== undefined && this.journal) items = await this.begin(items);
      } catch (cause) {
        this.stop(new LuxSciError(`the ${this.journal ? "journal or " : ""}limiter failed: ${cause?.message ?? cause}`, { cause }));
        if (stamp !== undefined) await this.limiter.refund(stamp);
        return this.settleAll(items, this.stopError, false);
      }
      if (stamp === undefined) return this.settleAll(items, this.stopError, false);
      if (items.length === 0) return this.limiter.refund(stamp);
      let ids;
      try {
        ids = await this.client.sendEmail(this.body(items), this.options.callOptions);
      } catch (error) {
        if (error instanceof LuxSciValidationError) {
          // Found before anything was sent: give the request back to the limiter and isolate the culprit.
          await this.limiter.refund(stamp);
          if (items.length === 1) return this.settleAll(items, error, false);
          const half = Math.ceil(items.length / 2);
          await this.send(items.slice(0, half));
          return this.send(items.slice(half));
        }
        this.counts.calls++;
        await this.limiter.finish(stamp);
        if (mayHaveBeenSent(error)) return this.settleAll(items, error, true);
        // The core's rule: a wait when repeating is harmless and may help; Infinity for a Retry-After beyond
        // what is ever waited out (a spent daily quota), which, like refused credentials, ends the batch.
        const wait = error instanceof LuxSciError
          ? this.rules.retryWait(error.name, error.status, error.retryAfterMs, error.mayHaveBeenSent === true, retries)
          : undefined;
        if (error instanceof LuxSciAuthError || wait === Infinity) this.stop(error);
        if (wait === undefined || retries >= this.options.maxRetries || this.stopError) return this.settleAll(items, error, false);
        await this.limiter.pause(wait);
        continue;
      }
      this.counts.calls++;
      await this.limiter.finish(stamp);
      // sendEmail resolves only with one id per message; any other success rejected with mayHaveBeenSent.
      if (!this.journal) {
        items.forEach((item, k) => this.settle(item.index, { index: item.index, sendmailId: ids[k] }));
        return this.progress();
      }
      const by = this.journal.owner;
      items.forEach((item, k) => this.settle(item.index, { index: item.index, key: item.key, status: "sent", sendmailId: ids[k], by }));
      await this.record(items.map((item, k) => ({ token: item.token, key: item.key, state: "sent", sendmailId: ids[k] })));
      return this.progress();
    }
  }

  /** Right before sending: keeps the messages whose claim this worker still holds (now "sending"); the others are skipped. */
  async begin(items) {
    const kept = [];
    for (const [token, group] of byToken(items)) {
      const outcomes = await this.journal.begin(token, group.map((item) => item.key));
      group.forEach((item, k) => (outcomes[k] === true ? kept.push(item) : this.skip(item, outcomes[k])));
    }
    return kept;
  }

  /** Writes outcomes to the journal; when it fails, the batch ends (the results stay true; the journal's "sending" records lapse to mayHaveBeenSent). */
  async record(entries) {
    try {
      for (const [token, group] of byToken(entries)) await this.journal.settle(token, group);
    } catch (cause) {
      this.stop(new LuxSciError(`the journal failed: ${cause?.message ?? cause}`, { cause }));
    }
  }

  skip(item, record) {
    this.settle(item.index, { index: item.index, key: item.key, status: "skipped", record });
  }

  unsent(item, error) {
    return this.journal ? { index: item.index, key: item.key, status: "unsent", error, mayHaveBeenSent: false } : { index: item.index, error, mayHaveBeenSent: false };
  }

  body(items) {
    const body = { messages: items.map((item) => item.message) };
    if (this.options.priority !== undefined) body.priority = this.options.priority;
    return body;
  }

  async settleAll(items, error, maybeSent) {
    if (!this.journal) {
      for (const { index } of items) this.settle(index, { index, error, mayHaveBeenSent: maybeSent });
      return this.progress();
    }
    for (const item of items) {
      this.settle(item.index, maybeSent ? { index: item.index, key: item.key, status: "mayHaveBeenSent", error, mayHaveBeenSent: true } : this.unsent(item, error));
    }
    const state = maybeSent ? "mayHaveBeenSent" : "unsent";
    await this.record(items.filter((item) => item.token).map((item) => ({ token: item.token, key: item.key, state })));
    this.progress();
  }

  settle(index, result) {
    this.results[index] = result;
    if ("sendmailId" in result) this.counts.sent++;
    else if (result.status === "skipped") this.counts.skipped++;
    else this.counts.failed++;
  }

  progress() {
    const { onProgress } = this.options;
    if (!onProgress) return;
    const { sent, failed, skipped, calls } = this.counts;
    const known = this.source.total ?? this.source.index;
    try {
      onProgress(this.journal ? { sent, failed, skipped, pending: known - sent - failed - skipped, calls } : { sent, failed, pending: known - sent - failed, calls });
    } catch {
      // A failing progress callback must not leave messages unaccounted for.
    }
  }
}

/** Messages read one at a time from an array or an (async) iterable, numbered in input order. */
class Source {
  constructor(messages) {
    const iterator = typeof messages === "string" ? undefined : (messages?.[Symbol.asyncIterator] ?? messages?.[Symbol.iterator])?.call(messages);
    if (!iterator) throw new LuxSciValidationError("sendEmailBatch takes an array, an iterable or an async iterable of messages");
    this.iterator = iterator;
    this.total = Array.isArray(messages) ? messages.length : undefined;
    this.index = 0;
    this.done = false;
  }

  async next() {
    if (this.done) return undefined;
    let step;
    try {
      step = await this.iterator.next();
    } catch (error) {
      this.done = true;
      throw error;
    }
    if (step.done) {
      this.done = true;
      return undefined;
    }
    return { index: this.index++, message: step.value };
  }

  async close() {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }
}

/** Pacing: at most `perMinute` / `perDay` calls in any sliding minute / day, and no call before a pause (Retry-After, backoff) ends. */
class Limiter {
  constructor(rate, clock) {
    this.clock = clock;
    this.windows = [
      [rate.perMinute, MINUTE_MS],
      [rate.perDay, DAY_MS],
    ]
      .filter(([max]) => max !== undefined)
      .map(([max, span]) => ({ max, span, stamps: [], head: 0 }));
    this.pausedUntil = -Infinity;
    this.queue = Promise.resolve();
  }

  /** Waits for this caller's turn (callers are served in order); resolves to the call's time stamp, or undefined once `signal` fired. */
  take(signal) {
    const turn = this.queue.then(() => this.wait(signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  async wait(signal) {
    for (;;) {
      if (signal.aborted) return undefined;
      const now = this.clock.now();
      let until = this.pausedUntil;
      for (const w of this.windows) {
        while (w.head < w.stamps.length && w.stamps[w.head] <= now - w.span) w.head++;
        if (w.head > 1024 && w.head * 2 > w.stamps.length) {
          w.stamps.splice(0, w.head);
          w.head = 0;
        }
        if (w.stamps.length - w.head >= w.max) until = Math.max(until, w.stamps[w.head] + w.span);
      }
      if (until <= now) {
        for (const w of this.windows) w.stamps.push(now);
        return now;
      }
      await this.clock.sleep(until - now, signal);
    }
  }

  /** No call starts in the next `ms` milliseconds. */
  pause(ms) {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Single-process pacing counts a call at its start: nothing to do when it finishes. */
  finish() {}

  /** Forgets a call that never reached the server. */
  refund(stamp) {
    for (const w of this.windows) {
      const at = w.stamps.lastIndexOf(stamp);
      if (at >= w.head) w.stamps.splice(at, 1);
    }
  }
}

/** A fleet limiter (js/fleet/) in the local Limiter's shape: take() resolves to a permit, waiting on the batch's clock. */
class SharedLimiter {
  constructor(limiter, clock) {
    this.limiter = limiter;
    this.clock = clock;
  }

  take(signal) {
    return this.limiter.acquire(signal, this.clock.sleep);
  }

  pause(ms) {
    return this.limiter.pause(ms);
  }

  finish(permit) {
    return permit.finish();
  }

  refund(permit) {
    return permit.refund();
  }
}

/** Journal entries grouped by the claim token they hold. */
function byToken(entries) {
  const groups = new Map();
  for (const entry of entries) {
    if (groups.has(entry.token)) groups.get(entry.token).push(entry);
    else groups.set(entry.token, [entry]);
  }
  return groups;
}

/** Whether a failed call may have been accepted: anything the client does not vouch for counts as sent. */
function mayHaveBeenSent(error) {
  return !(error instanceof LuxSciError) || error.mayHaveBeenSent === true;
}

/** The earlier run's outcome for `index` when it must not be sent again: sent, or maybe sent. */
function previousOutcome(resumeFrom, index) {
  const earlier = resumeFrom?.[index];
  if (!earlier) return undefined;
  if (earlier.sendmailId !== undefined) return { index, sendmailId: earlier.sendmailId };
  if (earlier.mayHaveBeenSent === true) return { index, error: earlier.error, mayHaveBeenSent: true };
  return undefined;
}

/** to + cc + bcc of a message (as the client counts them), or the LuxSciValidationError that keeps it from being sent. */
function countRecipients(message, index, limits, { recipientCount }) {
  if (!isPlainObject(message)) return new LuxSciValidationError(`message ${index} must be an object`);
  let total;
  try {
    total = recipientCount(message, (key) => `message ${index}: ${key} must be an array of addresses`);
  } catch (error) {
    return error;
  }
  const { maxRecipientsPerMessage, maxRecipientsPerCall } = limits;
  const max = Math.min(maxRecipientsPerMessage, maxRecipientsPerCall);
  if (total === 0 || total > max) {
    return new LuxSciValidationError(`message ${index} has ${total} recipients; each message needs 1 to ${max} (to + cc + bcc)`);
  }
  return total;
}

// `clientLimits`: the client's sendEmail limits (its `sendLimits` option, else LuxSci's documented ones),
// which the batch packs to unless `limits` lowers them.
function readOptions(options = {}, clientLimits) {
  if (!isPlainObject(options)) throw new LuxSciValidationError("sendEmailBatch options must be an object");
  checkKeys(options, "sendEmailBatch", OPTION_KEYS);
  const { limits = {}, rate = {}, clock = REAL_CLOCK, signal, onProgress, resumeFrom, priority, timeoutMs, username, journal, limiter } = options;
  for (const [what, value, keys] of [
    ["limits", limits, Object.keys(clientLimits)],
    ["rate", rate, ["perMinute", "perDay"]],
  ]) {
    if (!isPlainObject(value)) throw new LuxSciValidationError(`sendEmailBatch option ${what} must be an object`);
    checkKeys(value, `sendEmailBatch ${what}`, keys);
  }
  const read = {
    limits: Object.fromEntries(Object.entries(clientLimits).map(([k, max]) => [k, integer(limits[k], `limits.${k} (at most the client's sendLimits)`, 1, max) ?? max])),
    rate: { perMinute: integer(rate.perMinute, "rate.perMinute", 1), perDay: integer(rate.perDay, "rate.perDay", 1) },
    concurrency: integer(options.concurrency, "concurrency", 1) ?? 2,
    maxRetries: integer(options.maxRetries, "maxRetries", 0) ?? 2,
    priority: integer(priority, "priority", 0, 9),
    clock,
    signal,
    onProgress,
    resumeFrom,
    journal,
    limiter,
    callOptions: Object.fromEntries(Object.entries({ timeoutMs, username }).filter(([, v]) => v !== undefined)),
  };
  if (typeof clock?.now !== "function" || typeof clock.sleep !== "function") throw new LuxSciValidationError("sendEmailBatch option clock needs now() and sleep(ms, signal)");
  if (signal !== undefined && !(typeof signal?.addEventListener === "function" && "aborted" in signal)) throw new LuxSciValidationError("sendEmailBatch option signal must be an AbortSignal");
  if (onProgress !== undefined && typeof onProgress !== "function") throw new LuxSciValidationError("sendEmailBatch option onProgress must be a function");
  if (journal !== undefined && !["claim", "begin", "settle"].every((f) => typeof journal?.[f] === "function")) throw new LuxSciValidationError("sendEmailBatch option journal must be a journal from luxsci/fleet (redisJournal, durableJournal)");
  if (journal !== undefined && resumeFrom !== undefined) throw new LuxSciValidationError("sendEmailBatch takes journal or resumeFrom, not both: with a journal, running the same messages again resumes");
  if (limiter !== undefined && typeof limiter?.acquire !== "function") throw new LuxSciValidationError("sendEmailBatch option limiter must be a limiter from luxsci/fleet (redisLimiter, durableLimiter)");
  if (limiter !== undefined && (read.rate.perMinute !== undefined || read.rate.perDay !== undefined)) throw new LuxSciValidationError("sendEmailBatch takes rate or limiter, not both: give the limiter every window");
  if (resumeFrom !== undefined) {
    if (!Array.isArray(resumeFrom)) throw new LuxSciValidationError("sendEmailBatch option resumeFrom must be the results array of an earlier run");
    resumeFrom.forEach((r, i) => {
      if (r != null && r.index !== i) throw new LuxSciValidationError(`resumeFrom[${i}] is not result ${i}: pass an earlier run's results unchanged`);
    });
  }
  return read;
}

function integer(value, what, min, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LuxSciValidationError(`sendEmailBatch option ${what} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}; got ${String(value)}`);
  }
  return value;
}

