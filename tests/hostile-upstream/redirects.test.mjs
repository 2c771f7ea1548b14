// Redirects are never followed, against upstreams that redirect to another host over real HTTP: on the auth call
// (whose body holds the password and a signature), on a GET, on sendEmail and through the relay; a redirect is a
// LuxSciApiError naming its status and target origin (never the Location's path or query), never retried.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { luxsci, upstream, clientOf, oneMessage } from "./upstream.mjs";

const { LuxSciApiError, createRelay } = luxsci;

/** Another host that would answer anything with success (and an auth code of its own): it must never be reached. */
const elsewhere = await upstream(() => ({ status: 201, json: { success: 1, auth: "evil-code", data: ["evil-id"] } }));
after(() => elsewhere.close());

/** An upstream that redirects the requests `which` selects to `elsewhere` with `status`, the Location carrying a secret-looking query. */
async function redirecting(status, which) {
  const up = await upstream((r) => (which(r) ? { status, headers: { location: `${elsewhere.url}${r.path}?token=LEAKED-IN-QUERY` } } : undefined));
  after(() => up.close());
  return up;
}

/** Checks a redirect error: the class, the status, the target's origin and the rule, never the query. */
function isRedirect(status) {
  return (e) => {
    assert.ok(e instanceof LuxSciApiError, `${e.name}: ${e.message}`);
    assert.equal(e.status, status);
    assert.match(e.message, new RegExp(`HTTP ${status}, a redirect to ${elsewhere.url.replace(/[.]/g, "\\.")}`));
    assert.match(e.message, /never followed/);
    assert.doesNotMatch(e.message, /LEAKED|perl\/api/);
    return true;
  };
}

const isAuth = (r) => r.path.endsWith("/perl/api/v2/auth");

test("the auth call answered 301/302/303/307/308: nothing reaches the other host, no code is accepted, no retry", async () => {
  for (const status of [301, 302, 303, 307, 308]) {
    const before = elsewhere.received.length;
    const up = await redirecting(status, isAuth);
    const client = clientOf(up);
    await assert.rejects(client.authenticate(), isRedirect(status));
    assert.equal(elsewhere.received.length, before, `${status}: the auth body (password, signature) went to the other host`);
    assert.equal(up.received.length, 1, `${status}: one attempt`);
    // A later call authenticates again (nothing was cached) and meets the same refusal.
    await assert.rejects(client.getDomainsReport(), isRedirect(status));
    assert.equal(elsewhere.received.length, before);
  }
});

test("a GET answered 301 or 307 is refused and not retried; the other host sees nothing", async () => {
  for (const status of [301, 307]) {
    const before = elsewhere.received.length;
    const up = await redirecting(status, (r) => r.method === "GET");
    const answered = [];
    const client = clientOf(up, { onResponse: (info) => answered.push(info.status) });
    await assert.rejects(client.getDomainsReport(), (e) => isRedirect(status)(e) && e.operationId === "getDomainsReport" && e.mayHaveBeenSent === undefined);
    assert.deepEqual(up.calls().map((r) => r.method), ["GET"]);
    assert.deepEqual(answered, [status], "onResponse sees the redirect answer");
    assert.equal(elsewhere.received.length, before);
  }
});

test("sendEmail answered 307/308 (which would re-POST the body) or 303: refused, mayHaveBeenSent, sent once, to the configured host only", async () => {
  for (const status of [303, 307, 308]) {
    const before = elsewhere.received.length;
    const up = await redirecting(status, (r) => r.path.endsWith("/email/send"));
    await assert.rejects(clientOf(up).sendEmail(oneMessage()), (e) => {
      isRedirect(status)(e);
      assert.equal(e.mayHaveBeenSent, true);
      assert.match(e.message, /not repeated/);
      return true;
    });
    assert.equal(up.calls().length, 1);
    assert.equal(elsewhere.received.length, before, `${status}: the message went to the other host`);
  }
});

test("a fetch that follows redirects itself (ignoring redirect: \"manual\"): the other host's answer is refused", async () => {
  const up = await redirecting(307, (r) => r.method === "GET");
  const following = clientOf(up, { fetch: (url, init) => fetch(url, { ...init, redirect: "follow" }) });
  await assert.rejects(following.getDomainsReport(), (e) => e instanceof LuxSciApiError && /followed a redirect/.test(e.message) && !/evil/.test(e.message));
});

test("the relay does not follow either: a redirected send or GET reaches only the configured host, and the browser gets an error", async () => {
  const before = elsewhere.received.length;
  const up = await redirecting(307, (r) => !isAuth(r));
  const relay = createRelay({ baseUrl: up.url, token: "token-1", secret: "secret-".repeat(8), authorize: () => true });
  const send = await relay(
    new Request("http://relay.test/perl/api/v2/user/me%40example.test/email/send", {
      method: "POST",
      headers: { "content-type": "application/json", "luxsci-relay": "1" },
      body: JSON.stringify(oneMessage()),
    }),
  );
  assert.equal(send.status, 502);
  const sent = await send.json();
  assert.match(sent.error_message, /redirect.*never followed/);
  assert.doesNotMatch(sent.error_message, /LEAKED/);
  const get = await relay(new Request("http://relay.test/perl/api/v2/account/1/domains", { headers: { "luxsci-relay": "1" } }));
  assert.equal(get.status, 502);
  assert.notDeepEqual(await get.json(), { success: 1, auth: "evil-code", data: ["evil-id"] });
  assert.deepEqual(up.calls().map((r) => r.method), ["POST", "GET"]);
  assert.equal(elsewhere.received.length, before);
});
