// Node 20: the package imported by name (ESM import, CJS require, luxsci/sandbox both ways) calling the sandbox, one error class set across both, and createRelay() served through toNodeHandler().
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { luxsci, luxsciCjs } from "../support/package.mjs";
import { buildMultipart } from "../support/multipart.mjs";
import { sha256Hex } from "../support/signer.mjs";
import { API, consumerProject, decoy, recordingProxy, run, serve, startSandbox } from "./support.mjs";

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const credentials = () => ({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username });

// Both programs resolve "luxsci" through the package's exports map, exactly as an installed dependency.
const ESM_APP = `
import { LuxSciClient, LuxSciError, LuxSciApiError } from "luxsci";
import { createRequire } from "node:module";
import { startSandbox } from "luxsci/sandbox";
const require = createRequire(import.meta.url);
const cjs = require("luxsci");
const sandbox = await startSandbox();
const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId });
const created = await client.createDomain({ domain: "esm.example" });
const failure = await client.getDomainDetails("missing.example").catch((error) => error);
const cjsFailure = await new cjs.LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: "wrong", accountId: sandbox.accountId })
  .getDomainsReport().catch((error) => error);
await sandbox.close();
console.log(JSON.stringify({
  domain: created.domain,
  sameClass: cjs.LuxSciClient === LuxSciClient,
  failure: [failure.name, failure.status, failure instanceof cjs.LuxSciError, failure instanceof LuxSciApiError],
  cjsFailure: [cjsFailure.name, cjsFailure.status, cjsFailure instanceof LuxSciError],
  sandboxRequired: require("luxsci/sandbox").startSandbox.name,
}));
`;
const CJS_APP = `
const { LuxSciClient, LuxSciError } = require("luxsci");
const { startSandbox } = require("luxsci/sandbox");
(async () => {
  const sandbox = await startSandbox();
  const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, username: sandbox.username });
  await client.createCustomField({ name: "plan", type: "text" });
  const fields = await client.getCustomFields();
  const failure = await client.request("GET", "/user/" + encodeURIComponent(sandbox.username) + "/template/999").catch((error) => error);
  await sandbox.close();
  console.log(JSON.stringify({ fields: fields.map((f) => f.name), failure: [failure.name, failure.status, failure instanceof LuxSciError] }));
})();
`;

test("an ESM program imports luxsci and luxsci/sandbox by name, calls the sandbox, and shares error classes with require", async () => {
  const project = await consumerProject({ "app.mjs": ESM_APP });
  try {
    const { code, stdout, stderr } = await run(process.execPath, ["app.mjs"], { cwd: project.dir });
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), {
      domain: "esm.example",
      sameClass: true,
      failure: ["LuxSciApiError", 404, true, true],
      cjsFailure: ["LuxSciAuthError", 401, true],
      sandboxRequired: "startSandbox",
    });
  } finally {
    project.remove();
  }
});

test("a CommonJS program requires luxsci and luxsci/sandbox by name and calls the sandbox", async () => {
  const project = await consumerProject({ "app.cjs": CJS_APP });
  try {
    const { code, stdout, stderr } = await run(process.execPath, ["app.cjs"], { cwd: project.dir });
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { fields: ["plan"], failure: ["LuxSciApiError", 404, true] });
  } finally {
    project.remove();
  }
});

test("errors raised through the ESM entry are instances of the CommonJS entry's classes and the other way round", async () => {
  assert.equal(luxsci.LuxSciClient, luxsciCjs.LuxSciClient);
  const viaEsm = await new luxsci.LuxSciClient(credentials()).getAliasDetails("nobody@missing.example").catch((error) => error);
  const viaCjs = await new luxsciCjs.LuxSciClient({ ...credentials(), baseUrl: "http://127.0.0.1:1" }).getDomainsReport().catch((error) => error);
  assert.ok(viaEsm instanceof luxsciCjs.LuxSciApiError && viaEsm instanceof luxsciCjs.LuxSciError);
  assert.ok(viaCjs instanceof luxsci.LuxSciConnectionError && viaCjs instanceof luxsci.LuxSciError);
  assert.ok(viaEsm instanceof Error && viaCjs instanceof Error);
});

/** A relay behind toNodeHandler(), forwarding to a recording proxy in front of the sandbox. */
async function nodeRelay(options = {}) {
  const upstream = await recordingProxy(sandbox.url);
  const relay = luxsci.createRelay({
    baseUrl: upstream.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    authorize: (request) => request.headers.get("x-app-session") === "let-me-in",
    ...options,
  });
  const server = await serve(luxsci.toNodeHandler(relay));
  const browserFetch = (input, init) => {
    const request = new Request(input, init);
    // What a browser adds on its own: the page's cookies and an Authorization it may hold for the app.
    request.headers.set("x-app-session", "let-me-in");
    request.headers.set("cookie", "app_session=browser-cookie");
    request.headers.set("authorization", "Bearer app-token");
    return fetch(request);
  };
  const client = new luxsci.LuxSciClient({ baseUrl: server.url, relay: true, accountId: sandbox.accountId, username: sandbox.username, fetch: browserFetch });
  return { upstream, server, client, close: () => Promise.all([server.close(), upstream.close()]) };
}

test("a relay-mode client works through a Node relay, which signs every request and forwards no browser Cookie or Authorization", async () => {
  const relay = await nodeRelay();
  try {
    await relay.client.createDomain({ domain: "relayed.example" });
    const file = await relay.client.uploadContentLibraryFile("relayed.txt", new Blob(["through the relay"]));
    assert.equal(file.hash, sha256Hex("through the relay"));
    const templates = await relay.client.getEmailTemplateList({ limit: 5 });
    assert.ok(Array.isArray(templates));
    assert.deepEqual((await relay.client.getDomainDetails("relayed.example")).domain, "relayed.example");
    const forwarded = relay.upstream.requests.filter((r) => r.url !== `${API}/auth`);
    assert.equal(forwarded.length, 4);
    for (const request of forwarded) {
      assert.match(request.headers.cookie, /^signature=[^;\s]+:[0-9a-f]{64}$/);
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.headers["x-app-session"], undefined);
    }
  } finally {
    await relay.close();
  }
});

test("the relay answers 401 when authorize() refuses, 403 for paths outside the table or the allow list, and forwards nothing", async () => {
  const relay = await nodeRelay({ allow: ["getDomainsReport", "GET /custom/{thing}"] });
  const refusing = await serve(luxsci.toNodeHandler(luxsci.createRelay({ baseUrl: relay.upstream.url, token: "t", secret: "s", accountId: sandbox.accountId, authorize: async () => false })));
  try {
    const unauthorized = await fetch(`${refusing.url}${API}/account/${sandbox.accountId}/domains`, { headers: { "luxsci-relay": "1" } });
    assert.equal(unauthorized.status, 401);
    assert.equal((await unauthorized.json()).success, 0);
    const offTable = await relay.client.request("GET", "/not/a/luxsci/path").catch((error) => error);
    assert.equal(offTable.status, 403);
    const notAllowed = await relay.client.getAliasesReport().catch((error) => error);
    assert.equal(notAllowed.status, 403);
    const auth = await relay.client.request("POST", "/auth", { body: { token: "x" } }).catch((error) => error);
    assert.equal(auth.status, 403);
    assert.ok(Array.isArray(await relay.client.getDomainsReport()));
    const custom = await relay.client.request("GET", "/custom/thing").catch((error) => error);
    assert.equal(custom.status, 404, "an allowed extra endpoint is forwarded (the sandbox does not know it)");
    assert.deepEqual(
      relay.upstream.requests.map((r) => `${r.method} ${r.url}`).filter((r) => !r.endsWith(`${API}/auth`)),
      [`GET ${API}/account/${sandbox.accountId}/domains`, `GET ${API}/custom/thing`],
    );
  } finally {
    await Promise.all([relay.close(), refusing.close()]);
  }
});

test("a request naming another host, by Host header, absolute-form target or a //host path, never reaches that host", async () => {
  const relay = await nodeRelay();
  const elsewhere = await decoy();
  const raw = (path, host) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        { host: "127.0.0.1", port: relay.server.port, path, headers: { host, "x-app-session": "let-me-in", "luxsci-relay": "1" } },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode));
        },
      );
      request.on("error", reject).end();
    });
  try {
    const decoyHost = `127.0.0.1:${elsewhere.port}`;
    assert.equal(await raw(`${API}/account/${sandbox.accountId}/domains`, decoyHost), 200);
    assert.equal(await raw(`http://${decoyHost}${API}/account/${sandbox.accountId}/domains`, decoyHost), 200);
    // Node parses a "//host/..." target as protocol-relative: its path is still forwarded to the relay's own host.
    assert.equal(await raw(`//${decoyHost}${API}/account/${sandbox.accountId}/domains`, decoyHost), 200);
    // Encoded traversal is refused by the relay (400), never forwarded.
    assert.equal(await raw(`${API}/account/${sandbox.accountId}/domains/..%2f..%2f..%2f@${decoyHost}`, decoyHost), 400);
    assert.deepEqual(elsewhere.hits, []);
    assert.equal(relay.upstream.requests.filter((r) => r.url !== `${API}/auth`).length, 3);
  } finally {
    await Promise.all([relay.close(), elsewhere.close()]);
  }
});

test("a multipart upload streams through the relay: LuxSci receives file bytes before the browser has sent them all", { timeout: 60_000 }, async () => {
  const relay = await nodeRelay();
  const content = Buffer.alloc(8 * 1024 * 1024, "luxsci ");
  const json = JSON.stringify({ attachments: [{ name: "big.bin", hash: sha256Hex(content) }] });
  const { body, contentType } = buildMultipart(json, [{ name: "big.bin", content }]);
  const held = 1024 * 1024;
  // The last MiB is released only once the far side has received 4 MiB: a relay that buffered whole bodies would never get there.
  const farSideStarted = relay.upstream.whenBytes(4 * 1024 * 1024);
  const stream = new ReadableStream({
    async start(controller) {
      for (let offset = 0; offset < body.length - held; offset += 256 * 1024) {
        controller.enqueue(body.subarray(offset, Math.min(offset + 256 * 1024, body.length - held)));
      }
      await farSideStarted;
      controller.enqueue(body.subarray(body.length - held));
      controller.close();
    },
  });
  try {
    const response = await fetch(`${relay.server.url}${API}/user/${encodeURIComponent(sandbox.username)}/content_library/big.bin`, {
      method: "POST",
      headers: { "content-type": contentType, "x-app-session": "let-me-in", "luxsci-relay": "1" },
      body: stream,
      duplex: "half",
    });
    const answer = await response.json();
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.equal(answer.data.size, content.length);
    assert.equal(answer.data.hash, sha256Hex(content));
  } finally {
    await relay.close();
  }
});
