// A whole call's time (totalTimeoutMs) against upstreams that ask for long waits or answer slowly, over real HTTP:
// a Retry-After over a minute, or past the call's deadline, ends the call at once instead of sleeping; the deadline
// cuts an attempt; the auth call counts against it. Waits are recorded, not waited for (fastTimers, which keeps
// the attempt timer of TIMEOUT_MS: the deadlines here leave it uncut, TOTAL_MS being just over it).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { luxsci, upstream, clientOf, oneMessage } from "./upstream.mjs";
import { withFastTimers, TIMEOUT_MS } from "../resilience/helpers.mjs";

const { LuxSciApiError, LuxSciTimeoutError, LuxSciValidationError } = luxsci;

/** An upstream answering GETs with each of `answers` in turn, then with an empty report. */
async function answering(answers, isTarget = (r) => r.method === "GET") {
  const queue = [...answers];
  const up = await upstream((r) => (isTarget(r) ? (queue.shift() ?? { status: 200, json: { success: 1, data: [] } }) : undefined));
  after(() => up.close());
  return up;
}

const TOTAL_MS = TIMEOUT_MS + 500;

const busy = (seconds) => ({ status: 503, headers: { "retry-after": String(seconds) }, json: { success: 0, error_message: "busy" } });

test("Retry-After: 999999 on a GET settles at once with the server's 503 and its retryAfterMs, without sleeping", async () => {
  const up = await answering([busy(999_999), busy(999_999), busy(999_999)]);
  const client = clientOf(up, { timeoutMs: TIMEOUT_MS });
  const { delays } = await withFastTimers(() =>
    assert.rejects(client.getDomainsReport(), (e) => e instanceof LuxSciApiError && e.status === 503 && e.retryAfterMs === 999_999_000),
  );
  assert.deepEqual(delays, [], "no wait before giving up");
  assert.equal(up.calls().length, 1);
});

test("a Retry-After that does not fit in what is left of totalTimeoutMs: a LuxSciTimeoutError at once (client option and per call)", async () => {
  const up = await answering([busy(50), busy(50), busy(5)]);
  const client = clientOf(up, { timeoutMs: TIMEOUT_MS, totalTimeoutMs: TOTAL_MS });
  const check = (e) => {
    assert.ok(e instanceof LuxSciTimeoutError, `${e.name}: ${e.message}`);
    assert.match(e.message, /LuxSci answered HTTP 503; waiting 50000 ms before the next attempt would exceed the call's totalTimeoutMs \(\d+ ms\)/);
    assert.equal(e.status, 503);
    assert.equal(e.retryAfterMs, 50_000);
    assert.equal(e.operationId, "getDomainsReport");
    return true;
  };
  const first = await withFastTimers(() => assert.rejects(client.getDomainsReport(), check));
  assert.deepEqual(first.delays, []);
  const perCall = clientOf(up, { timeoutMs: TIMEOUT_MS });
  const second = await withFastTimers(() => assert.rejects(perCall.getDomainsReport({ totalTimeoutMs: TOTAL_MS }), check));
  assert.deepEqual(second.delays, []);
  // One that fits is waited out, and the call goes on.
  const third = await withFastTimers(() => perCall.getDomainsReport({ totalTimeoutMs: TOTAL_MS }));
  assert.deepEqual(third.result, []);
  assert.deepEqual(third.delays, [5000]);
  assert.equal(up.calls().length, 4);
});

test("totalTimeoutMs cuts an attempt that timeoutMs would let run: a LuxSciTimeoutError naming it; a send says it may have been sent", async () => {
  const slow = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, json: { success: 1, data: [] } }), 1500));
  const up = await upstream((r) => (r.path.endsWith("/auth") ? undefined : slow()));
  after(() => up.close());
  const client = clientOf(up, { timeoutMs: 60_000, totalTimeoutMs: 300 });
  await client.authenticate({ totalTimeoutMs: 5000 });
  await assert.rejects(client.getDomainsReport(), (e) => e instanceof LuxSciTimeoutError && /totalTimeoutMs \(300 ms\)/.test(e.message) && e.mayHaveBeenSent === undefined);
  await assert.rejects(client.sendEmail(oneMessage()), (e) => e instanceof LuxSciTimeoutError && /totalTimeoutMs \(300 ms\)/.test(e.message) && e.mayHaveBeenSent === true);
});

test("the auth call counts against the deadline: an auth Retry-After past it ends the call at once, and a send says not sent", async () => {
  const up = await upstream((r) => (r.path.endsWith("/auth") ? busy(50) : { status: 200, json: { success: 1, data: ["id"] } }));
  after(() => up.close());
  const client = clientOf(up, { timeoutMs: TIMEOUT_MS, totalTimeoutMs: TOTAL_MS });
  const { delays } = await withFastTimers(() =>
    assert.rejects(client.sendEmail(oneMessage()), (e) => e instanceof LuxSciTimeoutError && e.mayHaveBeenSent === false && /totalTimeoutMs/.test(e.message)),
  );
  assert.deepEqual(delays, []);
  assert.equal(up.calls().length, 0);
});

test("a call waiting on an authentication another call started stops at its own deadline; the other still gets the code", async () => {
  const slowAuth = () => new Promise((resolve) => setTimeout(() => resolve({ status: 201, json: { success: 1, auth: "code-1" } }), 1500));
  const up = await upstream((r) => (r.path.endsWith("/auth") ? slowAuth() : { status: 200, json: { success: 1, data: [] } }));
  after(() => up.close());
  const client = clientOf(up);
  const order = [];
  const leader = client.getDomainsReport().then((data) => order.push("leader resolved") && data);
  const follower = client.getAliasesReport({ totalTimeoutMs: 300 }).catch((e) => {
    order.push("follower rejected");
    return e;
  });
  const error = await follower;
  assert.ok(error instanceof LuxSciTimeoutError, `${error.name}: ${error.message}`);
  assert.match(error.message, /totalTimeoutMs ran out while it waited for an authentication another call started/);
  assert.deepEqual(await leader, []);
  assert.deepEqual(order, ["follower rejected", "leader resolved"]);
  assert.deepEqual(up.calls().map((r) => r.path), ["/perl/api/v2/account/1/domains"], "the follower sent nothing");
});

test("totalTimeoutMs must be a positive number of milliseconds", async () => {
  for (const bad of [0, -1, "10", Infinity, Number.NaN]) {
    assert.throws(() => clientOf({ url: "http://127.0.0.1:9" }, { totalTimeoutMs: bad }), (e) => e instanceof LuxSciValidationError && /totalTimeoutMs/.test(e.message));
    const client = clientOf({ url: "http://127.0.0.1:9" });
    await assert.rejects(client.getDomainsReport({ totalTimeoutMs: bad }), (e) => e instanceof LuxSciValidationError && /totalTimeoutMs/.test(e.message));
  }
});
