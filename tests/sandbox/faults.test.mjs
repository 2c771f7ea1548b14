// Fault injection through sandbox.faults and the /__sandbox/ HTTP control API; the request log, sends() (each bounded by logLimit) and authCalls(); CORS.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startSandbox } from "../../js/sandbox/index.js";
import { authenticate, clientFor, ok, openSandbox, rejected } from "./helpers.mjs";

const control = async (sandbox, method, path, body) => {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, { method, body: body && JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: await response.json() };
};

describe("faults disabled (the default)", () => {
  test("sandbox.faults throws and the control API is 404; the log still records", async () => {
    const { sandbox, call, account } = await openSandbox();
    try {
      assert.throws(() => sandbox.faults.failNext("getDkimReport"), /fault injection is disabled/);
      assert.throws(() => sandbox.faults.expireAllAuth(), /fault injection is disabled/);
      for (const [method, path] of [["GET", "log"], ["POST", "faults"], ["POST", "expire-auth"], ["GET", "sends"]]) {
        const response = await control(sandbox, method, path);
        assert.equal(response.status, 404);
        assert.match(response.body.error_message, /control API is disabled/);
      }
      const sentAt = Date.now();
      ok(await call("GET", `${account}/dkim`));
      const { at, ...entry } = sandbox.log.at(-1);
      assert.deepEqual(entry, { operationId: "getDkimReport", method: "GET", path: `/perl/api/v2${account}/dkim`, status: 200, ok: true });
      assert.ok(at >= sentAt && at <= Date.now(), `the entry is stamped with its arrival time (${at})`);
    } finally {
      await sandbox.close();
    }
  });
});

test("the log, the sends and the SMTP sent report keep the latest logLimit entries (the log in the array the caller holds)", async () => {
  const { sandbox, call, account, user } = await openSandbox({ logLimit: 5 });
  try {
    const { log } = sandbox;
    for (let i = 0; i < 12; i += 1) rejected(await call("GET", `${account}/domains/d${i}.example.test`), 404, /no such domain/);
    assert.equal(sandbox.log, log);
    assert.deepEqual(log.map((entry) => entry.path), [7, 8, 9, 10, 11].map((i) => `/perl/api/v2${account}/domains/d${i}.example.test`));
    for (let i = 0; i < 7; i += 1) ok(await call("POST", `${user}/email/send`, { json: { messages: [{ to: [`r${i}@example.test`], subject: "s", body: "b" }] } }));
    assert.equal(log.length, 5);
    assert.deepEqual(sandbox.sends().map((send) => send.messages[0].to[0]), [2, 3, 4, 5, 6].map((i) => `r${i}@example.test`));
    const report = ok(await call("GET", `${account}/report/email/smtp/sent`));
    assert.deepEqual(report.rows.map((row) => row[3]), [2, 3, 4, 5, 6].map((i) => `r${i}@example.test`));
  } finally {
    await sandbox.close();
  }
  await assert.rejects(startSandbox({ logLimit: -1 }), /logLimit/);
  await assert.rejects(startSandbox({ logLimit: 1.5 }), /logLimit/);
});

describe("faults enabled", () => {
  let sandbox;
  let client;
  before(async () => {
    const opened = await openSandbox({ faults: true });
    sandbox = opened.sandbox;
    client = opened;
  });
  after(() => sandbox.close());

  test("failNext: N failures with status, Retry-After and body; then normal service", async () => {
    sandbox.faults.failNext("getDomainsReport", { times: 2, status: 503, retryAfter: 7 });
    for (let i = 0; i < 2; i += 1) {
      const response = await client.call("GET", `${client.account}/domains`);
      rejected(response, 503, /injected fault/);
      assert.equal(response.headers.get("retry-after"), "7");
    }
    ok(await client.call("GET", `${client.account}/domains`));
    assert.deepEqual(sandbox.log.slice(-3).map((entry) => [entry.operationId, entry.status, entry.ok]), [
      ["getDomainsReport", 503, false],
      ["getDomainsReport", 503, false],
      ["getDomainsReport", 200, true],
    ]);
    sandbox.faults.failNext("*", { status: 429, body: { success: 0, error_message: "slow down" } });
    const limited = await client.call("GET", `${client.user}/fields`);
    rejected(limited, 429, /slow down/);
    assert.equal(limited.headers.get("retry-after"), null);
  });

  test("a failed call changes nothing", async () => {
    sandbox.faults.failNext("createDomain", { status: 500 });
    rejected(await client.call("POST", `${client.account}/domains`, { json: { domain: "f.example.test" } }), 500, /injected/);
    assert.deepEqual(ok(await client.call("GET", `${client.account}/domains`)), []);
  });

  test("authentication can fail too; authCalls() counts every auth request", async () => {
    const before = sandbox.authCalls();
    sandbox.faults.failNext("authentication", { status: 502 });
    rejected(await authenticate(sandbox), 502, /injected/);
    assert.equal((await authenticate(sandbox)).status, 201);
    assert.equal(sandbox.authCalls(), before + 2);
  });

  test("rules are validated", () => {
    assert.throws(() => sandbox.faults.failNext("noSuchOperation"), /unknown operationId/);
    assert.throws(() => sandbox.faults.failNext("sendEmail", { times: 0 }), /'times'/);
    assert.throws(() => sandbox.faults.failNext("sendEmail", { status: 200 }), /'status'/);
    assert.throws(() => sandbox.faults.delayNext("sendEmail", {}), /'ms'/);
  });

  test("delayNext holds a call back while others are answered", async () => {
    sandbox.faults.delayNext("getDkimReport", { ms: 1500 });
    const delayed = client.call("GET", `${client.account}/dkim`);
    ok(await client.call("GET", `${client.user}/fields`));
    ok(await delayed);
    const order = sandbox.log.map((entry) => entry.operationId).filter((id) => id === "getDkimReport" || id === "getCustomFields");
    assert.deepEqual(order.slice(-2), ["getCustomFields", "getDkimReport"]);
  });

  test("dropNext processes and records the call, then closes the connection without a response", async () => {
    sandbox.faults.dropNext("sendEmail");
    const json = { messages: [{ to: ["a@x.test"], subject: "s", body: "b" }] };
    await assert.rejects(client.call("POST", `${client.user}/email/send`, { json }));
    const sends = sandbox.sends();
    assert.equal(sends.length, 1);
    assert.deepEqual(sends[0].messages, json.messages);
    assert.deepEqual({ ...sandbox.log.at(-1), at: undefined }, {
      at: undefined,
      operationId: "sendEmail",
      method: "POST",
      path: `/perl/api/v2${client.user}/email/send`,
      status: "dropped",
      ok: true,
    });
    sandbox.faults.dropNext("createDkim");
    await assert.rejects(client.call("POST", `${client.account}/dkim`, { json: { domain: "drop.example.test" } }));
    assert.equal(ok(await client.call("GET", `${client.account}/dkim/drop.example.test`)).domain, "drop.example.test");
  });

  test("expireAllAuth and reset", async () => {
    sandbox.faults.failNext("getCustomFields", { times: 5 });
    sandbox.faults.reset();
    ok(await client.call("GET", `${client.user}/fields`));
    sandbox.faults.expireAllAuth();
    rejected(await client.call("GET", `${client.user}/fields`), 401, /auth code expired/);
    client = { ...client, ...clientFor(sandbox, (await authenticate(sandbox)).body.auth) };
  });
});

describe("HTTP control API", () => {
  let sandbox;
  let client;
  before(async () => {
    sandbox = await startSandbox({ faults: true });
    client = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
  });
  after(() => sandbox.close());

  test("fail, delay and drop rules over HTTP", async () => {
    ok(await control(sandbox, "POST", "faults", { kind: "fail", operationId: "getDkimReport", status: 502, retryAfter: 1 }));
    const failed = await client.call("GET", `${client.account}/dkim`);
    rejected(failed, 502, /injected/);
    assert.equal(failed.headers.get("retry-after"), "1");
    ok(await control(sandbox, "POST", "faults", { kind: "delay", operationId: "getDkimReport", ms: 10 }));
    ok(await client.call("GET", `${client.account}/dkim`));
    ok(await control(sandbox, "POST", "faults", { kind: "drop", operationId: "*", times: 1 }));
    await assert.rejects(client.call("GET", `${client.account}/dkim`));
    ok(await client.call("GET", `${client.account}/dkim`));
    rejected(await control(sandbox, "POST", "faults", { kind: "explode", operationId: "*" }), 400, /unknown fault kind/);
    rejected(await control(sandbox, "POST", "faults", { kind: "fail", operationId: "nope" }), 400, /unknown operationId/);
    rejected(await control(sandbox, "POST", "faults", "not an object"), 400, /JSON object/);
    ok(await control(sandbox, "POST", "faults", { kind: "fail", operationId: "*", times: 3 }));
    ok(await control(sandbox, "POST", "reset-faults"));
    ok(await client.call("GET", `${client.account}/dkim`));
  });

  test("expire-auth, log, sends, auth-calls; unknown control paths are 404", async () => {
    ok(await control(sandbox, "POST", "expire-auth"));
    rejected(await client.call("GET", `${client.account}/dkim`), 401, /expired/);
    assert.deepEqual(ok(await control(sandbox, "GET", "log")), sandbox.log);
    assert.deepEqual(ok(await control(sandbox, "GET", "sends")), []);
    assert.equal(ok(await control(sandbox, "GET", "auth-calls")), 1);
    rejected(await control(sandbox, "GET", "nothing"), 404, /no sandbox control endpoint/);
    assert.ok(!sandbox.log.some((entry) => entry.path.startsWith("/__sandbox/")));
  });

  test("CORS: preflight answered 204, headers on every response", async () => {
    const preflight = await fetch(`${sandbox.url}/perl/api/v2/auth`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.match(preflight.headers.get("access-control-allow-methods"), /DELETE/);
    assert.match(preflight.headers.get("access-control-allow-headers"), /content-type/);
    for (const response of [await control(sandbox, "GET", "log"), await client.call("GET", "/nowhere")]) {
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
    }
  });
});
