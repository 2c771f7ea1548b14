// Hostile upstreams over real HTTP on 127.0.0.1: a response body is read only up to maxResponseBytes, a server's
// strings (error_message, the auth code) enter wasm memory only as bounded prefixes, and a credential echoed in a
// message is redacted before the message is cut.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { pkgDir, faultySandbox, clientOf, oneMessage } from "./helpers.mjs";

const MiB = 1024 * 1024;
let sandbox;

before(async () => {
  sandbox = await faultySandbox();
});
after(() => sandbox.close());

/**
 * A server on 127.0.0.1 in front of the sandbox: `answer(req, body, res)` answers a request itself when it returns
 * true; every other request is forwarded to the sandbox as it came.
 */
async function hostile(t, answer) {
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    if (await answer(req, body, res)) return;
    const forwarded = http.request(`${sandbox.url}${req.url}`, { method: req.method, headers: req.headers }, (answered) => {
      res.writeHead(answered.statusCode, answered.headers);
      answered.pipe(res);
    });
    forwarded.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
  return `http://127.0.0.1:${server.address().port}`;
}

const isAuth = (req) => req.url.endsWith("/perl/api/v2/auth");
const json = (res, status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));

/** Writes `chunk` to `res` until the client goes away, respecting backpressure; resolves to the bytes written. */
async function pour(res, chunk) {
  const closed = once(res, "close");
  let written = 0;
  while (!res.destroyed) {
    written += chunk.length;
    if (!res.write(chunk)) await Promise.race([once(res, "drain"), closed]);
  }
  return written;
}

/** A separate instance of the package's wasm (with the operation methods, from its modules before bundling), whose linear memory the test can measure. */
async function measuredInstance() {
  const glue = await import(`${pkgDir}/modules/luxsci.js`);
  const exports = glue.initSync({ module: readFileSync(`${pkgDir}/luxsci_bg.wasm`) });
  return { LuxSciClient: (await import(`${pkgDir}/modules/client.js`)).LuxSciClient, memoryBytes: () => exports.memory.buffer.byteLength };
}

test("an endless response body is cut at maxResponseBytes (64 MiB by default) with a typed error, in bounded memory", async (t) => {
  let poured;
  const url = await hostile(t, (req, _body, res) => {
    if (isAuth(req)) return false;
    res.writeHead(200, { "content-type": "application/json" });
    poured = pour(res, Buffer.alloc(MiB, 0x20));
    return true;
  });
  const client = clientOf(sandbox, { baseUrl: url, timeoutMs: 60_000 });
  await client.authenticate();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 10);
  const error = await client.getDomainsReport().then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  clearInterval(sampler);
  const sent = await poured;
  t.diagnostic(`server wrote ${(sent / MiB).toFixed(0)} MiB before the client left; RSS grew by at most ${((rssPeak - rssBefore) / MiB).toFixed(0)} MiB`);
  assert.equal(error.name, "LuxSciApiError", String(error));
  assert.equal(error.status, 200);
  assert.match(error.message, /maxResponseBytes \(67108864 bytes\)/);
  assert.equal(error.mayHaveBeenSent, undefined, "a GET is safe to repeat");
  assert.ok(sent < 96 * MiB, `the client stopped reading (the server wrote ${sent} bytes)`);
  assert.ok(rssPeak - rssBefore < 512 * MiB, `RSS grew by ${rssPeak - rssBefore} bytes`);
});

test("maxResponseBytes is exact, and a send whose 2xx answer was cut may have been sent", async (t) => {
  const limit = 4096;
  let size = limit;
  const url = await hostile(t, (req, _body, res) => {
    if (isAuth(req)) return false;
    const head = JSON.stringify({ success: 1, data: [] }).slice(0, -1);
    const text = `${head},"pad":"${"x".repeat(size - head.length - 10)}"}`;
    assert.equal(Buffer.byteLength(text), size);
    res.writeHead(200, { "content-type": "application/json" }).end(text);
    return true;
  });
  const client = clientOf(sandbox, { baseUrl: url, maxResponseBytes: limit });
  assert.deepEqual(await client.getDomainsReport(), [], "a body of exactly maxResponseBytes is read");
  size = limit + 1;
  await assert.rejects(client.getDomainsReport(), (e) => e.name === "LuxSciApiError" && /maxResponseBytes \(4096 bytes\)/.test(e.message));
  const error = await client.sendEmail(oneMessage()).then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.equal(error.name, "LuxSciApiError");
  assert.equal(error.mayHaveBeenSent, true, String(error));
  assert.match(error.message, /may have reached LuxSci/);
  for (const bad of [0, -1, 1.5, "1", 2 ** 40]) {
    assert.throws(() => clientOf(sandbox, { maxResponseBytes: bad }), (e) => e.name === "LuxSciValidationError" && /maxResponseBytes/.test(e.message));
  }
});

test("a compressed body is counted as it is decompressed: a gzip bomb stops at the limit", async (t) => {
  const bomb = gzipSync(Buffer.alloc(64 * MiB, 0x20));
  let sent = 0;
  const url = await hostile(t, (req, _body, res) => {
    if (isAuth(req)) return false;
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": bomb.length });
    res.end(bomb);
    sent += bomb.length;
    return true;
  });
  const client = clientOf(sandbox, { baseUrl: url, maxResponseBytes: MiB });
  await assert.rejects(client.getDomainsReport(), (e) => e.name === "LuxSciApiError" && /maxResponseBytes/.test(e.message));
  assert.ok(sent > 0 && bomb.length < MiB, "the compressed body itself is under the limit");
});

test("a huge error_message or success flag does not grow wasm memory, and the message is cut after redaction", async (t) => {
  const wasm = await measuredInstance();
  const echo = `${"E".repeat(20 * MiB)} ${sandbox.secret}`;
  let answer = { status: 400, body: { success: 0, error_message: echo } };
  const url = await hostile(t, (req, _body, res) => {
    if (isAuth(req)) return false;
    json(res, answer.status, answer.body);
    return true;
  });
  const client = new wasm.LuxSciClient({ baseUrl: url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId });
  await client.authenticate();
  const failure = () =>
    client.getDomainsReport().then(
      () => assert.fail("resolved"),
      (e) => e,
    );
  const before = wasm.memoryBytes();
  for (let i = 0; i < 3; i++) {
    const error = await failure();
    assert.equal(error.name, "LuxSciApiError");
    assert.equal(error.status, 400);
    assert.equal(error.message, `${"E".repeat(500)}…`);
    assert.equal(error.body.error_message, `${"E".repeat(20 * MiB)} [redacted]`, "the body, redacted in JavaScript");
  }
  answer = { status: 200, body: { success: "1".repeat(20 * MiB) } };
  assert.match((await failure()).message, /unrecognised success flag/);
  const growth = wasm.memoryBytes() - before;
  t.diagnostic(`wasm memory grew by ${growth} bytes over three 20 MiB error messages and a 20 MiB success flag`);
  assert.ok(growth < MiB, `wasm memory grew by ${growth} bytes`);
  client.free();
});

test("an over-long auth code is refused, never cached, and the next call authenticates normally", async (t) => {
  const wasm = await measuredInstance();
  let hostileAuths = 1;
  const url = await hostile(t, (req, _body, res) => {
    if (!isAuth(req) || req.method !== "POST" || hostileAuths === 0) return false;
    hostileAuths -= 1;
    json(res, 201, { success: 1, auth: "A".repeat(8 * MiB) });
    return true;
  });
  const client = new wasm.LuxSciClient({ baseUrl: url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId });
  const before = wasm.memoryBytes();
  const authCalls = sandbox.authCalls();
  await assert.rejects(client.authenticate(), (e) => e.name === "LuxSciApiError" && /no usable auth code \(longer than 1024 characters\)/.test(e.message));
  const growth = wasm.memoryBytes() - before;
  assert.ok(growth < MiB, `wasm memory grew by ${growth} bytes`);
  assert.ok(Array.isArray(await client.getDomainsReport()), "re-authenticated against the good server");
  assert.equal(sandbox.authCalls(), authCalls + 1);
  client.free();
});

test("a credential straddling the 500-character cut is redacted, not shown in part", async () => {
  const user = clientOf(sandbox, { user: sandbox.username, pass: sandbox.password });
  for (const credential of [sandbox.secret, sandbox.password]) {
    sandbox.faults.failNext("getEmailAutoResponders", { status: 400, body: { success: 0, error_message: `${"x".repeat(495)}${credential} tail` } });
    const error = await user.getEmailAutoResponders().then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.equal(error.message, `${"x".repeat(495)}[reda…`);
    assert.ok(!error.message.includes(credential.slice(0, 4)));
  }
});
