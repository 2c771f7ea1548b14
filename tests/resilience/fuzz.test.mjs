// Fuzz: ≥ 10,000 random responses (and failures) through the real wasm client via an injected fetch, plus random arguments to every method; every call settles as success or a LuxSciError, and the same client then still works against the sandbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { luxsci, startSandbox, clientOf, oneMessage } from "./helpers.mjs";

const { LuxSciError } = luxsci;
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const RESPONSES = 10_000;

/** mulberry32: a small seeded PRNG, so that a failure is reproducible with FUZZ_SEED. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const int = (n) => Math.floor(random() * n);
const pick = (items) => items[int(items.length)];
const randomText = (n) => Array.from({ length: n }, () => String.fromCharCode(int(0x10000))).join("");
const randomBytes = (n) => Uint8Array.from({ length: n }, () => int(256));

/** A random JSON-ish value of bounded size. */
function randomValue(depth = 0) {
  const leaves = [null, true, false, 0, 1, -1, 1e308, -1e-308, 2 ** 53 + 1, "", "0", "1", randomText(int(20))];
  if (depth > 3) return pick(leaves);
  switch (int(4)) {
    case 0:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    case 1:
      return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(["success", "data", "error_message", "auth", "x", "__proto__"]), randomValue(depth + 1)]));
    default:
      return pick(leaves);
  }
}

const nested = (depth, open, close) => open.repeat(depth) + close.repeat(depth);
const envelope = () => JSON.stringify({ success: pick([1, 0, "1", "0", true, false, 2, null, "yes", [], {}]), data: randomValue(), error_message: pick([undefined, "", "  ", "boom", 42, null, randomText(30)]) });

/** Body generators: broken, odd and hostile bodies, and valid ones. */
const BODIES = [
  () => envelope(),
  () => envelope().slice(0, int(40)),
  () => JSON.stringify(randomValue()),
  () => "<html><body><h1>502 Bad Gateway</h1></body></html>",
  () => "",
  () => randomBytes(int(64)),
  () => Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x28, 0x7d]),
  () => '{"success":1,"data":' + "9".repeat(400) + "}",
  () => '{"success":1e999,"data":-1e999}',
  () => nested(int(20) ? 5_000 : 200_000, "[", "]"),
  () => '{"success":1,"data":' + nested(3_000, '{"a":', "}").replace(/\{"a":\}+$/, "1" + "}".repeat(3_000)) + "}",
  () => `{"success":0,"error_message":"${"x".repeat(int(2) ? 600 : 100_000)}"}`,
  () => '{"success":0,"error_message":"\\ud800\\udfff\\ud800 lone"}',
  () => '{"__proto__":{"success":1},"constructor":{"prototype":{"x":1}}}',
  () => '{"success":1,"data":{"sendmail_id":[1,2]},"auth":"x"}',
  () => "null",
  () => "[1,2,3]",
  () => '"just a string"',
  () => randomText(int(200)),
];

const STATUSES = [200, 200, 201, 202, 204, 400, 401, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504, 599, 299, 302];

function randomHeaders() {
  const headers = new Headers();
  if (int(3) === 0) headers.set("retry-after", pick(["1", "-1", "1e9", "NaN", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "0", " 2 "]));
  if (int(3) === 0) headers.set("content-type", pick(["application/json", "text/html", "application/octet-stream", "garbage;;;"]));
  if (int(4) === 0) headers.set("date", pick(["Thu, 01 Jan 1970 00:00:00 GMT", new Date(Date.now() + 1e9).toUTCString(), "not a date", "Fri, 31 Dec 9999 23:59:59 GMT"]));
  return headers;
}

/** A stream that fails part-way, like a connection reset while the body is read. */
const failingStream = () =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"success":1,"da'));
      controller.error(new TypeError("terminated", { cause: { code: "ECONNRESET" } }));
    },
  });

/** The exception of an object's own throwing getter: as an argument, it may reach the caller unchanged. */
const HOSTILE = "hostile getter";
/** Failures of fetch itself: rejections with odd reasons, non-Response results. */
const hostile = new Proxy({}, { get: () => { throw new Error(HOSTILE); } });
const FAILURES = [
  () => Promise.reject(new TypeError("fetch failed", { cause: { code: pick(["ECONNRESET", "ECONNREFUSED", "ENOTFOUND", "UND_ERR_SOCKET"]) } })),
  () => Promise.reject(new TypeError("fetch failed")),
  () => Promise.reject(pick([null, undefined, 42, "string", {}, hostile])),
  () => {
    throw new Error("synchronous throw");
  },
  () => pick([null, undefined, {}, "not a response", 7]),
  () => Promise.resolve(pick([null, {}, { status: 200, text: () => "{}" }])),
  () => new Response(failingStream(), { status: 200 }),
];

function fuzzResponse(url) {
  if (url.endsWith("/perl/api/v2/auth") && int(10) < 8) {
    const auth = int(10) ? `code-${int(1e6)}` : pick([randomText(8), "a b", "x:y", "x;y", "", "é", 42, null]);
    return new Response(JSON.stringify({ success: 1, auth }), { status: 201 });
  }
  if (int(12) === 0) return pick(FAILURES)();
  let status = pick(STATUSES);
  const body = pick(BODIES)();
  if (status === 204) status = 200; // a 204 may not carry a body
  return new Response(body, { status, headers: randomHeaders() });
}

let sandbox;
let mode = "fuzz";
const fetchOption = (url, init) => (mode === "fuzz" ? fuzzResponse(String(url)) : fetch(url, init));
let client;

before(async () => {
  sandbox = await startSandbox();
  client = clientOf(sandbox, { fetch: fetchOption, maxRetries: 0, timeoutMs: 5_000 });
});
after(() => sandbox.close());

/** Calls that exercise every request shape: GET, param, JSON body, send, PUT, DELETE, multipart, custom, auth. */
const CALLS = [
  () => client.getDomainsReport(),
  () => client.getDomainDetails("a.example.test"),
  () => client.sendEmail(oneMessage()),
  () => client.updateDomain("a.example.test", { users: 1 }),
  () => client.deleteAlias("x@a.example.test"),
  () => client.uploadContentLibraryFile("docs/readme.txt", "hello"),
  () => client.getContentLibraryDirectory(),
  () => client.request("GET", "/account/1/unknown", { query: { a: 1 } }),
  () => client.retrieveSecureLineRecipientListEncryptionData({ recipients: ["a@example.test"] }),
  () => client.authenticate(),
  () => client.revokeAuthentication(),
];

/** Settles `promise`; returns the outcome's class name, failing on anything but success or a LuxSciError. */
async function outcome(promise, label, { callerExceptions = false } = {}) {
  try {
    await promise;
    return "success";
  } catch (error) {
    if (callerExceptions && error?.message === HOSTILE) return "caller's own exception";
    if (!(error instanceof LuxSciError)) assert.fail(`${label} (seed ${SEED}) rejected with ${util.inspect(error)}`);
    assert.equal(typeof error.message, "string");
    return error.name;
  }
}
async function stillWorks() {
  mode = "real";
  try {
    assert.ok(Array.isArray(await client.getDomainsReport()));
    assert.equal((await client.sendEmail(oneMessage())).length, 1);
    await client.revokeAuthentication();
    assert.ok(Array.isArray(await client.getAliasesReport()));
  } finally {
    mode = "fuzz";
  }
}

test(`${RESPONSES} random responses through the wasm client: each a success or a LuxSciError, and the client still works`, async () => {
  const tally = {};
  for (let done = 0; done < RESPONSES; done += 50) {
    const batch = Array.from({ length: 50 }, (_, i) => {
      const n = int(CALLS.length);
      return outcome(CALLS[n](), `call ${n} #${done + i}`);
    });
    for (const name of await Promise.all(batch)) tally[name] = (tally[name] ?? 0) + 1;
  }
  const total = Object.values(tally).reduce((a, b) => a + b, 0);
  assert.equal(total, RESPONSES);
  for (const name of ["success", "LuxSciApiError", "LuxSciAuthError", "LuxSciConnectionError"]) assert.ok(tally[name] > 0, `${name} seen: ${JSON.stringify(tally)}`);
  await stillWorks();
});

test("random arguments to every method settle as a success or a LuxSciError, and the client still works", async () => {
  const methods = Object.getOwnPropertyNames(luxsci.LuxSciClient.prototype).filter((m) => m !== "constructor" && m !== "free" && typeof client[m] === "function" && !m.startsWith("__"));
  assert.ok(methods.length >= 59, `${methods.length} methods`);
  const args = () => [
    undefined, null, "", "x", "a/b", "../", "//", "%", "@", 0, -1, 1.5, NaN, Infinity, 2 ** 64, true, [], [1], {}, { messages: [] },
    { signal: "no" }, { timeoutMs: -1 }, { maxRetries: 99 }, { accountId: {} }, { bogus: 1 }, new Uint8Array(3), new Blob(["b"]), Symbol("s"), () => 1, hostile, randomValue(),
  ];
  const tally = {};
  for (let i = 0; i < 3_000; i++) {
    const method = pick(methods);
    const values = args();
    const given = Array.from({ length: int(4) }, () => pick(values));
    let settled;
    try {
      settled = client[method](...given);
    } catch (error) {
      // toJSON/toString are synchronous; nothing else may throw.
      assert.ok(["toJSON", "toString"].includes(method), `${method} threw ${util.inspect(error)}`);
      continue;
    }
    if (!(settled instanceof Promise)) continue;
    const name = await outcome(settled, `${method}(${given.map((g) => typeof g).join(", ")})`, { callerExceptions: true });
    tally[name] = (tally[name] ?? 0) + 1;
  }
  assert.ok(tally.LuxSciValidationError > 0, JSON.stringify(tally));
  await stillWorks();
});
