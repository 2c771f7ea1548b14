// Timeouts and cancellation: timeoutMs and AbortSignal abort the fetch itself, reject with the right class, and leave no timer or listener behind; plus the observability hooks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { luxsci, sharedSandbox, clientOf, oneMessage, logOf, sdkTimers } from "./helpers.mjs";

const { LuxSciTimeoutError, LuxSciAbortError } = luxsci;
const { sandbox, client } = await sharedSandbox();

/** A fetch that records the AbortSignal of every request it passes on. */
function signalRecordingFetch() {
  const signals = [];
  const fetch = (url, init) => {
    signals.push(init.signal);
    return globalThis.fetch(url, init);
  };
  return { fetch, signals };
}

/** Resolves once the sandbox has logged `count` more entries of `operationId` than `from` (delayed requests finish after the call gave up), or after 5 s. */
async function logged(operationId, from, count) {
  for (let waited = 0; waited < 5_000 && logOf(sandbox, operationId).length < from + count; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("timeoutMs rejects with LuxSciTimeoutError and aborts the fetch itself", async () => {
  const recording = signalRecordingFetch();
  const impatient = clientOf(sandbox, { fetch: recording.fetch, timeoutMs: 100, maxRetries: 0 });
  await impatient.authenticate();
  sandbox.faults.delayNext("getDomainsReport", { ms: 1000 });
  await assert.rejects(impatient.getDomainsReport(), (e) => e instanceof LuxSciTimeoutError && e.operationId === "getDomainsReport");
  assert.equal(recording.signals.at(-1).aborted, true, "the fetch's own signal fired");
});

test("per-call timeoutMs overrides the client's; a timed-out GET is retried", async () => {
  const attempts = [];
  const hooked = clientOf(sandbox, { onRequest: (info) => attempts.push(info.attempt) });
  await hooked.authenticate();
  sandbox.faults.delayNext("getDkimReport", { ms: 1000 });
  assert.ok(Array.isArray(await hooked.getDkimReport({ timeoutMs: 100 })));
  assert.deepEqual(attempts, [1, 2]);
});

test("a timed-out sendEmail is not repeated: one server-side send, mayHaveBeenSent", async () => {
  const [log, sends] = [logOf(sandbox, "sendEmail").length, sandbox.sends().length];
  sandbox.faults.delayNext("sendEmail", { ms: 300 });
  await assert.rejects(client.sendEmail(oneMessage(), { timeoutMs: 50 }), (e) => {
    assert.ok(e instanceof LuxSciTimeoutError, e.name);
    assert.equal(e.mayHaveBeenSent, true);
    assert.match(e.message, /not repeated/);
    return true;
  });
  await logged("sendEmail", log, 1);
  assert.equal(logOf(sandbox, "sendEmail").length - log, 1);
  assert.equal(sandbox.sends().length - sends, 1);
});

test("an AbortSignal aborts the fetch in flight with LuxSciAbortError, without retrying", async () => {
  const recording = signalRecordingFetch();
  const watched = clientOf(sandbox, { fetch: recording.fetch });
  await watched.authenticate();
  sandbox.faults.delayNext("getAliasesReport", { ms: 1000 });
  const controller = new AbortController();
  const call = watched.getAliasesReport({ signal: controller.signal });
  while (recording.signals.length < 2) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await assert.rejects(call, (e) => e instanceof LuxSciAbortError && e.operationId === "getAliasesReport" && e.mayHaveBeenSent === undefined);
  assert.equal(recording.signals.length, 2, "the auth call and one attempt");
  assert.equal(recording.signals[1].aborted, true);
});

test("aborting a sendEmail in flight says it may have been sent; an already-aborted one sends nothing", async () => {
  const log = logOf(sandbox, "sendEmail").length;
  sandbox.faults.delayNext("sendEmail", { ms: 200 });
  const controller = new AbortController();
  const call = client.sendEmail(oneMessage(), { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(call, (e) => e instanceof LuxSciAbortError && e.mayHaveBeenSent === true && /not repeated/.test(e.message));
  await logged("sendEmail", log, 1);

  const before = sandbox.log.length;
  await assert.rejects(client.sendEmail(oneMessage(), { signal: AbortSignal.abort() }), (e) => e instanceof LuxSciAbortError && e.mayHaveBeenSent === false);
  assert.equal(sandbox.log.length, before, "nothing reached the sandbox");
});

test("abort during a backoff sleep rejects at once and clears the pending timer", async (t) => {
  const timers = sdkTimers();
  t.after(timers.restore);
  const controller = new AbortController();
  const aborting = clientOf(sandbox, { onResponse: (info) => info.status === 503 && controller.abort() });
  await aborting.authenticate();
  sandbox.faults.failNext("getDomainsReport", { status: 503, retryAfter: 60 });
  await assert.rejects(aborting.getDomainsReport({ signal: controller.signal }), LuxSciAbortError);
  assert.equal(timers.pending(), 0, "no 60 s timer keeps the process alive");
});

test("abort while waiting on an auth call leaves no timer behind", async (t) => {
  const timers = sdkTimers();
  t.after(timers.restore);
  const fresh = clientOf(sandbox);
  sandbox.faults.delayNext("authentication", { ms: 100 });
  const controller = new AbortController();
  const call = fresh.getDomainsReport({ signal: controller.signal });
  controller.abort();
  await assert.rejects(call, LuxSciAbortError);
  assert.equal(timers.pending(), 1, "only the auth call's own attempt timer, which goes on for other callers");
  await fresh.authenticate();
  assert.equal(timers.pending(), 0);
});

test("settled calls leave no timer and no abort listener behind", async (t) => {
  const timers = sdkTimers();
  t.after(timers.restore);
  const controller = new AbortController();
  let [listeners, added] = [0, 0];
  const { addEventListener, removeEventListener } = controller.signal;
  controller.signal.addEventListener = function (...args) {
    listeners += 1;
    added += 1;
    return addEventListener.apply(this, args);
  };
  controller.signal.removeEventListener = function (...args) {
    listeners -= 1;
    return removeEventListener.apply(this, args);
  };
  sandbox.faults.failNext("getDomainsReport", { status: 503, retryAfter: 0 });
  for (let i = 0; i < 5; i++) await client.getDomainsReport({ signal: controller.signal });
  await assert.rejects(client.getDomainDetails("missing.example.test", { signal: controller.signal }));
  assert.ok(added >= 7, `${added} listeners were added (one per attempt and per sleep)`);
  assert.equal(listeners, 0);
  assert.equal(timers.pending(), 0);
});

test("hooks see operationId, method, url, attempt and status, never headers; their failures are ignored", async () => {
  const seen = [];
  const rejections = [];
  const onRejection = (reason) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const hooked = clientOf(sandbox, {
      onRequest: (info) => {
        seen.push(["request", info]);
        throw new Error("hook failure");
      },
      onResponse: async (info) => {
        seen.push(["response", info]);
        throw new Error("async hook failure");
      },
    });
    sandbox.faults.failNext("getDomainDetails", { status: 503, retryAfter: 0 });
    await assert.rejects(hooked.getDomainDetails("a b@c"), (e) => e.status === 404);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  assert.deepEqual(rejections, []);
  const url = `${sandbox.url}/perl/api/v2/account/${sandbox.accountId}/domains/a%20b@c`;
  const info = (attempt, status) => ({ operationId: "getDomainDetails", method: "GET", url, attempt, ...(status && { status }) });
  assert.deepEqual(seen, [
    ["request", info(1)],
    ["response", info(1, 503)],
    ["request", info(2)],
    ["response", info(2, 404)],
  ]);
});
