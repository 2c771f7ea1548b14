// Cloudflare workerd: two workers bundled as wrangler does (export conditions workerd/worker/browser, the .wasm kept as a wasm module, never compiled at run time), one calling the sandbox, one running createRelay().
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { luxsci } from "../support/package.mjs";
import { sha256Hex } from "../support/signer.mjs";
import { API, bin, bundleWorker, consumerProject, freePorts, recordingProxy, start, startSandbox, until } from "./support.mjs";

const WORKERS = ["client-worker.js", "relay-worker.js"];
const APP_KEY = "app-key-for-the-relay";

let sandbox, upstream, project, workerd, clientUrl, relayUrl, bundleInputs;

function config(sandboxUrl, clientPort, relayPort) {
  const text = (name, value) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`;
  const bindings = [
    text("SANDBOX_URL", sandboxUrl),
    text("TOKEN", sandbox.token),
    text("SECRET", sandbox.secret),
    text("ACCOUNT_ID", sandbox.accountId),
    text("USERNAME", sandbox.username),
    text("APP_KEY", APP_KEY),
  ].join(", ");
  const worker = (file) => `(
    modules = [ (name = "worker.js", esModule = embed "dist/${file}"), (name = "luxsci_bg.wasm", wasm = embed "node_modules/luxsci/luxsci_bg.wasm") ],
    bindings = [ ${bindings} ],
    compatibilityDate = "2026-04-01",
  )`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "client", worker = ${worker("client-worker.js")}),
    (name = "relay", worker = ${worker("relay-worker.js")}),
    # workerd's default internet service refuses private and local addresses; the sandbox is on 127.0.0.1.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
    (name = "client", address = "127.0.0.1:${clientPort}", http = (), service = "client"),
    (name = "relay", address = "127.0.0.1:${relayPort}", http = (), service = "relay"),
  ],
);
`;
}

before(async () => {
  sandbox = await startSandbox();
  upstream = await recordingProxy(sandbox.url);
  project = await consumerProject(Object.fromEntries(WORKERS.map((file) => [file, readFileSync(new URL(`./workerd/${file}`, import.meta.url))])));
  bundleInputs = await Promise.all(WORKERS.map((file) => bundleWorker(project.dir, file)));
  const [clientPort, relayPort] = await freePorts(2);
  writeFileSync(join(project.dir, "config.capnp"), config(upstream.url, clientPort, relayPort));
  workerd = start(bin("workerd"), ["serve", "config.capnp", "--experimental"], { cwd: project.dir });
  clientUrl = `http://127.0.0.1:${clientPort}`;
  relayUrl = `http://127.0.0.1:${relayPort}`;
  const exited = workerd.exited.then(() => {
    throw new Error(`workerd exited: ${workerd.output()}`);
  });
  await Promise.race([exited, until(() => fetch(`${relayUrl}/`).then((r) => r.headers.get("luxsci-relay") === "relay"), `workerd (${workerd.output()})`)]);
});

after(async () => {
  await workerd?.stop();
  project?.remove();
  await Promise.all([upstream?.close(), sandbox?.close()]);
});

test("the worker bundles import luxsci through its workerd export, with no other runtime entry", () => {
  for (const inputs of bundleInputs) {
    assert.ok(inputs.includes("node_modules/luxsci/entry/workerd.js"), inputs.join(", "));
    assert.ok(!inputs.some((input) => /entry\/(browser|node)\.js|index\.node/.test(input)), inputs.join(", "));
  }
});

test("a worker calls the sandbox: a create, a multipart upload of a Blob, a listing, and a typed API error; the bundle kept sendEmailBatch", async () => {
  const response = await fetch(`${clientUrl}/`);
  const body = await response.text();
  assert.equal(response.status, 200, `${body}\n${workerd.output()}`);
  assert.deepEqual(JSON.parse(body), {
    domain: "worker.example",
    stored: { name: "from-worker.txt", hash: sha256Hex("uploaded from a worker") },
    domains: ["worker.example"],
    missing: { name: "LuxSciApiError", status: 404, isApiError: true, isLuxSciError: true },
    batch: { sendEmailBatch: "function", sent: 1 },
  });
});

test("a relay running in a worker serves a relay-mode client: JSON calls and a streamed upload, signed, without the caller's cookies", async () => {
  const client = new luxsci.LuxSciClient({
    baseUrl: relayUrl,
    relay: true,
    accountId: sandbox.accountId,
    username: sandbox.username,
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set("x-app-key", APP_KEY);
      request.headers.set("cookie", "app_session=caller");
      return fetch(request);
    },
  });
  const before = upstream.requests.length;
  await client.createDomain({ domain: "relayed-by-worker.example" });
  const content = new Uint8Array(3 * 1024 * 1024).fill(7);
  const stored = await client.uploadContentLibraryFile("big.bin", new Blob([content]));
  assert.equal(stored.size, content.length);
  assert.equal(stored.hash, sha256Hex(content));
  assert.ok((await client.getDomainsReport()).some((d) => d.domain === "relayed-by-worker.example"));
  const forwarded = upstream.requests.slice(before).filter((r) => r.url !== `${API}/auth`);
  assert.ok(forwarded.length >= 3);
  for (const request of forwarded) assert.match(request.headers.cookie, /^signature=[^;\s]+:[0-9a-f]{64}$/);
});

test("the worker relay refuses callers without the app key (401) and paths outside the table (403)", async () => {
  const before = upstream.requests.length;
  const relayMode = { "luxsci-relay": "1" }; // what a relay-mode client sends
  const anonymous = await fetch(`${relayUrl}${API}/account/${sandbox.accountId}/domains`, { headers: relayMode });
  assert.equal(anonymous.status, 401);
  const offTable = await fetch(`${relayUrl}${API}/account/${sandbox.accountId}/secrets`, { headers: { ...relayMode, "x-app-key": APP_KEY } });
  assert.equal(offTable.status, 403);
  assert.equal(upstream.requests.length, before);
});
