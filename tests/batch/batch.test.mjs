// sendEmailBatch against the sandbox over HTTP: packing, pacing, Retry-After, drop after receipt, abort,
// resume, per-message validation, pre-flight isolation, stopping on refused credentials, bad options.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { luxsci } from "../support/package.mjs";
import { setup, message, spread, fakeClock, sentBySubject, sendEmailRequests, assertAccounted, LuxSciClient } from "./helpers.mjs";

const { LuxSciAbortError, LuxSciApiError, LuxSciAuthError, LuxSciConnectionError, LuxSciValidationError } = luxsci;
let sandbox;
let client;

before(async () => ({ sandbox, client } = await setup()));
after(() => sandbox.close());

/** A fresh sandbox per test that counts what was sent, so that records don't mix. */
async function fresh(clientOptions) {
  const made = await setup(clientOptions);
  after(() => made.sandbox.close());
  return made;
}

/**
 * Fewest calls for `counts` (recipients per message) when calls keep input order: f(i) = 1 + f(lo(i))
 * where lo(i) is the earliest start of a call that can end at message i (f is non-decreasing).
 */
function minimumCalls(counts, { maxMessages, maxRecipientsPerCall }) {
  const f = new Array(counts.length + 1).fill(0);
  let lo = 0;
  let sum = 0;
  for (let i = 1; i <= counts.length; i++) {
    sum += counts[i - 1];
    while (i - lo > maxMessages || sum > maxRecipientsPerCall) sum -= counts[lo++];
    f[i] = f[lo] + 1;
  }
  return f[counts.length];
}

test("25,000 messages of mixed recipient counts go out in the fewest calls the limits allow, ids in input order", async () => {
  // Runs of single-recipient messages (the 1000-message limit binds) alternate with mixed ones (the 1000-recipient limit binds).
  const counts = Array.from({ length: 25_000 }, (_, i) => {
    if (i % 5000 < 3000) return 1;
    const [kind, size] = [spread(i), spread(i + 25_000)];
    return kind < 0.7 ? 1 + Math.floor(size * 5) : kind < 0.95 ? 6 + Math.floor(size * 35) : 41 + Math.floor(size * 60);
  });
  const limits = { maxMessages: 1000, maxRecipientsPerCall: 1000 };
  const expected = minimumCalls(counts, limits);
  const total = counts.reduce((a, b) => a + b, 0);
  const lowerBound = Math.max(Math.ceil(counts.length / 1000), Math.ceil(total / 1000));
  const progress = [];
  const results = await client.sendEmailBatch(
    counts.map((r, i) => message(i, r)),
    { onProgress: (p) => progress.push(p) },
  );
  const sent = sentBySubject(sandbox);
  assertAccounted(results, counts.length, sent);
  assert.ok(results.every((r) => typeof r.sendmailId === "string"));
  assert.equal(sent.size, counts.length);
  const sends = sandbox.sends();
  assert.equal(sends.length, expected, `calls made vs the fewest possible (${expected}; the bound ignoring order is ${lowerBound})`);
  assert.ok(expected >= lowerBound);
  assert.equal(sendEmailRequests(sandbox), expected);
  // Every call keeps input order and is full: within the limits, and the next message would not have fit.
  const first = (s) => Number(s.messages[0].subject.slice(1));
  const calls = sends.sort((a, b) => first(a) - first(b));
  calls.forEach((s, k) => {
    const recipients = s.messages.reduce((n, m) => n + m.to.length + (m.cc?.length ?? 0) + (m.bcc?.length ?? 0), 0);
    assert.deepEqual(s.messages.map((m) => m.subject), Array.from({ length: s.messages.length }, (_, j) => `m${first(s) + j}`));
    assert.ok(s.messages.length <= 1000 && recipients <= 1000, `call ${k}: ${s.messages.length} messages, ${recipients} recipients`);
    const next = first(s) + s.messages.length;
    if (k < calls.length - 1) assert.ok(s.messages.length === 1000 || recipients + counts[next] > 1000, `call ${k} had room for message ${next}`);
  });
  for (const p of progress) assert.equal(p.sent + p.failed + p.pending, counts.length);
  assert.deepEqual(progress.at(-1), { sent: counts.length, failed: 0, pending: 0, calls: expected });
  console.log(`# 25,000 messages, ${total} recipients: ${sends.length} calls (fewest in input order ${expected}; order-free bound ${lowerBound})`);
});

test("a shared attachment is uploaded once per call, however many of the call's messages carry it", async () => {
  const { sandbox, client } = await fresh();
  const terms = new TextEncoder().encode("terms and conditions\n".repeat(50));
  const input = Array.from({ length: 2500 }, (_, i) => ({
    ...message(i),
    attachments: [{ name: "terms.txt", content: terms }, ...(i % 500 === 0 ? [{ name: `own-${i}.txt`, content: `for ${i}` }] : [])],
  }));
  const results = await client.sendEmailBatch(input);
  assertAccounted(results, 2500, sentBySubject(sandbox));
  assert.ok(results.every((r) => r.sendmailId));
  const hash = createHash("sha256").update(terms).digest("hex");
  const files = sandbox.sends().map((s) => s.files.map((f) => `${f.name}:${f.hash === hash ? "shared" : f.size}`).sort());
  assert.deepEqual(files.sort(), [
    ["own-0.txt:5", "own-500.txt:7", "terms.txt:shared"],
    ["own-1000.txt:8", "own-1500.txt:8", "terms.txt:shared"],
    ["own-2000.txt:8", "terms.txt:shared"],
  ]);
});

test("a limiter of N per minute (and per day) is respected on a fake clock, and no call waits longer than it must", async () => {
  const { sandbox, client } = await fresh({ onRequest: (info) => info.operationId === "sendEmail" && stamps.push(clock.now()) });
  const clock = fakeClock();
  const stamps = [];
  const rate = { perMinute: 5, perDay: 12 };
  const results = await client.sendEmailBatch(
    Array.from({ length: 15 }, (_, i) => message(i)),
    { limits: { maxMessages: 1 }, rate, concurrency: 3, clock },
  );
  assertAccounted(results, 15, sentBySubject(sandbox));
  assert.equal(stamps.length, 15);
  const window = (span, max) => stamps.forEach((t, i) => i + max < stamps.length && assert.ok(stamps[i + max] - t >= span, `call ${i + max} within ${span} ms of call ${i}`));
  window(60_000, rate.perMinute);
  window(86_400_000, rate.perDay);
  // Each call starts at the first moment both windows allow it.
  const day = 86_400_000;
  assert.deepEqual(stamps, [0, 0, 0, 0, 0, 60e3, 60e3, 60e3, 60e3, 60e3, 120e3, 120e3, day, day, day]);
});

test("a 429 is retried after its Retry-After, and the client's error carries retryAfterMs", async () => {
  const { sandbox, client } = await fresh();
  sandbox.faults.failNext("sendEmail", { status: 429, retryAfter: 3 });
  const direct = await client.sendEmail({ messages: [message(0)] }).catch((e) => e);
  assert.ok(direct instanceof LuxSciApiError);
  assert.equal(direct.status, 429);
  assert.equal(direct.retryAfterMs, 3000);
  assert.equal(direct.mayHaveBeenSent, false);

  const clock = fakeClock();
  sandbox.faults.failNext("sendEmail", { status: 429, retryAfter: 7 });
  const results = await client.sendEmailBatch(
    Array.from({ length: 3000 }, (_, i) => message(i)),
    { clock, concurrency: 1 },
  );
  assertAccounted(results, 3000, sentBySubject(sandbox));
  assert.ok(results.every((r) => r.sendmailId));
  assert.deepEqual(clock.sleeps, [7000]);
  assert.equal(sendEmailRequests(sandbox), 1 + 4);
  assert.equal(sandbox.sends().length, 3);
});

test("a 408 (LuxSci did not take the request) fails a direct send as not sent, and a batch sends that call again once", async () => {
  const { sandbox, client } = await fresh();
  sandbox.faults.failNext("sendEmail", { status: 408 });
  const direct = await client.sendEmail({ messages: [message(0)] }).catch((e) => e);
  assert.ok(direct instanceof LuxSciApiError);
  assert.equal(direct.status, 408);
  assert.equal(direct.mayHaveBeenSent, false);
  const clock = fakeClock();
  sandbox.faults.failNext("sendEmail", { status: 408, times: 2 });
  const results = await client.sendEmailBatch(Array.from({ length: 3 }, (_, i) => message(i)), { clock, concurrency: 1 });
  assertAccounted(results, 3, sentBySubject(sandbox));
  assert.ok(results.every((r) => r.sendmailId));
  assert.equal(clock.sleeps.length, 2);
  assert.equal(sendEmailRequests(sandbox), 1 + 3);
  assert.equal(sandbox.sends().length, 1);
});

test("a Retry-After beyond a minute (a spent quota) stops the batch with nothing resent", async () => {
  const { sandbox, client } = await fresh();
  sandbox.faults.failNext("sendEmail", { status: 429, retryAfter: 3600 });
  const results = await client.sendEmailBatch(
    Array.from({ length: 2500 }, (_, i) => message(i)),
    { clock: fakeClock(), concurrency: 1 },
  );
  assertAccounted(results, 2500, sentBySubject(sandbox));
  assert.equal(sandbox.sends().length, 0);
  assert.ok(results.every((r) => r.error?.status === 429 && r.mayHaveBeenSent === false));
});

test("a connection dropped after receipt mid-run marks exactly that call's messages, and nothing is sent twice", async () => {
  const { sandbox, client } = await fresh();
  let injected = false;
  const results = await client.sendEmailBatch(
    Array.from({ length: 10_000 }, (_, i) => message(i)),
    {
      limits: { maxMessages: 500 },
      onProgress: (p) => {
        if (!injected && p.calls >= 4) {
          injected = true;
          sandbox.faults.dropNext("sendEmail");
        }
      },
    },
  );
  const sent = sentBySubject(sandbox);
  assertAccounted(results, 10_000, sent);
  assert.equal(sent.size, 10_000, "the dropped call was processed by the server, so every message was sent once");
  const maybe = results.filter((r) => r.mayHaveBeenSent === true);
  assert.equal(maybe.length, 500);
  assert.ok(maybe.every((r) => r.error instanceof LuxSciConnectionError));
  const dropped = sandbox.sends().filter((s) => s.messages.some((m) => m.subject === `m${maybe[0].index}`));
  assert.equal(dropped.length, 1);
  assert.deepEqual(dropped[0].messages.map((m) => m.subject), maybe.map((r) => `m${r.index}`));
  assert.equal(results.filter((r) => r.sendmailId).length, 9500);
  assert.equal(sendEmailRequests(sandbox), 20, "the dropped call was not repeated");
});

test("abort mid-run: in-flight calls finish, every message is accounted for, unsent ones are LuxSciAbortError", async () => {
  const { sandbox, client } = await fresh();
  const controller = new AbortController();
  const progress = [];
  const results = await client.sendEmailBatch(
    Array.from({ length: 20_000 }, (_, i) => message(i)),
    {
      limits: { maxMessages: 500 },
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.calls >= 5) controller.abort();
      },
    },
  );
  const sent = sentBySubject(sandbox);
  assertAccounted(results, 20_000, sent);
  const aborted = results.filter((r) => r.error);
  assert.ok(aborted.length > 0 && aborted.length < 20_000 - 5 * 500);
  assert.ok(aborted.every((r) => r.error instanceof LuxSciAbortError && r.mayHaveBeenSent === false));
  assert.equal(sent.size, 20_000 - aborted.length);
  assert.ok(sent.size % 500 === 0 && sent.size <= 7 * 500, `${sent.size} sent: at most the in-flight calls finish after the abort`);
  assert.deepEqual(progress.at(-1), { sent: sent.size, failed: aborted.length, pending: 0, calls: sent.size / 500 });
});

test("abort over an async iterable: a call waiting for the limiter is not sent, the iterable is closed, every message read is accounted for", async () => {
  const { sandbox, client } = await fresh();
  const controller = new AbortController();
  let read = 0;
  let closed = false;
  async function* messages() {
    try {
      for (let i = 0; i < 1_000_000; i++) {
        read++;
        yield message(i);
      }
    } finally {
      closed = true;
    }
  }
  // The real clock: the fourth call would wait a minute for the limiter, and the abort ends that wait.
  const results = await client.sendEmailBatch(messages(), {
    rate: { perMinute: 3 },
    signal: controller.signal,
    onProgress: (p) => p.calls >= 3 && controller.abort(),
  });
  assert.ok(closed);
  assert.equal(read, 4000, "messages are read only for the calls being sent");
  assertAccounted(results, read, sentBySubject(sandbox));
  assert.equal(results.filter((r) => r.sendmailId).length, 3000);
  assert.ok(results.slice(3000).every((r) => r.error instanceof LuxSciAbortError && r.mayHaveBeenSent === false));
});

test("resumeFrom re-runs only the messages that definitely were not sent", async () => {
  const { sandbox, client } = await fresh();
  const input = Array.from({ length: 6000 }, (_, i) => (i === 17 ? { ...message(i), to: [] } : message(i)));
  const controller = new AbortController();
  const first = await client.sendEmailBatch(input, {
    limits: { maxMessages: 400 },
    signal: controller.signal,
    onProgress: (p) => {
      if (p.calls === 2) sandbox.faults.dropNext("sendEmail");
      if (p.calls >= 4) controller.abort();
    },
  });
  const kinds = (results) => ({
    sent: results.filter((r) => r.sendmailId).length,
    maybe: results.filter((r) => r.mayHaveBeenSent === true).length,
    unsent: results.filter((r) => r.mayHaveBeenSent === false).length,
  });
  const before = kinds(first);
  assert.ok(before.maybe === 400 && before.unsent > 1, JSON.stringify(before));
  const second = await client.sendEmailBatch(input, { resumeFrom: first, limits: { maxMessages: 400 } });
  const sent = sentBySubject(sandbox);
  assertAccounted(second, 6000, sent);
  assert.deepEqual(kinds(second), { sent: 6000 - 400 - 1, maybe: 400, unsent: 1 });
  first.forEach((r, i) => {
    if (r.sendmailId) assert.equal(second[i].sendmailId, r.sendmailId);
    if (r.mayHaveBeenSent) assert.equal(second[i].error, r.error);
  });
  assert.ok(second[17].error instanceof LuxSciValidationError);
  assert.equal(sent.size, 6000 - 1);
});

test("a message over the per-message limit, or otherwise malformed, fails alone and is never sent", async () => {
  const { sandbox, client } = await fresh();
  const input = Array.from({ length: 50 }, (_, i) => message(i, 1 + (i % 5)));
  input[3] = message(3, 101);
  input[4] = message(4, 6);
  input[7] = { ...message(7), to: [], cc: undefined };
  input[9] = "not a message";
  input[11] = { ...message(11), to: 42 };
  // Objects that are not plain ones, refused as the client refuses them as a body.
  input[13] = new Blob([JSON.stringify(message(13))]);
  input[15] = new Uint8Array(8);
  const results = await client.sendEmailBatch(input, { limits: { maxRecipientsPerMessage: 5 } });
  assertAccounted(results, 50, sentBySubject(sandbox));
  const failed = results.filter((r) => r.error).map((r) => r.index);
  assert.deepEqual(failed, [3, 4, 7, 9, 11, 13, 15]);
  assert.match(results[13].error.message, /message 13 must be an object/);
  assert.match(results[15].error.message, /message 15 must be an object/);
  for (const i of failed) {
    assert.ok(results[i].error instanceof LuxSciValidationError);
    assert.equal(results[i].mayHaveBeenSent, false);
  }
  assert.match(results[3].error.message, /101 recipients; each message needs 1 to 5/);
  assert.equal(sandbox.sends().length, 1);
});

test("a call the client's pre-flight refuses is split until the culprit is alone; the rest go out", async () => {
  const { sandbox, client } = await fresh();
  const input = Array.from({ length: 40 }, (_, i) => message(i));
  // Same attachment name, different content, in one call: the client refuses the call as a whole.
  input[5].attachments = [{ name: "a.txt", content: "one" }];
  input[30].attachments = [{ name: "a.txt", content: "two" }];
  input[21].attachments = "not a list";
  const results = await client.sendEmailBatch(input);
  const sent = sentBySubject(sandbox);
  assertAccounted(results, 40, sent);
  assert.deepEqual(results.filter((r) => r.error).map((r) => r.index), [21]);
  assert.ok(results[21].error instanceof LuxSciValidationError && results[21].mayHaveBeenSent === false);
  assert.equal(sent.size, 39);
  const files = sandbox.sends().flatMap((s) => s.files.map((f) => f.name));
  assert.deepEqual(files, ["a.txt", "a.txt"]);
});

test("refused credentials stop the batch: nothing sent, every message reported unsent", async () => {
  const { sandbox, client } = await fresh({ secret: "not-the-secret" });
  const results = await client.sendEmailBatch(Array.from({ length: 5000 }, (_, i) => message(i)), { limits: { maxMessages: 100 } });
  assertAccounted(results, 5000, sentBySubject(sandbox));
  assert.ok(results.every((r) => r.error instanceof LuxSciAuthError && r.mayHaveBeenSent === false));
  assert.ok(sandbox.authCalls() <= 2, `${sandbox.authCalls()} auth calls`);
  assert.equal(sendEmailRequests(sandbox), 0);
});

test("a refused connection is retried up to maxRetries with backoff, then reported unsent", async () => {
  const { sandbox } = await fresh();
  const url = sandbox.url;
  await sandbox.close();
  const client = new LuxSciClient({ baseUrl: url, token: sandbox.token, secret: sandbox.secret, username: sandbox.username, maxRetries: 0 });
  const clock = fakeClock();
  const results = await client.sendEmailBatch([message(0), message(1)], { clock, maxRetries: 3 });
  assert.equal(results.length, 2);
  assert.ok(results.every((r) => r.error instanceof LuxSciConnectionError && r.mayHaveBeenSent === false));
  assert.equal(clock.sleeps.length, 3);
  assert.ok(clock.sleeps.every((ms, i) => ms >= 250 * 2 ** i && ms <= 500 * 2 ** i));
});

test("calls are packed to the client's sendLimits, which batch limits may lower but not raise", async () => {
  const { sandbox, client } = await fresh({ sendLimits: { maxMessages: 10, maxRecipientsPerCall: 25 } });
  assert.deepEqual(client.sendLimits, { maxMessages: 10, maxRecipientsPerMessage: 100, maxRecipientsPerCall: 25 });
  const results = await client.sendEmailBatch(Array.from({ length: 25 }, (_, i) => message(i)));
  assert.ok(results.every((r, i) => r.index === i && typeof r.sendmailId === "string"));
  assert.equal(sendEmailRequests(sandbox), 3);
  await assert.rejects(client.sendEmailBatch([message(99)], { limits: { maxMessages: 11 } }), /at most the client's sendLimits/);
  assert.equal(sendEmailRequests(sandbox), 3);
});

test("bad arguments reject with LuxSciValidationError before anything is sent", async () => {
  const { sandbox, client } = await fresh();
  const cases = [
    ["hello", undefined],
    [42, undefined],
    [[message(0)], { concurency: 2 }],
    [[message(0)], { concurrency: 0 }],
    [[message(0)], { priority: 10 }],
    [[message(0)], { limits: { maxMessages: 0 } }],
    [[message(0)], { limits: { maxMesages: 5 } }],
    [[message(0)], { rate: { perHour: 5 } }],
    [[message(0)], { onProgress: "yes" }],
    [[message(0)], { resumeFrom: [{ index: 1, sendmailId: "x" }] }],
    [[message(0)], { clock: { now: Date.now } }],
    [[message(0)], "options"],
    [[message(0)], new Blob(["{}"])],
    [[message(0)], new Uint8Array(2)],
    [[message(0)], { limits: new ArrayBuffer(8) }],
  ];
  for (const [messages, options] of cases) {
    await assert.rejects(client.sendEmailBatch(messages, options), LuxSciValidationError, JSON.stringify(options));
  }
  assert.equal(sendEmailRequests(sandbox), 0);
});

test("a throwing message source rejects after in-flight calls finish, with the results so far", async () => {
  const { sandbox, client } = await fresh();
  function* messages() {
    for (let i = 0; i < 2500; i++) yield message(i);
    throw new Error("disk gone");
  }
  const error = await client.sendEmailBatch(messages()).catch((e) => e);
  assert.equal(error.name, "LuxSciError");
  assert.equal(error.cause.message, "disk gone");
  assertAccounted(error.results, 2500, sentBySubject(sandbox));
  assert.ok(error.results.every((r) => r.sendmailId), "messages read before the failure are still sent");
  assert.equal(sandbox.sends().length, 3);
});
