// Authentication under load and failure: single flight, transparent replay after expiry, failed auth for every waiter, clock skew, revocation racing an auth in flight.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { luxsci, faultySandbox, clientOf, oneMessage, logOf, withFastTimers } from "./helpers.mjs";
import { verifyingFetch } from "../support/verifying-fetch.mjs";

const { LuxSciAuthError, LuxSciAbortError } = luxsci;
let sandbox;

before(async () => (sandbox = await faultySandbox()));
after(() => sandbox.close());
beforeEach(() => sandbox.faults.reset());

/** Auth calls the sandbox receives while `fn` runs. */
async function authCallsDuring(fn) {
  const before = sandbox.authCalls();
  const result = await fn();
  return { result, authCalls: sandbox.authCalls() - before };
}

test("100 concurrent calls on a fresh client make exactly one auth call", async () => {
  const client = clientOf(sandbox);
  const { result, authCalls } = await authCallsDuring(() =>
    Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? client.getDomainsReport() : client.getAliasesReport()))),
  );
  assert.equal(result.length, 100);
  assert.ok(result.every(Array.isArray));
  assert.equal(authCalls, 1);
});

test("expired auth is replayed transparently with exactly two auth calls, the replay re-signed with the new code", async () => {
  const verifier = verifyingFetch(sandbox.secret);
  const codes = [];
  const client = clientOf(sandbox, {
    fetch: (url, init) => {
      codes.push(/^signature=([^:]+):/.exec(new Headers(init.headers).get("cookie") ?? "")?.[1]);
      return verifier.fetch(url, init);
    },
  });
  const { authCalls } = await authCallsDuring(async () => {
    await client.getDomainsReport();
    sandbox.faults.expireAllAuth();
    const before = logOf(sandbox, "getDomainsReport").length;
    assert.ok(Array.isArray(await client.getDomainsReport()));
    assert.deepEqual(logOf(sandbox, "getDomainsReport").slice(before).map((e) => e.status), [401, 200]);
  });
  assert.equal(authCalls, 2);
  const [, first, expired, , replay] = codes;
  assert.equal(codes.length, 5, "auth, call, call (401), auth, replay");
  assert.equal(expired, first);
  assert.ok(replay && replay !== first, "the replay carries the new auth code");
});

test("expired auth under 20 concurrent calls re-authenticates once", async () => {
  const client = clientOf(sandbox);
  await client.authenticate();
  sandbox.faults.expireAllAuth();
  const { result, authCalls } = await authCallsDuring(() => Promise.all(Array.from({ length: 20 }, () => client.getDkimReport())));
  assert.equal(result.length, 20);
  assert.equal(authCalls, 1);
});

test("a 401 after re-authentication is a LuxSciAuthError, replayed only once", async () => {
  const client = clientOf(sandbox);
  await client.authenticate();
  sandbox.faults.failNext("getDomainsReport", { times: 2, status: 401 });
  const before = logOf(sandbox, "getDomainsReport").length;
  const { authCalls } = await authCallsDuring(() =>
    assert.rejects(client.getDomainsReport(), (e) => e instanceof LuxSciAuthError && e.status === 401 && e.operationId === "getDomainsReport"),
  );
  assert.equal(authCalls, 1, "one re-authentication");
  assert.equal(logOf(sandbox, "getDomainsReport").length - before, 2, "the request and its one replay");
});

test("a failed auth rejects every waiting call with LuxSciAuthError, and the next call tries again", async () => {
  const wrong = clientOf(sandbox, { secret: "0".repeat(64) });
  const { result, authCalls } = await authCallsDuring(() =>
    Promise.allSettled(Array.from({ length: 25 }, (_, i) => (i % 2 ? wrong.getDomainsReport() : wrong.sendEmail(oneMessage())))),
  );
  assert.equal(authCalls, 1);
  for (const outcome of result) {
    assert.equal(outcome.status, "rejected");
    assert.ok(outcome.reason instanceof LuxSciAuthError, outcome.reason.name);
    assert.equal(outcome.reason.status, 401);
  }
  const again = await authCallsDuring(() => assert.rejects(wrong.authenticate(), LuxSciAuthError));
  assert.equal(again.authCalls, 1);
});

test("an auth call answered 503 is retried", async () => {
  const client = clientOf(sandbox);
  sandbox.faults.failNext("authentication", { status: 503 });
  const { authCalls } = await authCallsDuring(() => withFastTimers(() => client.getDomainsReport()));
  assert.equal(authCalls, 2);
});

test("clock skew: the auth date is corrected from the server's Date and retried once", async () => {
  for (const skew of [3600, -7200]) {
    const skewed = await faultySandbox({ clockSkewSeconds: skew });
    try {
      const client = clientOf(skewed);
      assert.ok(Array.isArray(await client.getDomainsReport()));
      assert.equal(skewed.authCalls(), 2, "refused once for its date, then accepted");
      skewed.faults.expireAllAuth();
      assert.ok(Array.isArray(await client.getDomainsReport()));
      assert.equal(skewed.authCalls(), 3, "the correction is kept for later authentications");
    } finally {
      await skewed.close();
    }
  }
});

test("revokeAuthentication during an auth in flight revokes the session it opens; calls still succeed", async () => {
  const client = clientOf(sandbox);
  sandbox.faults.delayNext("authentication", { ms: 200 });
  const revokesBefore = logOf(sandbox, "revokeAuthentication").length;
  const [report, revoked] = await Promise.all([client.getDomainsReport(), client.revokeAuthentication()]);
  assert.ok(Array.isArray(report));
  assert.equal(revoked, undefined);
  assert.deepEqual(logOf(sandbox, "revokeAuthentication").slice(revokesBefore).map((e) => e.status), [200]);
  // The revoked code is gone: the next call authenticates afresh.
  const { authCalls } = await authCallsDuring(() => client.getDkimReport());
  assert.equal(authCalls, 1);
});

test("revokeAuthentication before any authentication sends nothing", async () => {
  const client = clientOf(sandbox);
  const before = sandbox.log.length;
  assert.equal(await client.revokeAuthentication(), undefined);
  assert.equal(sandbox.log.length, before);
});

test("aborting a call that waits on auth rejects it at once; the others get the code from the same auth call", async () => {
  const client = clientOf(sandbox);
  sandbox.faults.delayNext("authentication", { ms: 300 });
  const controller = new AbortController();
  const { result, authCalls } = await authCallsDuring(async () => {
    const answeredAuths = logOf(sandbox, "authentication").length;
    const leader = client.getDomainsReport({ signal: controller.signal });
    const follower = client.getAliasesReport();
    const aborted = assert.rejects(leader, (e) => e instanceof LuxSciAbortError && e.operationId === "getDomainsReport");
    controller.abort();
    await aborted;
    assert.equal(logOf(sandbox, "authentication").length, answeredAuths, "rejected before the auth call was answered");
    const report = await follower;
    assert.ok(Array.isArray(await client.getDkimReport()), "the auth code was cached");
    return report;
  });
  assert.ok(Array.isArray(result));
  assert.equal(authCalls, 1);
});
