// The secret, the password and every signature never show in any error the client produces, nor in the client, by any means of inspection; no scratch copy of them stays in wasm memory, and the held ones leave it when the client is freed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import util from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { luxsci, pkgDir, faultySandbox, clientOf, oneMessage, goneUrl, startSandbox } from "./helpers.mjs";

const { LuxSciClient, LuxSciError } = luxsci;
let sandbox;
let account;
let user;
const signatures = new Set();

/** A fetch that collects every signature the SDK sends (auth body and Cookie), to look for them later. */
async function collectingFetch(url, init) {
  const cookie = new Headers(init.headers).get("cookie");
  if (cookie) signatures.add(cookie.split(":").at(-1));
  if (typeof init.body === "string" && init.body.includes('"signature"')) signatures.add(JSON.parse(init.body).signature);
  return fetch(url, init);
}

before(async () => {
  sandbox = await faultySandbox();
  account = clientOf(sandbox, { fetch: collectingFetch });
  user = clientOf(sandbox, { fetch: collectingFetch, user: sandbox.username, pass: sandbox.password });
});
after(() => sandbox.close());

/** Everything that can be read out of `value`, by every means a user or a logger might use. */
function everyView(value) {
  const views = [
    util.inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    util.format("%s %o %O %j", value, value, value, value),
    String(value),
    JSON.stringify(value) ?? "",
  ];
  const logged = [];
  const write = process.stdout.write;
  process.stdout.write = (chunk, ...rest) => (logged.push(String(chunk)), rest.at(-1)?.call?.(), true);
  try {
    console.log(value);
    console.log("%o", value);
  } finally {
    process.stdout.write = write;
  }
  views.push(...logged);
  if (value !== null && typeof value === "object") {
    for (const key of Object.getOwnPropertyNames(value)) {
      const field = value[key];
      views.push(key, typeof field === "string" ? field : (util.inspect(field, { depth: Infinity, showHidden: true }) + (JSON.stringify(field) ?? "")));
    }
    views.push(String(value.stack ?? ""), String(value.cause ?? ""));
  }
  return views.join("\n");
}

function assertClean(what, value) {
  const text = everyView(value);
  assert.ok(text.length > 0);
  for (const [name, secret] of [["secret", sandbox.secret], ["password", sandbox.password]]) {
    assert.ok(!text.includes(secret), `${what} shows the ${name}`);
  }
  for (const signature of signatures) assert.ok(!text.includes(signature), `${what} shows a signature`);
}

/** Every error class the client produces, each from a real failure. */
async function producedErrors() {
  const errors = [];
  const capture = async (label, promise) => {
    const error = await promise.then(
      () => assert.fail(`${label} succeeded`),
      (e) => e,
    );
    assert.ok(error instanceof LuxSciError, `${label}: ${error}`);
    errors.push([`${label} (${error.name})`, error]);
  };
  try {
    new LuxSciClient({ token: sandbox.token, secret: sandbox.secret, user: sandbox.username, pass: sandbox.password, bogus: 1 });
  } catch (e) {
    errors.push(["bad client option", e]);
  }
  await capture("bad input", user.sendEmail({ messages: [] }));
  await capture("wrong password", clientOf(sandbox, { fetch: collectingFetch, user: sandbox.username, pass: `${sandbox.password}x` }).authenticate());
  await capture("wrong secret", clientOf(sandbox, { fetch: collectingFetch, secret: `${sandbox.secret}0` }).getDomainsReport());
  sandbox.faults.failNext("authentication", {
    status: 401,
    body: { success: 0, error_message: `refused ${sandbox.password} signed by ${sandbox.secret}`, echo: { pass: sandbox.password } },
  });
  await capture("auth refusal echoing credentials", clientOf(sandbox, { fetch: collectingFetch, user: sandbox.username, pass: sandbox.password }).authenticate());
  await user.authenticate();
  await account.authenticate();
  await capture("API 404", account.getDomainDetails("missing.example.test"));
  sandbox.faults.failNext("getEmailAutoResponders", {
    status: 400,
    body: { success: 0, error_message: `you sent ${sandbox.secret} and ${sandbox.password}`, data: { nested: [sandbox.secret, JSON.stringify({ p: sandbox.password })] } },
  });
  await capture("API error echoing credentials", user.getEmailAutoResponders());
  sandbox.faults.failNext("sendEmail", { status: 500 });
  await capture("sendEmail 500", user.sendEmail(oneMessage()));
  sandbox.faults.delayNext("getEmailAutoResponders", { ms: 300 });
  await capture("timeout", user.getEmailAutoResponders({ timeoutMs: 20, maxRetries: 0 }));
  await capture("abort", user.getEmailAutoResponders({ signal: AbortSignal.abort() }));
  sandbox.faults.dropNext("sendEmail");
  await capture("dropped connection", user.sendEmail(oneMessage()));
  await capture("refused connection", clientOf(sandbox, { baseUrl: await goneUrl(), maxRetries: 0 }).authenticate());
  return errors;
}

test("the inspection finds a planted credential wherever it hides", () => {
  const deep = new LuxSciError("x", { body: { a: [{ b: sandbox.secret }] } });
  const hidden = new LuxSciError("x");
  Object.defineProperty(hidden, "detail", { value: `pass=${sandbox.password}`, enumerable: false });
  const logged = { toString: () => "", [util.inspect.custom]: () => sandbox.secret };
  for (const planted of [deep, hidden, logged]) assert.throws(() => assertClean("planted", planted), assert.AssertionError);
});

test("no error, and no client, shows the secret, the password or a signature", async () => {
  const errors = await producedErrors();
  assert.deepEqual(
    [...new Set(errors.map(([, e]) => e.name))].sort(),
    ["LuxSciAbortError", "LuxSciApiError", "LuxSciAuthError", "LuxSciConnectionError", "LuxSciTimeoutError", "LuxSciValidationError"],
  );
  assert.ok(signatures.size >= 5, `collected ${signatures.size} signatures to look for`);
  for (const [label, error] of errors) assertClean(label, error);
  const echoed = errors.find(([label]) => label.startsWith("API error echoing"))[1];
  assert.match(echoed.message, /\[redacted\].*\[redacted\]/);
  assert.deepEqual(echoed.body.data.nested, ["[redacted]", JSON.stringify({ p: "[redacted]" })]);
  for (const client of [account, user]) assertClean("the client", client);
  assert.equal(String(user), `LuxSciClient(${sandbox.url})`);
});

test("hooks are given no headers, no signature, no credential", async () => {
  const infos = [];
  const hooked = clientOf(sandbox, { fetch: collectingFetch, user: sandbox.username, pass: sandbox.password, onRequest: (i) => infos.push(i), onResponse: (i) => infos.push(i) });
  await hooked.getEmailAutoResponders();
  await hooked.sendEmail(oneMessage());
  assert.equal(infos.length, 4);
  for (const info of infos) {
    assert.deepEqual(Object.keys(info).filter((k) => !["operationId", "method", "url", "attempt", "status"].includes(k)), []);
    assertClean("a hook's info", info);
  }
});

/**
 * A separate instance of the package's wasm (with the client's methods, from its modules before bundling), whose memory the test can read: `contains(text)`, and `spots(text)`, the
 * offsets where any 10 consecutive bytes of `text` lie (a partial copy, such as a hash block's tail, is found too).
 */
function instanceWithMemory() {
  return import(`${pkgDir}/modules/luxsci.js`).then(async (glue) => {
    const exports = glue.initSync({ module: readFileSync(`${pkgDir}/luxsci_bg.wasm`) });
    const bytes = (text) => new TextEncoder().encode(text);
    const contains = (text) => Buffer.from(exports.memory.buffer).includes(bytes(text));
    const spots = (text) => {
      const memory = Buffer.from(exports.memory.buffer);
      const found = new Set();
      for (let i = 0; i + 10 <= text.length; i++) {
        for (let at = memory.indexOf(text.slice(i, i + 10)); at >= 0; at = memory.indexOf(text.slice(i, i + 10), at + 1)) found.add(at - i);
      }
      return [...found];
    };
    return { LuxSciClient: (await import(`${pkgDir}/modules/client.js`)).LuxSciClient, contains, spots };
  });
}

test("the secret and password leave wasm memory when the client is freed, explicitly or by the garbage collector", async () => {
  const wasm = await instanceWithMemory();
  const credentials = (n) => ({ secret: `secret-marker-${n}-${sandbox.secret}`, pass: `pass-marker-${n}-${sandbox.password}` });
  const make = (n) => new wasm.LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, user: sandbox.username, ...credentials(n) });
  const present = (n) => Object.values(credentials(n)).map(wasm.contains);

  const explicit = make(1);
  assert.deepEqual(present(1), [true, true], "held while the client lives (so the search works)");
  await assert.rejects(explicit.authenticate(), (e) => e.name === "LuxSciAuthError", "it signs with them");
  explicit.free();
  assert.deepEqual(present(1), [false, false], "zeroised by free()");

  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  (() => {
    make(2);
  })();
  assert.deepEqual(present(2), [true, true]);
  for (let i = 0; i < 50 && present(2).some(Boolean); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(present(2), [false, false], "zeroised when the FinalizationRegistry frees it");
});

test("no scratch copy of the password, the secret or a signature stays in wasm memory after signing, nor any after free()", async () => {
  const wasm = await instanceWithMemory();
  const random = () => randomBytes(36).toString("base64url");
  const local = await startSandbox({ secret: random(), password: random() });
  try {
    const sent = [];
    const fetch = (url, init) => (sent.push(init), globalThis.fetch(url, init));
    const client = new wasm.LuxSciClient({
      baseUrl: local.url, token: local.token, secret: local.secret, user: local.username, pass: local.password, username: local.username, fetch,
    });
    assert.deepEqual(wasm.spots(local.password).length, 1, "the password is held once (so the search works)");
    await client.authenticate();
    assert.equal(wasm.spots(local.password).length, 1, "authenticating left no part of the string-to-sign behind");
    await client.request("GET", `/user/${local.username}/email/ar`);
    await client.request("POST", `/user/${local.username}/email/compose/secureline/recipients`, { body: { recipients: ["a@example.test"] } });
    const signatures = [JSON.parse(sent[0].body).signature, ...sent.slice(1).map((init) => init.headers.cookie.split(":").at(-1))];
    assert.equal(signatures.length, 3);
    // While the client lives, only the credentials it holds: no string-to-sign (with the password), no hash block.
    for (const [name, credential] of [["password", local.password], ["secret", local.secret]]) {
      assert.equal(wasm.spots(credential).length, 1, `one ${name}, no other copy or part of it`);
    }
    for (const signature of signatures) assert.deepEqual(wasm.spots(signature), [], "no signature");
    client.free();
    for (const text of [local.password, local.secret, ...signatures]) assert.deepEqual(wasm.spots(text), [], "nothing left after free()");
  } finally {
    await local.close();
  }
});

test("an answer nested too deeply to be checked for credentials is left out of the error, not passed on unchecked", async () => {
  const secret = "deep-secret-never-shown";
  const deep = (inner) => `${"[".repeat(20_000)}${inner}${"]".repeat(20_000)}`;
  const client = new LuxSciClient({
    baseUrl: "http://127.0.0.1:9",
    token: "token",
    secret,
    accountId: 7,
    maxRetries: 0,
    fetch: async (url) => {
      if (new URL(url).pathname.endsWith("/auth")) return Response.json({ success: 1, auth: "code-1" });
      const body = `{"success":0,"error_message":"refused","echo":${deep(JSON.stringify(secret))}}`;
      return new Response(body, { status: 400, headers: { "content-type": "application/json" } });
    },
  });
  const error = await client.getDomainsReport().catch((e) => e);
  assert.ok(error instanceof luxsci.LuxSciApiError, String(error));
  assert.equal(error.status, 400);
  assert.match(error.message, /refused/);
  assert.equal("body" in error, false, "the body that could not be checked is left out");
});
