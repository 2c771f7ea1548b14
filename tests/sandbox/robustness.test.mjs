// Bad input: unknown routes, malformed JSON, oversized bodies (413), and thousands of random requests; the server keeps answering.
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { randomBytes, randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ROUTES } from "../../js/sandbox/routes.js";
import { cookie } from "../support/signer.mjs";
import { API, ok, openSandbox, rejected } from "./helpers.mjs";

let sandbox;
let call;
let auth;
let account;
before(async () => {
  ({ sandbox, call, auth, account } = await openSandbox({ maxBodyBytes: 64 * 1024, username: "fuzz@example.test" }));
});
after(() => sandbox.close());

/** Writes raw bytes on a fresh connection, half-closes, and resolves with everything received before the server closed. */
function rawExchange(bytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(sandbox.url).port), "127.0.0.1");
    const chunks = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after 10 s for request ${JSON.stringify(bytes.subarray(0, 120).toString("latin1"))}`));
    }, 10_000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {}); // a reset after the answer is fine; 'close' follows
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.end(bytes);
  });
}

function assertClean4xx(reply, request) {
  if (reply === "") return; // the server may close without answering a request that never completed
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1];
  assert.ok(status, `no status line in reply to ${JSON.stringify(request.subarray(0, 120).toString("latin1"))}: ${reply.slice(0, 200)}`);
  assert.ok(Number(status) < 500, `HTTP ${status} for ${JSON.stringify(request.subarray(0, 200).toString("latin1"))}: ${reply.slice(-300)}`);
}

const pick = (list) => list[randomInt(list.length)];
const PATH_PIECES = ["/", "perl", "api", "v2", "/perl/api/v2/", "auth", "account", "10001", "user", "fuzz@example.test", "fuzz%40example.test",
  "content_library", "domains", "%", "%G1", "%FF", "%00", "%2F", "..", ".", "//", "?", "&", "=", "#", " ", "\u00e9", "\t", "__sandbox", "email", "send"];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "get", "G T", "\x00", "CONNECT", ""];
const HEADER_LINES = [
  () => `Cookie: signature=${randomBytes(randomInt(40)).toString("hex")}:${randomBytes(32).toString("hex")}`,
  () => `Cookie: signature=${auth}:${randomBytes(32).toString("hex")}`,
  () => `Content-Type: multipart/form-data; boundary=${randomBytes(randomInt(1, 10)).toString("hex")}`,
  () => "Content-Type: application/json",
  () => `Content-Length: ${randomInt(0, 200)}`,
  () => "Transfer-Encoding: chunked",
  () => `X-${randomBytes(3).toString("hex")}: ${randomBytes(randomInt(30)).toString("latin1")}`,
  () => randomBytes(randomInt(1, 40)).toString("latin1"),
];
const BODIES = [
  () => "",
  () => "{",
  () => '{"messages":[{"to":["a@x.test"],"subject":"s","body":"b"}]}',
  () => randomBytes(randomInt(0, 300)).toString("latin1"),
  () => "--b\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n{}\r\n--b--",
  () => "5\r\nhello\r\n0\r\n\r\n",
];

function randomHttpRequest() {
  const path = Array.from({ length: randomInt(1, 10) }, () => pick(PATH_PIECES)).join("");
  const headers = Array.from({ length: randomInt(0, 5) }, () => pick(HEADER_LINES)()).join("\r\n");
  return Buffer.from(`${pick(METHODS)} ${path} HTTP/1.1\r\nHost: x\r\n${headers}${headers ? "\r\n" : ""}\r\n${pick(BODIES)()}`, "latin1");
}

const FIELDS = ["domain", "user", "dest", "action", "messages", "to", "cc", "bcc", "subject", "body", "priority", "email", "emails",
  "expires", "name", "code_word", "contacts", "recipients", "attachments", "users", "status", "type", "hash"];
function randomJson(depth = 0) {
  const kind = randomInt(depth > 2 ? 5 : 8);
  if (kind === 0) return null;
  if (kind === 1) return randomInt(-5, 2000);
  if (kind === 2) return pick(["", "x", "a@b.test", "example.test", "email", "bounce", "-1", "\u0000", "a".repeat(1200)]);
  if (kind === 3) return Math.random() < 0.5;
  if (kind === 4) return 1.5;
  if (kind === 5) return Array.from({ length: randomInt(0, 4) }, () => randomJson(depth + 1));
  return Object.fromEntries(Array.from({ length: randomInt(0, 6) }, () => [pick(FIELDS), randomJson(depth + 1)]));
}

/** A correctly signed request to a random route with random parameters and a random JSON body (reaches the handlers). */
// revokeAuthentication is left out: it would end the session the other random requests are signed with.
const FUZZ_ROUTES = ROUTES.filter((route) => route.operationId !== "revokeAuthentication");
function randomSignedRequest() {
  const route = pick(FUZZ_ROUTES);
  const values = {
    accountId: [sandbox.accountId, sandbox.accountId, sandbox.accountId, "1"],
    username: ["fuzz@example.test", "fuzz%40example.test", "FUZZ@example.test", "x"],
    directory: ["", "d/", "d/e/", "a%20b/", "%2E/", "%ZZ/"],
    file_path: ["f.txt", "d/f.txt", "a%2Fb", "d//f"],
  };
  const other = ["x", "1001", "1002", "a@b.test", "example.test", "%E2%82%AC", "footer", "%"];
  const path = API + route.path.replace(/\{(\w+)\}/g, (_, name) => pick(values[name] ?? other));
  const bodyText = route.method === "POST" || route.method === "PUT" ? JSON.stringify(randomJson()) : "";
  const headers = [`Cookie: ${cookie(auth, sandbox.secret, route.method, path, "", bodyText || undefined)}`, "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(bodyText)}`];
  return Buffer.from(`${route.method} ${path} HTTP/1.1\r\nHost: x\r\n${headers.join("\r\n")}\r\n\r\n${bodyText}`);
}

async function runAll(makers, concurrency = 40) {
  let next = 0;
  const worker = async () => {
    while (next < makers.length) {
      const request = makers[next++]();
      assertClean4xx(await rawExchange(request), request);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe("rejections", () => {
  test("unknown routes and methods are 404 (never 405)", async () => {
    rejected(await call("GET", "/nowhere"), 404, /unknown route/);
    rejected(await call("PATCH", "/auth"), 404, /unknown route/);
    rejected(await call("GET", `${account}/domains/a/b`), 404, /unknown route/);
    const outside = await fetch(`${sandbox.url}/favicon.ico`);
    assert.equal(outside.status, 404);
    assert.equal((await outside.json()).success, 0);
  });

  test("malformed JSON and non-UTF-8 bodies are 400", async () => {
    rejected(await call("POST", `${account}/domains`, { body: '{"domain":', contentType: "application/json", signedText: '{"domain":' }), 400, /malformed JSON/);
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    rejected(await call("POST", `${account}/domains`, { body: bytes, contentType: "application/json", signedText: bytes }), 400, /UTF-8/);
    rejected(await call("POST", `${account}/domains`, { json: "just a string" }), 400, /JSON object/);
  });

  test("bodies over maxBodyBytes are refused with 413 (declared or streamed), and the server carries on", async () => {
    const big = "x".repeat(64 * 1024 + 1);
    const declared = await fetch(`${sandbox.url}${API}/auth`, { method: "POST", body: big });
    assert.equal(declared.status, 413);
    assert.match((await declared.json()).error_message, /exceeds the sandbox limit of 65536 bytes/);
    const streamed = await new Promise((resolve, reject) => {
      const { hostname, port } = new URL(sandbox.url);
      const request = http.request({ hostname, port, method: "POST", path: `${API}/auth` }, (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode, text }));
      });
      request.on("error", reject);
      const chunk = "y".repeat(16 * 1024);
      for (let i = 0; i < 5; i += 1) request.write(chunk);
      request.end();
    });
    assert.equal(streamed.status, 413, streamed.text);
    ok(await call("GET", `${account}/domains`));
  });
});

describe("random input", () => {
  test("3500 random requests (raw bytes, random HTTP, signed random bodies) all get a clean answer or close", async () => {
    const makers = [
      ...Array.from({ length: 1000 }, () => () => randomBytes(randomInt(1, 400))),
      ...Array.from({ length: 1000 }, () => randomHttpRequest),
      ...Array.from({ length: 1500 }, () => randomSignedRequest),
    ];
    await runAll(makers);
    assert.ok(!sandbox.log.some((entry) => typeof entry.status === "number" && entry.status >= 500));
    assert.ok(sandbox.log.length > 1500);
    ok(await call("GET", `${account}/domains`));
    ok(await call("POST", `/user/${sandbox.username}/email/send`, { json: { messages: [{ to: ["a@x.test"], subject: "after", body: "fuzz" }] } }));
  });
});
