// Retries against the sandbox's fault injection: which failures are repeated for which operations, backoff and Retry-After, and that nothing that may have reached LuxSci is sent twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { luxsci, sharedSandbox, faultySandbox, clientOf, oneMessage, logOf, withFastTimers, goneUrl, countingFetch } from "./helpers.mjs";

const { LuxSciApiError, LuxSciConnectionError } = luxsci;
const { sandbox, client } = await sharedSandbox();

test("a GET answered 503 twice then succeeds, after three attempts with growing jittered backoff", async () => {
  sandbox.faults.failNext("getDomainsReport", { times: 2, status: 503 });
  const before = logOf(sandbox, "getDomainsReport").length;
  const { result, delays } = await withFastTimers(() => client.getDomainsReport());
  assert.ok(Array.isArray(result));
  assert.deepEqual(logOf(sandbox, "getDomainsReport").slice(before).map((e) => e.status), [503, 503, 200]);
  assert.equal(delays.length, 2);
  assert.ok(delays[0] >= 250 && delays[0] < 500, `first backoff ${delays[0]}`);
  assert.ok(delays[1] >= 500 && delays[1] < 1000, `second backoff ${delays[1]}`);
});

test("408, 429 and every 5xx are retried for GET, PUT and DELETE", async () => {
  await client.createDomain({ domain: "retry.example.test" });
  for (const status of [408, 429, 500, 502, 504]) {
    sandbox.faults.failNext("getDomainDetails", { status });
    sandbox.faults.failNext("updateDomain", { status });
    await withFastTimers(async () => {
      assert.equal((await client.getDomainDetails("retry.example.test")).domain, "retry.example.test");
      await client.updateDomain("retry.example.test", { users: 3 });
    });
  }
  sandbox.faults.failNext("deleteDomain", { status: 503 });
  await withFastTimers(() => client.deleteDomain("retry.example.test"));
  assert.deepEqual(logOf(sandbox, "deleteDomain").map((e) => e.status), [503, 200]);
});

test("a 4xx other than 408/429 is not retried", async () => {
  const before = logOf(sandbox, "getDomainDetails").length;
  await assert.rejects(client.getDomainDetails("missing.example.test"), (e) => e instanceof LuxSciApiError && e.status === 404);
  assert.equal(logOf(sandbox, "getDomainDetails").length - before, 1);
});

test("maxRetries: default 2, per call, per client", async () => {
  sandbox.faults.failNext("getAliasesReport", { times: 3, status: 503 });
  const start = logOf(sandbox, "getAliasesReport").length;
  await withFastTimers(() =>
    assert.rejects(client.getAliasesReport(), (e) => e instanceof LuxSciApiError && e.status === 503 && e.mayHaveBeenSent === undefined),
  );
  assert.equal(logOf(sandbox, "getAliasesReport").length - start, 3, "1 attempt + 2 retries");

  sandbox.faults.failNext("getAliasesReport", { times: 1, status: 503 });
  await assert.rejects(client.getAliasesReport({ maxRetries: 0 }), (e) => e.status === 503);
  assert.equal(logOf(sandbox, "getAliasesReport").length - start, 4, "maxRetries: 0 makes one attempt");

  sandbox.faults.failNext("getAliasesReport", { times: 4, status: 503 });
  const patient = clientOf(sandbox, { maxRetries: 4 });
  const { result } = await withFastTimers(() => patient.getAliasesReport());
  assert.ok(Array.isArray(result));
  assert.equal(logOf(sandbox, "getAliasesReport").length - start, 9, "4 failures, then success");
});

test("Retry-After in seconds is honoured up to 60 s; a longer one (a spent quota) ends the call with its answer", async () => {
  sandbox.faults.failNext("getDkimReport", { status: 503, retryAfter: 1 });
  sandbox.faults.failNext("getDkimReport", { status: 429, retryAfter: 60 });
  sandbox.faults.failNext("getDkimReport", { status: 429, retryAfter: 3600 });
  const { delays } = await withFastTimers(() =>
    assert.rejects(client.getDkimReport({ maxRetries: 3 }), (e) => e instanceof LuxSciApiError && e.status === 429 && e.retryAfterMs === 3_600_000),
  );
  assert.deepEqual(delays, [1000, 60_000]);
});

test("Retry-After as an HTTP date is honoured", async () => {
  const at = new Date(Date.now() + 30_000).toUTCString();
  const datedFetch = async (url, init) => {
    const response = await fetch(url, init);
    if (!response.headers.has("retry-after")) return response;
    const headers = new Headers(response.headers);
    headers.set("retry-after", at);
    return new Response(await response.text(), { status: response.status, headers });
  };
  const dated = clientOf(sandbox, { fetch: datedFetch });
  await dated.authenticate();
  sandbox.faults.failNext("getDkimReport", { status: 503, retryAfter: 5 });
  const { delays } = await withFastTimers(() => dated.getDkimReport());
  assert.equal(delays.length, 1);
  assert.ok(delays[0] > 20_000 && delays[0] <= 30_000, `waited ${delays[0]} ms for a date 30 s ahead`);
});

test("a 500 on sendEmail is not retried, and says the message may have been sent", async () => {
  sandbox.faults.failNext("sendEmail", { status: 500 });
  const [log, sends] = [logOf(sandbox, "sendEmail").length, sandbox.sends().length];
  await assert.rejects(client.sendEmail(oneMessage()), (e) => {
    assert.ok(e instanceof LuxSciApiError);
    assert.equal(e.status, 500);
    assert.equal(e.operationId, "sendEmail");
    assert.equal(e.mayHaveBeenSent, true);
    assert.match(e.message, /not repeated/);
    return true;
  });
  assert.equal(logOf(sandbox, "sendEmail").length - log, 1, "exactly one attempt");
  assert.equal(sandbox.sends().length, sends);
});

test("429 and 503 on create/add/send calls are not retried either", async () => {
  for (const [op, call] of [
    ["sendEmail", () => client.sendEmail(oneMessage())],
    ["sendSecureEmailOrSecureText", () => client.sendSecureEmailOrSecureText({ to: ["a@example.test"], subject: "S", body: "B" })],
    ["createDomain", () => client.createDomain({ domain: "never.example.test" })],
    ["addMarketingList", () => client.addMarketingList({ name: "L" })],
  ]) {
    for (const status of [429, 503]) {
      sandbox.faults.failNext(op, { status, retryAfter: 1 });
      const before = logOf(sandbox, op).length;
      await assert.rejects(call(), (e) => e.status === status && e.mayHaveBeenSent === status >= 500);
      assert.equal(logOf(sandbox, op).length - before, 1, `${op} ${status}: one attempt`);
    }
  }
});

test("the one POST marked safe (retrieveSecureLineRecipientListEncryptionData) is retried", async () => {
  sandbox.faults.failNext("retrieveSecureLineRecipientListEncryptionData", { status: 503 });
  const { result } = await withFastTimers(() => client.retrieveSecureLineRecipientListEncryptionData({ recipients: ["a@example.test"] }));
  assert.ok(result);
  assert.deepEqual(logOf(sandbox, "retrieveSecureLineRecipientListEncryptionData").map((e) => e.status), [503, 200]);
});

test("a connection dropped after receipt of sendEmail: exactly one send, a LuxSciConnectionError", async () => {
  sandbox.faults.dropNext("sendEmail");
  const [log, sends] = [logOf(sandbox, "sendEmail").length, sandbox.sends().length];
  await assert.rejects(client.sendEmail(oneMessage()), (e) => {
    assert.ok(e instanceof LuxSciConnectionError, e.name);
    assert.equal(e.mayHaveBeenSent, true);
    assert.equal(e.operationId, "sendEmail");
    assert.match(e.message, /may have reached LuxSci, so it was not repeated/);
    return true;
  });
  assert.equal(logOf(sandbox, "sendEmail").length - log, 1);
  assert.equal(sandbox.sends().length - sends, 1, "the server processed it exactly once");
});

test("a connection dropped on a GET is retried", async () => {
  sandbox.faults.dropNext("getDomainsReport");
  const before = logOf(sandbox, "getDomainsReport").length;
  const { result } = await withFastTimers(() => client.getDomainsReport());
  assert.ok(Array.isArray(result));
  assert.deepEqual(logOf(sandbox, "getDomainsReport").slice(before).map((e) => e.status), ["dropped", 200]);
});

test("connection refused is a LuxSciConnectionError, retried for every method (nothing was sent)", async () => {
  const counting = countingFetch();
  const nowhere = clientOf(sandbox, { baseUrl: await goneUrl(), fetch: counting.fetch });
  await withFastTimers(() =>
    assert.rejects(nowhere.authenticate(), (e) => e instanceof LuxSciConnectionError && /ECONNREFUSED/.test(e.message)),
  );
  assert.equal(counting.calls.length, 3, "the auth call: 1 attempt + 2 retries");

  // A client with a valid auth code whose server then goes away: even sendEmail is retried, since nothing arrived.
  const gone = await faultySandbox();
  const attempts = [];
  const orphan = clientOf(gone, { onRequest: (info) => attempts.push(info.attempt) });
  await orphan.authenticate();
  await gone.close();
  await withFastTimers(() =>
    assert.rejects(orphan.sendEmail(oneMessage()), (e) => {
      assert.ok(e instanceof LuxSciConnectionError, e.name);
      assert.equal(e.mayHaveBeenSent, false);
      assert.doesNotMatch(e.message, /not repeated/);
      return true;
    }),
  );
  assert.deepEqual(attempts, [1, 2, 3]);
});

test("a relayed GET retried after a 503 cancels the 503's unread body (no connection held until GC)", async () => {
  const cancelled = [];
  const answers = [503, 200];
  const fakeLuxSci = async (url) => {
    if (String(url).endsWith("/perl/api/v2/auth")) return Response.json({ success: 1, auth: "code-1" }, { status: 201 });
    const status = answers.shift();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ success: status === 200 ? 1 : 0, data: [] })));
        controller.close();
      },
      cancel: () => cancelled.push(status),
    });
    return new Response(body, { status, headers: { "content-type": "application/json" } });
  };
  const relay = luxsci.createRelay({ baseUrl: "http://luxsci.invalid", token: "t", secret: "s".repeat(64), fetch: fakeLuxSci, accountId: 1, authorize: () => true });
  const { result } = await withFastTimers(() => relay(new Request("http://relay.test/perl/api/v2/account/1/domains", { headers: { "luxsci-relay": "1" } })));
  assert.equal(result.status, 200);
  assert.deepEqual(await result.json(), { success: 1, data: [] });
  assert.deepEqual(cancelled, [503]);
});

test("a fetch that answers with a Response class of its own (the npm undici package's, node-fetch's) works: data, a retried 503, an API error", async () => {
  // Response-like, as those packages' are: status, headers.get(), text(), and a body that is not a web stream.
  class ForeignResponse {
    #text;
    constructor(status, headers, text) {
      Object.assign(this, { status, ok: status >= 200 && status < 300, headers: { get: (name) => headers.get(name) }, body: { pipe() {} } });
      this.#text = text;
    }
    async text() {
      return this.#text;
    }
  }
  const foreignFetch = async (url, init) => {
    const response = await fetch(url, init);
    return new ForeignResponse(response.status, response.headers, await response.text());
  };
  const foreign = clientOf(sandbox, { fetch: foreignFetch });
  await foreign.createDomain({ domain: "foreign.example.test" });
  sandbox.faults.failNext("getDomainDetails", { status: 503 });
  const { result } = await withFastTimers(() => foreign.getDomainDetails("foreign.example.test"));
  assert.equal(result.domain, "foreign.example.test");
  assert.deepEqual(logOf(sandbox, "getDomainDetails").slice(-2).map((e) => e.status), [503, 200]);
  await assert.rejects(foreign.getDomainDetails("missing.example.test"), (e) => e instanceof LuxSciApiError && e.status === 404);
});

test("a foreign Response whose headers throw or are not strings, and whose redirect flags throw, is judged as an answer without them", async () => {
  const answers = [];
  const strange = (status, body) => ({
    status,
    text: async () => JSON.stringify(body),
    headers: { get: (name) => (name === "date" ? 12345 : name === "retry-after" ? { toString: () => "1" } : (() => { throw new Error("no headers"); })()) },
    get type() { throw new Error("no type"); },
    get redirected() { throw new Error("no redirected"); },
  });
  const client = new luxsci.LuxSciClient({
    baseUrl: "http://127.0.0.1:9", token: "t", secret: "secret-secret-secret", accountId: 7, maxRetries: 0,
    fetch: async (url) => {
      if (new URL(url).pathname.endsWith("/auth")) return strange(200, { success: 1, auth: "code-1" });
      answers.push(url);
      return answers.length === 1 ? strange(200, { success: 1, data: { ok: true } }) : strange(400, { success: 0, error_message: "no" });
    },
  });
  assert.deepEqual(await client.getDomainDetails("a.example"), { ok: true });
  await assert.rejects(client.getDomainDetails("b.example"), (e) => e instanceof LuxSciApiError && e.status === 400 && /no/.test(e.message));
});
