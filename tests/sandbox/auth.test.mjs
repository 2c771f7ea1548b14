// Authentication and request signatures: acceptance, every rejection reason, date window and clock skew, scope, revocation, expiry.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startSandbox } from "../../js/sandbox/index.js";
import { authBody, cookie, hmacHex, sha256Hex } from "../support/signer.mjs";
import { API, authenticate, clientFor, nowSeconds, ok, post, rejected } from "./helpers.mjs";

const AUTH_CODE = /^\d+-\d+-[0-9a-f]{64}$/;

describe("authentication call", () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox({ username: "ann@example.test", password: "pw-1" });
  });
  after(() => sandbox.close());
  const authUrl = () => `${sandbox.url}${API}/auth`;

  test("account scope: 201 with an auth code, date as number or numeric string, signature in either hex case", async () => {
    for (const body of [
      authBody(sandbox.token, sandbox.secret, nowSeconds()),
      authBody(sandbox.token, sandbox.secret, String(nowSeconds())),
      { ...authBody(sandbox.token, sandbox.secret, nowSeconds()), signature: hmacHex(sandbox.secret, `${sandbox.token}\n${nowSeconds()}\n`).toUpperCase() },
    ]) {
      const { status, body: reply, headers } = await post(authUrl(), body);
      assert.equal(status, 201, JSON.stringify(reply));
      assert.equal(reply.success, 1);
      assert.match(reply.auth, AUTH_CODE);
      assert.equal(reply.data, undefined);
      assert.equal(headers.get("content-type"), "application/json");
    }
  });

  test("user scope with the sandbox's user and password", async () => {
    const { status, body } = await authenticate(sandbox, { user: "ann@example.test", pass: "pw-1" });
    assert.equal(status, 201);
    assert.match(body.auth, AUTH_CODE);
  });

  test("each failed check is named", async () => {
    const date = nowSeconds();
    const good = authBody(sandbox.token, sandbox.secret, date);
    rejected(await post(authUrl(), "{not json"), 400, /malformed JSON/);
    rejected(await post(authUrl(), "[1]"), 400, /JSON object/);
    rejected(await post(authUrl(), { ...good, token: undefined }), 400, /no token/);
    rejected(await post(authUrl(), { ...good, signature: undefined }), 400, /no signature/);
    rejected(await post(authUrl(), { ...good, date: "yesterday" }), 400, /Unix seconds/);
    rejected(await post(authUrl(), { ...good, date: 1.5 }), 400, /Unix seconds/);
    rejected(await post(authUrl(), { ...good, user: "ann@example.test" }), 400, /given together/);
    rejected(await post(authUrl(), authBody("other-token", sandbox.secret, date)), 401, /unknown API token/);
    rejected(await post(authUrl(), authBody(sandbox.token, "wrong-secret", date)), 401, /bad signature/);
    rejected(await post(authUrl(), { ...good, date: date + 1 }), 401, /bad signature/);
    rejected(await post(authUrl(), authBody(sandbox.token, sandbox.secret, date - 301)), 401, /date outside the allowed window/);
    rejected(await post(authUrl(), authBody(sandbox.token, sandbox.secret, date + 400)), 401, /date outside the allowed window/);
    rejected(await authenticate(sandbox, { user: "ann@example.test", pass: "nope" }), 401, /wrong user or password/);
    rejected(await authenticate(sandbox, { user: "bob@example.test", pass: "pw-1" }), 401, /wrong user or password/);
  });

  test("the date window is ±300 s around the server clock", async () => {
    const date = nowSeconds();
    assert.equal((await authenticate(sandbox, { date: date - 290 })).status, 201);
    assert.equal((await authenticate(sandbox, { date: date + 290 })).status, 201);
  });
});

describe("clock skew", () => {
  test("clockSkewSeconds moves the server clock: the window and the Date header follow it", async () => {
    const sandbox = await startSandbox({ clockSkewSeconds: 3600 });
    try {
      rejected(await authenticate(sandbox), 401, /date outside the allowed window: .* server time/);
      const { status, headers } = await authenticate(sandbox, { date: nowSeconds() + 3600 });
      assert.equal(status, 201);
      const serverDate = Date.parse(headers.get("date")) / 1000;
      assert.ok(Math.abs(serverDate - (nowSeconds() + 3600)) < 120, headers.get("date"));
    } finally {
      await sandbox.close();
    }
  });
});

describe("signed requests", () => {
  let sandbox;
  let client;
  before(async () => {
    sandbox = await startSandbox({ username: "ann@example.test", password: "pw-1", faults: true });
    client = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
  });
  after(() => sandbox.close());

  const raw = (method, target, headers, body) =>
    fetch(sandbox.url + API + target, { method, headers, body }).then(async (response) => ({
      status: response.status,
      headers: response.headers,
      text: await response.clone().text(),
      body: await response.json(),
    }));
  const signed = (method, path, query, bodyText, auth = client.auth, secret = sandbox.secret) =>
    cookie(auth, secret, method, API + path, query, bodyText);

  test("a correctly signed GET, POST and PUT succeed; hex case and other cookies do not matter", async () => {
    ok(await client.call("GET", `${client.account}/domains`));
    ok(await client.call("POST", `${client.account}/domains`, { json: { domain: "signed.example.test" } }));
    ok(await client.call("PUT", `${client.account}/domains/signed.example.test`, { json: { is_enabled: 0 } }));
    const path = `${client.account}/domains`;
    const [name, value] = signed("GET", path, "").split("=");
    const upper = `${name}=${value.slice(0, value.lastIndexOf(":") + 1)}${value.slice(value.lastIndexOf(":") + 1).toUpperCase()}`;
    ok(await raw("GET", path, { cookie: upper }));
    ok(await raw("GET", path, { cookie: `theme=dark; ${signed("GET", path, "")}; lang=en` }));
  });

  test("the body hash is over the trimmed JSON text as sent", async () => {
    const path = `${client.account}/dkim`;
    const text = '\n  {"domain":"trim.example.test"}  \n';
    const response = await raw("POST", path, { cookie: signed("POST", path, "", text.trim()), "content-type": "application/json" }, text);
    assert.equal(ok(response).domain, "trim.example.test");
  });

  test("the raw path is signed as sent: '@' literal and '%40' both work", async () => {
    for (const user of ["ann@example.test", "ann%40example.test"]) {
      ok(await raw("GET", `/user/${user}/fields`, { cookie: signed("GET", `/user/${user}/fields`, "") }));
    }
    const decodedSigned = signed("GET", "/user/ann@example.test/fields", "");
    rejected(await raw("GET", "/user/ann%40example.test/fields", { cookie: decodedSigned }), 401, /bad request signature/);
  });

  test("the raw query string is signed as sent", async () => {
    const path = `${client.user}/templates`;
    ok(await raw("GET", `${path}?user_id=1&x=a%20b`, { cookie: signed("GET", path, "user_id=1&x=a%20b") }));
    rejected(await raw("GET", `${path}?user_id=1&x=a%20b`, { cookie: signed("GET", path, "user_id=1&x=a b") }), 401, /bad request signature/);
    rejected(await raw("GET", `${path}?user_id=2`, { cookie: signed("GET", path, "user_id=1") }), 401, /bad request signature/);
  });

  test("an empty POST body may be signed with an empty hash or with SHA-256 of nothing", async () => {
    for (const [dir, hashText] of [["e1/", undefined], ["e2/", ""]]) {
      const path = `${client.user}/content_library/${dir}`;
      ok(await raw("POST", path, { cookie: signed("POST", path, "", hashText) }));
    }
    assert.notEqual(sha256Hex(""), "");
  });

  test("each rejection reason is named, and changes nothing", async () => {
    const path = `${client.account}/domains`;
    const body = JSON.stringify({ domain: "rejected.example.test" });
    const post = (headers) => raw("POST", path, { "content-type": "application/json", ...headers }, body);
    rejected(await post({}), 401, /missing signature cookie/);
    rejected(await post({ cookie: "other=1" }), 401, /missing signature cookie/);
    rejected(await post({ cookie: "signature=nocolon" }), 401, /malformed signature cookie/);
    rejected(await post({ cookie: signed("POST", path, "", body, "1-2-abc") }), 401, /unknown or revoked auth code/);
    rejected(await post({ cookie: signed("POST", path, "", body, client.auth, "wrong") }), 401, /bad request signature/);
    rejected(await post({ cookie: signed("POST", path, "", "{}") }), 401, /bad request signature/);
    rejected(await post({ cookie: signed("PUT", path, "", body) }), 401, /bad request signature/);
    rejected(await post({ cookie: signed("POST", `${path}/x`, "", body) }), 401, /bad request signature/);
    const domains = ok(await client.call("GET", path));
    assert.ok(!domains.some((domain) => domain.domain === "rejected.example.test"));
  });

  test("unknown account or user in the path is 404", async () => {
    rejected(await client.call("GET", "/account/999999999/domains"), 404, /no such account/);
    rejected(await client.call("GET", "/user/bob@example.test/fields"), 404, /no such user/);
  });

  test("user scope reaches only /user/{username}/… (403 otherwise)", async () => {
    const { body } = await authenticate(sandbox, { user: "ann@example.test", pass: "pw-1" });
    const user = clientFor(sandbox, body.auth);
    ok(await user.call("GET", `${user.user}/fields`));
    rejected(await user.call("GET", `${user.account}/domains`), 403, /user-scope/);
    rejected(await user.call("POST", `${user.account}/dkim`, { json: { domain: "x.example.test" } }), 403, /user-scope/);
    ok(await user.call("DELETE", "/auth"));
  });

  test("revocation ends that session only; its code is then refused", async () => {
    const first = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
    const second = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
    const response = await first.call("DELETE", "/auth");
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { success: 1, comment: "Authentication session revoked." });
    rejected(await first.call("GET", `${first.account}/domains`), 401, /unknown or revoked auth code/);
    rejected(await first.call("DELETE", "/auth"), 401, /unknown or revoked auth code/);
    ok(await second.call("GET", `${second.account}/domains`));
  });

  test("expireAllAuth expires every code", async () => {
    const other = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
    ok(await other.call("GET", `${other.account}/dkim`));
    sandbox.faults.expireAllAuth();
    rejected(await other.call("GET", `${other.account}/dkim`), 401, /auth code expired/);
    client = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
    ok(await client.call("GET", `${client.account}/dkim`));
  });
});

describe("idle expiry", () => {
  test("a code unused for authIdleSeconds expires", async () => {
    const sandbox = await startSandbox({ authIdleSeconds: 0.2 });
    try {
      const client = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
      ok(await client.call("GET", `${client.account}/domains`));
      await sleep(500);
      rejected(await client.call("GET", `${client.account}/domains`), 401, /auth code expired/);
    } finally {
      await sandbox.close();
    }
  });

  test("each good use refreshes the idle timer", async () => {
    const sandbox = await startSandbox({ authIdleSeconds: 2 });
    try {
      const client = clientFor(sandbox, (await authenticate(sandbox)).body.auth);
      for (let i = 0; i < 3; i += 1) {
        await sleep(800);
        ok(await client.call("GET", `${client.account}/domains`));
      }
    } finally {
      await sandbox.close();
    }
  });
});
