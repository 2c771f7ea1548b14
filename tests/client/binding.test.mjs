// A method reads its arguments when it is called, as fetch reads its init: a body, query or options object changed
// after the call (while the returned promise is pending) changes nothing that is sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { luxsci } from "../support/package.mjs";

function recordingClient() {
  const sent = [];
  const client = new luxsci.LuxSciClient({
    baseUrl: "http://127.0.0.1:9",
    token: "token",
    secret: "secret-secret-secret",
    accountId: 7,
    fetch: async (target, init) => {
      const url = new URL(target);
      if (url.pathname.endsWith("/auth")) return Response.json({ success: 1, auth: "code-1" });
      sent.push({ method: init.method, path: url.pathname + url.search, body: init.body ?? null });
      return Response.json({ success: 1, data: {} });
    },
  });
  return { client, sent };
}

test("an operation's body changed after the call is sent as it was when called", async () => {
  const { client, sent } = recordingClient();
  const body = { alias: "team@example.com", destination: "a@example.com" };
  const pending = client.createAlias(body);
  body.destination = "changed@example.com";
  body.extra = true;
  await pending;
  assert.equal(sent.length, 1);
  assert.deepEqual(JSON.parse(sent[0].body), { alias: "team@example.com", destination: "a@example.com" });
});

test("request()'s path, query and body, and a call's accountId, are read when the method is called", async () => {
  const { client, sent } = recordingClient();
  const init = { query: { page: 1 }, body: { name: "n" } };
  const pending = client.request("POST", "/account/7/aliases", init);
  init.query.page = 2;
  init.body.name = "changed";
  init.body = { other: 1 };
  const options = { accountId: 8 };
  const report = client.getDomainsReport(options);
  options.accountId = 9;
  await Promise.all([pending, report]);
  assert.deepEqual(
    sent.map(({ method, path }) => `${method} ${path}`),
    ["POST /perl/api/v2/account/7/aliases?page=1", "GET /perl/api/v2/account/8/domains"],
  );
  assert.deepEqual(JSON.parse(sent[0].body), { name: "n" });
});

test("a JSON text given as a string is trimmed and signed by exactly the bytes sent, whatever whitespace it ends in", async () => {
  const { cookie } = await import("../support/signer.mjs");
  const signed = [];
  const client = new luxsci.LuxSciClient({
    baseUrl: "http://127.0.0.1:9",
    token: "token",
    secret: "secret-secret-secret",
    fetch: async (target, init) => {
      const url = new URL(target);
      if (url.pathname.endsWith("/auth")) return Response.json({ success: 1, auth: "code-1" });
      const expected = cookie("code-1", "secret-secret-secret", init.method, url.pathname, url.search.slice(1), init.body);
      signed.push({ body: init.body, matches: init.headers.cookie === expected });
      return Response.json({ success: 1, data: {} });
    },
  });
  // U+0085 (NEL) is whitespace to Rust's trim but not to JavaScript's, U+FEFF the other way round.
  for (const text of [' {"a":1}\n', '{"a":1}\u0085', '\ufeff{"a":1}', '\u0085{"a":1}\ufeff ']) {
    await client.request("POST", "/account/7/domains", { body: text });
  }
  assert.deepEqual(signed.map(({ body }) => body), ['{"a":1}', '{"a":1}\u0085', '{"a":1}', '\u0085{"a":1}']);
  assert.deepEqual(signed.map(({ matches }) => matches), [true, true, true, true]);
});
