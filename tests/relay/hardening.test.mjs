// The relay against hostile callers and hostile local upstreams, over real HTTP on 127.0.0.1: its scope, what a
// cross-site page can (not) make it do, its size limits and linear multipart split, its error replies (fixed texts,
// no upstream address, the relay's credentials redacted from LuxSci's answers), its timeout over a stalled answer
// body, one path check with the client, and how a relay-mode client reports the relay's own failures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { luxsci } from "../support/package.mjs";
import { buildMultipart } from "../support/multipart.mjs";
import { API, freePorts, recordingProxy, serve, startSandbox } from "../runtimes/support.mjs";

const { createRelay, toNodeHandler, LuxSciClient, LuxSciError, LuxSciRelayError, LuxSciApiError, LuxSciValidationError } = luxsci;
const SESSION = "app_session=signed-in-admin";
const RELAY_MODE = { "luxsci-relay": "1" };

let sandbox, upstream;
before(async () => {
  sandbox = await startSandbox();
  upstream = await recordingProxy(sandbox.url);
});
after(() => Promise.all([upstream.close(), sandbox.close()]));

const forwarded = () => upstream.requests.filter((r) => r.url !== `${API}/auth`).map((r) => `${r.method} ${r.url}`);

/** A relay as the README mounts it (authorize checks the app's session cookie) on node:http, in front of `baseUrl`. */
async function mount(options = {}) {
  const relay = createRelay({
    baseUrl: upstream.url,
    token: sandbox.token,
    secret: sandbox.secret,
    authorize: (request) => (request.headers.get("cookie") ?? "").includes(SESSION),
    ...options,
  });
  const handler = toNodeHandler(relay);
  const hits = [];
  const server = await serve((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    return handler(req, res);
  });
  // What a same-origin page's fetch carries: the app's cookie, and the browser's own Origin and Sec-Fetch-Site.
  const page = { cookie: SESSION, origin: server.url, "sec-fetch-site": "same-origin" };
  return { ...server, relay, page, hits };
}

/** One raw HTTP request (headers exactly as given; `body` a Buffer or string, or `chunks` written one by one). */
function send(url, { method = "GET", headers = {}, body, chunks } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const parts = [];
      response.on("data", (chunk) => parts.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(parts).toString();
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode, headers: response.headers, text, json });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    if (chunks) {
      (async () => {
        for (const chunk of chunks) {
          if (request.destroyed) return;
          if (!request.write(chunk)) await new Promise((done) => request.once("drain", done).once("close", done));
        }
        request.end();
      })();
    } else request.end(body);
  });
}

const accountPath = (id, rest = "domains") => `${API}/account/${id}/${rest}`;
const userPath = (rest) => `${API}/user/${encodeURIComponent(sandbox.username)}/${rest}`;

test("a user-scope relay (the README's example) never forwards /account/ paths, its scope is checked on decoded owners, and a relay must be scoped", async () => {
  const relay = await mount({ username: sandbox.username });
  const before = forwarded().length;
  try {
    const headers = { ...relay.page, ...RELAY_MODE, "content-type": "application/json" };
    for (const [method, path, body] of [
      ["DELETE", accountPath(424242, "domains/victim.com")],
      ["POST", accountPath(424242, "aliases"), { user: "x", domain: "victim.com", dest: "a@b.c", action: "email" }],
      ["PUT", accountPath(424242, "domains/victim.com"), { hipaa: 0 }],
      ["GET", accountPath(sandbox.accountId)],
      ["GET", `${API}/user/someone-else%40example.com/fields`],
    ]) {
      const answer = await send(`${relay.url}${path}`, { method, headers, body: body && JSON.stringify(body) });
      assert.equal(answer.status, 403, `${method} ${path}: ${answer.text}`);
      assert.equal(answer.headers["luxsci-relay"], "relay");
    }
    assert.deepEqual(forwarded().slice(before), []);
    const own = await send(`${relay.url}${userPath("fields")}`, { headers });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.headers["luxsci-relay"], "luxsci");
  } finally {
    await relay.close();
  }
  const account = await mount({ accountId: sandbox.accountId });
  try {
    const headers = { ...account.page, ...RELAY_MODE };
    assert.equal((await send(`${account.url}${accountPath(424242)}`, { headers })).status, 403);
    assert.equal((await send(`${account.url}${accountPath(`${sandbox.accountId}0`)}`, { headers })).status, 403);
    assert.equal((await send(`${account.url}${accountPath(sandbox.accountId)}`, { headers })).status, 200);
    // An account integration reaches its account's users: an account-only relay serves their paths.
    assert.equal((await send(`${account.url}${userPath("fields")}`, { headers })).status, 200);
  } finally {
    await account.close();
  }
  // A user-scope integration's relay (user and pass, no username) serves that user only.
  const user = await mount({ user: sandbox.username, pass: sandbox.password });
  try {
    const headers = { ...user.page, ...RELAY_MODE };
    assert.equal((await send(`${user.url}${accountPath(sandbox.accountId)}`, { headers })).status, 403);
    assert.equal((await send(`${user.url}${userPath("fields").replace(encodeURIComponent(sandbox.username), "other%40example.com")}`, { headers })).status, 403);
  } finally {
    await user.close();
  }
});

test("cross-site HTML forms (text/plain JSON, multipart with a json field) are refused even with the session cookie, and nothing is forwarded", async () => {
  const relay = await mount({ accountId: sandbox.accountId, username: sandbox.username });
  const before = forwarded().length;
  const evil = { cookie: SESSION, origin: "https://evil.test", "sec-fetch-site": "cross-site" };
  const send1 = userPath("email/send");
  // <input name='{"messages":[…],"x":"' value='"}'> in a text/plain form: the browser sends name=value, valid JSON.
  const textPlain = `${JSON.stringify({ messages: [{ to: ["victim@example.org"], subject: "hi", body: "x" }], x: "" }).slice(0, -2)}="}`;
  assert.deepEqual(JSON.parse(textPlain).x, "=");
  const form = buildMultipart(JSON.stringify({ messages: [{ to: ["victim@example.org"], subject: "hi", body: "x" }] }));
  try {
    const attempts = [
      // The two forms as a cross-site page's browser sends them (no script, no preflight).
      { headers: { ...evil, "content-type": "text/plain" }, body: textPlain },
      { headers: { ...evil, "content-type": form.contentType }, body: form.body },
      // Even a browser too old for Sec-Fetch-Site sends Origin; a sandboxed page sends "null".
      { headers: { cookie: SESSION, origin: "https://evil.test", "content-type": "text/plain" }, body: textPlain },
      { headers: { cookie: SESSION, origin: "null", ...RELAY_MODE, "content-type": "application/json" }, body: "{}" },
      // Same-origin but without the relay-mode header: not the SDK's client (a form on the app's own pages).
      { headers: { ...relay.page, "content-type": form.contentType }, body: form.body },
      // The relay-mode header from another site (a script would need a preflight the relay never grants).
      { headers: { ...evil, ...RELAY_MODE, "content-type": "application/json" }, body: "{}" },
      // A JSON body in any type but application/json.
      { headers: { ...relay.page, ...RELAY_MODE, "content-type": "text/plain" }, body: textPlain, status: 415 },
      { headers: { ...relay.page, ...RELAY_MODE, "content-type": "application/x-www-form-urlencoded" }, body: "json=%7B%7D", status: 415 },
      { headers: { ...relay.page, ...RELAY_MODE }, body: "{}", status: 415 },
    ];
    for (const [i, { headers, body, status = 403 }] of attempts.entries()) {
      const answer = await send(`${relay.url}${send1}`, { method: "POST", headers, body });
      assert.equal(answer.status, status, `attempt ${i}: ${answer.text}`);
      assert.equal(answer.json.success, 0);
    }
    const preflight = await send(`${relay.url}${send1}`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.test", "access-control-request-method": "POST", "access-control-request-headers": "luxsci-relay" },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers["access-control-allow-origin"], undefined);
    assert.deepEqual(forwarded().slice(before), []);
    assert.equal(sandbox.log.filter((entry) => entry.operationId === "sendEmail").length, 0);
  } finally {
    await relay.close();
  }
});

test("allowedOrigins grants CORS to the listed origins only; the README's same-origin setup works as written", async () => {
  const relay = await mount({ accountId: sandbox.accountId, allowedOrigins: ["https://app.example.test"] });
  const app = { cookie: SESSION, origin: "https://app.example.test", "sec-fetch-site": "same-site" };
  try {
    const preflight = await send(`${relay.url}${accountPath(sandbox.accountId)}`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.test", "access-control-request-method": "GET", "access-control-request-headers": "luxsci-relay" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], "https://app.example.test");
    assert.match(preflight.headers["access-control-allow-headers"], /luxsci-relay/);
    const allowed = await send(`${relay.url}${accountPath(sandbox.accountId)}`, { headers: { ...app, ...RELAY_MODE } });
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.headers["access-control-allow-origin"], "https://app.example.test");
    assert.match(allowed.headers["access-control-expose-headers"], /luxsci-relay/);
    const other = await send(`${relay.url}${accountPath(sandbox.accountId)}`, { headers: { ...app, origin: "https://other.example.test", ...RELAY_MODE } });
    assert.equal(other.status, 403);
    assert.equal(other.headers["access-control-allow-origin"], undefined);
  } finally {
    await relay.close();
  }
  assert.throws(() => createRelay({ token: "t", secret: "s", accountId: 1, authorize: () => true, allowedOrigins: ["https://a.test/path"] }), LuxSciValidationError);
});

test("size limits: JSON bodies over maxJsonBytes and uploads over maxUploadBytes are answered 413 naming the limit, declared or streamed", async () => {
  const relay = await mount({ accountId: sandbox.accountId, username: sandbox.username, maxJsonBytes: 64 * 1024, maxUploadBytes: 256 * 1024 });
  const headers = { ...relay.page, ...RELAY_MODE };
  const before = forwarded().length;
  const big = JSON.stringify({ user: "x", domain: "a.example", dest: "a@b.c", action: "email", pad: "p".repeat(100 * 1024) });
  try {
    const declared = await send(`${relay.url}${accountPath(sandbox.accountId, "aliases")}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(big) },
      body: big,
    });
    assert.equal(declared.status, 413);
    assert.match(declared.json.error_message, /maxJsonBytes \(65536 bytes\)/);
    // Chunked, with no length declared: refused once the limit passes, the rest never read (a 64 MiB body is never sent whole).
    const chunk = Buffer.alloc(16 * 1024, "a");
    const streamed = await send(`${relay.url}${accountPath(sandbox.accountId, "aliases")}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      chunks: Array.from({ length: 4096 }, () => chunk),
    });
    assert.equal(streamed.status, 413);
    assert.match(streamed.json.error_message, /maxJsonBytes/);
    const file = Buffer.alloc(512 * 1024, "f");
    const upload = buildMultipart(JSON.stringify({ attachments: [{ name: "big.bin", hash: "0".repeat(64) }] }), [{ name: "big.bin", content: file }]);
    const declaredUpload = await send(`${relay.url}${userPath("content_library/big.bin")}`, {
      method: "POST",
      headers: { ...headers, "content-type": upload.contentType, "content-length": upload.body.length },
      body: upload.body,
    });
    assert.equal(declaredUpload.status, 413);
    assert.match(declaredUpload.json.error_message, /maxUploadBytes \(262144 bytes\)/);
    assert.deepEqual(forwarded().slice(before), []);
    // Streamed past the limit after forwarding began: the forward is cut and the caller told 413.
    const streamedUpload = await send(`${relay.url}${userPath("content_library/big.bin")}`, {
      method: "POST",
      headers: { ...headers, "content-type": upload.contentType },
      chunks: Array.from({ length: Math.ceil(upload.body.length / 8192) }, (_, i) => upload.body.subarray(i * 8192, (i + 1) * 8192)),
    });
    assert.equal(streamedUpload.status, 413, streamedUpload.text);
    assert.match(streamedUpload.json.error_message, /maxUploadBytes/);
    assert.equal(sandbox.log.filter((e) => e.operationId === "uploadContentLibraryFile" && e.status === 200).length, 0);
  } finally {
    await relay.close();
  }
  assert.throws(() => createRelay({ token: "t", secret: "s", accountId: 1, authorize: () => true, maxJsonBytes: 0 }), LuxSciValidationError);
});

test("a json part with no closing boundary, sent in 1 KiB pieces, is refused at maxJsonBytes after one pass over its bytes, while a GET is served", { timeout: 120_000 }, async () => {
  const relay = createRelay({
    baseUrl: upstream.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    maxJsonBytes: 4 * 1024 * 1024,
    authorize: () => true,
  });
  const headers = { ...RELAY_MODE, "content-type": "multipart/form-data; boundary=never-closed" };
  const piece = new Uint8Array(1024).fill(0x61);
  let getDone;
  const getFinished = new Promise((resolve) => (getDone = resolve));
  let pieces = 0;
  // The hostile upload, as the relay's Request body delivers it (Deno and workerd hand the relay such streams):
  // a json part opened and never closed, one KiB per read. Half way, a small GET is made; the upload goes on
  // only once that GET has been answered, so the GET is served while the upload is still in flight.
  const body = new ReadableStream({
    async pull(controller) {
      if (pieces === 0) controller.enqueue(new TextEncoder().encode('--never-closed\r\nContent-Disposition: form-data; name="json"\r\n\r\n{"attachments":"'));
      if (pieces === 2048) {
        getDone(relay(new Request(`http://relay.test${accountPath(sandbox.accountId)}`, { headers: RELAY_MODE })));
        await getFinished;
      }
      pieces += 1;
      controller.enqueue(piece);
    },
  }, { highWaterMark: 0 });
  const upload = relay(new Request(`http://relay.test${userPath("content_library/x.bin")}`, { method: "POST", headers, body, duplex: "half" }));
  const get = await getFinished;
  assert.equal(get.status, 200);
  assert.ok(Array.isArray((await get.json()).data));
  const answer = await upload;
  assert.equal(answer.status, 413);
  assert.match((await answer.json()).error_message, /maxJsonBytes \(4194304 bytes\)/);
  // The relay stopped reading at the limit (plus the part headers' allowance), not at the end of the stream.
  assert.ok(pieces <= 4096 + 8 + 16, `read ${pieces} pieces`);
});

test("error replies: authorize()'s exception, LuxSci's address and the relay's credentials never reach the caller", async () => {
  const seen = [];
  const throwing = await mount({ accountId: sandbox.accountId, onError: (error) => seen.push(error), authorize: () => {
    throw new Error("connect postgres://app:db-password-123@10.0.0.5/app failed");
  } });
  const [closedPort] = await freePorts(1);
  const unreachable = await mount({ baseUrl: `http://127.0.0.1:${closedPort}`, accountId: sandbox.accountId, maxRetries: 0, onError: (error) => seen.push(error) });
  try {
    const thrown = await send(`${throwing.url}${accountPath(sandbox.accountId)}`, { headers: { ...throwing.page, ...RELAY_MODE } });
    assert.equal(thrown.status, 500);
    assert.equal(thrown.json.error_message, "the relay's authorize() failed");
    assert.ok(!thrown.text.includes("db-password") && !thrown.text.includes("postgres"));
    assert.match(String(seen[0]?.message), /db-password-123/, "the app's onError receives the exception itself");
    const down = await send(`${unreachable.url}${accountPath(sandbox.accountId)}`, { headers: { ...unreachable.page, ...RELAY_MODE } });
    assert.equal(down.status, 502);
    assert.equal(down.json.error_message, "the relay could not reach LuxSci");
    assert.ok(!down.text.includes(String(closedPort)) && !down.text.includes("127.0.0.1"), down.text);
    assert.equal(seen[1]?.name, "LuxSciConnectionError");
  } finally {
    await Promise.all([throwing.close(), unreachable.close()]);
  }
  // toNodeHandler answers a handler that throws with a fixed text too.
  const failing = await serve(toNodeHandler(async () => {
    throw new Error("redis://:cache-password@10.0.0.7 refused");
  }));
  try {
    const answer = await send(failing.url);
    assert.equal(answer.status, 502);
    assert.equal(answer.json.error_message, "the handler failed");
  } finally {
    await failing.close();
  }
});

/** A hostile upstream posing as LuxSci: it authenticates anyone, remembers the auth body, and answers the rest with `handler`. */
async function hostileLuxSci(handler) {
  const auth = [];
  const server = await serve((req, res) => {
    const parts = [];
    req.on("data", (chunk) => parts.push(chunk));
    req.on("end", () => {
      if (req.url === `${API}/auth`) {
        auth.push(JSON.parse(Buffer.concat(parts).toString()));
        res.writeHead(200, { "content-type": "application/json" }).end('{"success":1,"auth":"code-1"}');
      } else handler(req, res, auth);
    });
  });
  return { ...server, auth };
}

test("LuxSci's answers passed through have the relay's secret and password redacted, raw or JSON-escaped", async () => {
  const secret = "relay-secret-\"quoted\"-9f8e7d";
  const pass = "relay-password-42";
  const luxsci = await hostileLuxSci((req, res, auth) => {
    const echoed = JSON.stringify({ success: 0, error_message: `bad login ${auth[0]?.pass} for ${secret}`, echo: { pass: auth[0]?.pass, secret } });
    res.writeHead(req.url.endsWith("/fields") ? 200 : 400, { "content-type": "application/json" }).end(echoed);
  });
  const relay = await mount({ baseUrl: luxsci.url, token: "tok", secret, user: "relay-user", pass, username: "me@example.com" });
  const client = new LuxSciClient({ baseUrl: relay.url, relay: true, username: "me@example.com", fetch: browserFetch(relay) });
  try {
    for (const path of ["/user/me@example.com/fields", "/user/me@example.com/templates"]) {
      const answer = await send(`${relay.url}${API}${path}`, { headers: { ...relay.page, ...RELAY_MODE } });
      assert.equal(answer.headers["luxsci-relay"], "luxsci");
      assert.ok(!answer.text.includes(pass) && !answer.text.includes("9f8e7d"), answer.text);
      assert.match(answer.json.error_message, /bad login \[redacted\] for \[redacted\]/);
      assert.equal(answer.json.echo.pass, "[redacted]");
    }
    const failure = await client.getCustomFields().catch((error) => error);
    assert.ok(failure instanceof LuxSciApiError, String(failure));
    assert.ok(!JSON.stringify({ m: failure.message, b: failure.body }).includes(pass));
  } finally {
    await Promise.all([relay.close(), luxsci.close()]);
  }
});

/** A relay-mode client's fetch as a same-origin page's: the app's cookie and the browser's own headers added. */
const browserFetch = (relay) => (input, init) => {
  const request = new Request(input, init);
  for (const [name, value] of Object.entries(relay.page)) request.headers.set(name, value);
  return fetch(request);
};

test("the relay's timeoutMs covers an answer body that stalls after its headers (and one that never starts)", { timeout: 60_000 }, async () => {
  const open = [];
  const luxsci = await hostileLuxSci((req, res) => {
    open.push(res);
    if (req.url.endsWith("/content_tags")) return; // not even headers
    res.writeHead(200, { "content-type": "application/json" });
    // Headers and the start of a body, then nothing: a small answer stalls before its end, a large one after 200 KiB.
    res.write(req.url.endsWith("/fields") ? '{"success":1,"data":[' : `{"success":1,"data":"${"d".repeat(200 * 1024)}`);
  });
  const relay = await mount({ baseUrl: luxsci.url, token: "tok", secret: "relay-secret", username: "me@example.com", timeoutMs: 500 });
  const client = new LuxSciClient({ baseUrl: relay.url, relay: true, username: "me@example.com", maxRetries: 0, fetch: browserFetch(relay) });
  try {
    const small = await client.getCustomFields({ signal: AbortSignal.timeout(15_000) }).catch((error) => error);
    assert.ok(small instanceof LuxSciRelayError, String(small));
    assert.equal(small.status, 504);
    assert.match(small.message, /timeoutMs/);
    const silent = await client.getEmailContentTagList({ signal: AbortSignal.timeout(15_000) }).catch((error) => error);
    assert.ok(silent instanceof LuxSciRelayError, String(silent));
    assert.equal(silent.status, 504);
    const large = await fetch(`${relay.url}${API}/user/me@example.com/templates`, {
      headers: { ...relay.page, ...RELAY_MODE },
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(large.status, 200);
    const read = await large.arrayBuffer().then(() => "ended", (error) => error);
    assert.notEqual(read, "ended");
    assert.notEqual(read?.name, "TimeoutError", "the relay, not the test's own bound, ended the body");
  } finally {
    for (const res of open) res.destroy();
    await Promise.all([relay.close(), luxsci.close()]);
  }
});

test("a relay-mode client rejects with LuxSciRelayError when the relay refuses or fails, and LuxSciApiError only for LuxSci's own answers", async () => {
  const refusing = await mount({ accountId: sandbox.accountId, authorize: () => false });
  const [closedPort] = await freePorts(1);
  const unreachable = await mount({ baseUrl: `http://127.0.0.1:${closedPort}`, accountId: sandbox.accountId, maxRetries: 0 });
  const working = await mount({ accountId: sandbox.accountId, maxJsonBytes: 1024 });
  // A server where the relay failed to load: the framework's own 500 page.
  const broken = await serve((req, res) => res.writeHead(500, { "content-type": "text/html" }).end("<h1>Internal Server Error</h1>"));
  const client = (relay) => new LuxSciClient({ baseUrl: relay.url, relay: true, accountId: sandbox.accountId, maxRetries: 0, fetch: browserFetch(relay.page ? relay : { page: {} }) });
  try {
    const cases = [
      [refusing, (c) => c.getDomainsReport(), 401, /relay answered HTTP 401: not authorized/],
      [unreachable, (c) => c.getDomainsReport(), 502, /relay answered HTTP 502: the relay could not reach LuxSci/],
      [working, (c) => c.createAlias({ user: "u", domain: "d.example", dest: "x".repeat(2000), action: "email" }), 413, /maxJsonBytes/],
      [broken, (c) => c.createDomain({ domain: "x.example" }), 500, /without the relay's mark/],
    ];
    for (const [relay, call, status, message] of cases) {
      const error = await call(client(relay)).catch((e) => e);
      assert.ok(error instanceof LuxSciRelayError && error instanceof LuxSciError, String(error));
      assert.equal(error.name, "LuxSciRelayError");
      assert.equal(error.status, status);
      assert.match(error.message, message);
      assert.ok(!/LuxSci answered/.test(error.message), error.message);
    }
    // The relay's own 502 is final for the client (the relay retried towards LuxSci itself): one request, however many retries a GET may have.
    const before = unreachable.hits.length;
    const once = await new LuxSciClient({ baseUrl: unreachable.url, relay: true, accountId: sandbox.accountId, maxRetries: 2, fetch: browserFetch(unreachable) })
      .getDomainsReport()
      .catch((e) => e);
    assert.equal(once.status, 502);
    assert.equal(unreachable.hits.length - before, 1);
    const refusedSend = await client(refusing).createDomain({ domain: "y.example" }).catch((e) => e);
    assert.equal(refusedSend.mayHaveBeenSent, false, "a relay's refusal forwarded nothing");
    const missing = await client(working).getDomainDetails("missing.example").catch((e) => e);
    assert.ok(missing instanceof LuxSciApiError, String(missing));
    assert.equal(missing.status, 404);
  } finally {
    await Promise.all([refusing.close(), unreachable.close(), working.close(), broken.close()]);
  }
});

test("encoded traversal is refused by the relay (400) and by request() (LuxSciValidationError) with the same rule, and never sent", async () => {
  const relay = await mount({ username: sandbox.username });
  const direct = new LuxSciClient({ baseUrl: upstream.url, token: sandbox.token, secret: sandbox.secret, username: sandbox.username });
  const before = forwarded().length;
  try {
    for (const trick of ["..%2F..%2Faccount%2F999%2Fdomains", "%252e%252e/%252e%252e/account/999/domains", "x/%2e%2e%5C..%5Caccount"]) {
      const answer = await send(`${relay.url}${userPath(`content_library/${trick}`)}`, { headers: { ...relay.page, ...RELAY_MODE } });
      assert.equal(answer.status, 400, `${trick}: ${answer.text}`);
      assert.match(answer.json.error_message, /\.\./);
      const error = await direct.request("GET", `/user/${sandbox.username}/content_library/${trick}`).catch((e) => e);
      assert.ok(error instanceof LuxSciValidationError, `${trick}: ${error}`);
      const built = await direct.getContentLibraryFile(decodeURIComponent(trick)).catch((e) => e);
      assert.ok(built instanceof LuxSciValidationError, `${trick}: ${built}`);
    }
    assert.ok((await direct.request("GET", "/user/u/x/%2e%2e").catch((e) => e)) instanceof LuxSciValidationError);
    assert.deepEqual(forwarded().slice(before), []);
  } finally {
    direct.free();
    await relay.close();
  }
});
