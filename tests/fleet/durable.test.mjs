// The fleet on Cloudflare Durable Objects, in workerd: a Worker bundled from the packed package with the
// LuxSciFleet class bound (SQLite storage in a temporary folder) runs the rules scenario, then 4 concurrent requests send
// overlapping keyed messages through one sandbox under one limit, and a fifth resumes from the journal alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, bundleWorker, consumerProject, freePorts, start, startSandbox, until } from "../runtimes/support.mjs";
import { RULES_SEEN } from "./rules.mjs";

const WINDOW = { limit: 8, windowMs: 1000 };
const REQUESTS = 4;
let sandbox, project, workerd, url, bundleInputs;

function config(port) {
  const text = (name, value) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`;
  const bindings = [
    text("SANDBOX_URL", sandbox.url),
    text("TOKEN", sandbox.token),
    text("SECRET", sandbox.secret),
    text("ACCOUNT_ID", sandbox.accountId),
    text("USERNAME", sandbox.username),
    text("WINDOWS", JSON.stringify([WINDOW, { limit: 10_000, windowMs: 86_400_000 }])),
    `(name = "FLEET", durableObjectNamespace = "LuxSciFleet")`,
    `(name = "KEY_VALUE_FLEET", durableObjectNamespace = "KeyValueFleet")`,
  ].join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "fleet", worker = (
      modules = [ (name = "worker.js", esModule = embed "dist/fleet-worker.js"), (name = "luxsci_bg.wasm", wasm = embed "node_modules/luxsci/luxsci_bg.wasm") ],
      bindings = [ ${bindings} ],
      durableObjectNamespaces = [
        (className = "LuxSciFleet", uniqueKey = "luxsci-fleet-test", enableSql = true),
        (className = "KeyValueFleet", uniqueKey = "luxsci-fleet-key-value-test"),
      ],
      # SQLite-backed objects need disk storage in workerd (its in-memory storage has no SQL API).
      durableObjectStorage = (localDisk = "objects"),
      compatibilityDate = "2026-04-01",
    )),
    (name = "objects", disk = (path = ${JSON.stringify(join(project.dir, "objects"))}, writable = true)),
    # workerd's default internet service refuses private and local addresses; the sandbox is on 127.0.0.1.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "fleet") ],
);
`;
}

const post = async (path, body) => {
  const response = await fetch(`${url}${path}`, { method: "POST", body: JSON.stringify(body) });
  const text = await response.text();
  assert.equal(response.status, 200, `${path}: ${text}\n${workerd.output()}`);
  return JSON.parse(text);
};

before(async () => {
  sandbox = await startSandbox({ faults: true });
  const here = (file) => readFileSync(new URL(file, import.meta.url));
  project = await consumerProject({ "fleet-worker.js": here("./workerd/fleet-worker.js"), "rules.mjs": here("./rules.mjs") });
  bundleInputs = await bundleWorker(project.dir, "fleet-worker.js");
  const [port] = await freePorts(1);
  mkdirSync(join(project.dir, "objects"));
  writeFileSync(join(project.dir, "config.capnp"), config(port));
  workerd = start(bin("workerd"), ["serve", "config.capnp", "--experimental"], { cwd: project.dir });
  url = `http://127.0.0.1:${port}`;
  const exited = workerd.exited.then(() => {
    throw new Error(`workerd exited: ${workerd.output()}`);
  });
  await Promise.race([exited, until(() => fetch(`${url}/`, { method: "POST", body: "{}" }).then((r) => r.status === 404), `workerd (${workerd.output()})`)]);
});

after(async () => {
  await workerd?.stop();
  project?.remove();
  await sandbox?.close();
});

test("luxsci/fleet resolves through its workerd export with nothing Node-only in the bundle", () => {
  assert.ok(bundleInputs.includes("node_modules/luxsci/fleet/index.js"), bundleInputs.join(", "));
  assert.ok(bundleInputs.includes("node_modules/luxsci/entry/workerd.js"), bundleInputs.join(", "));
  assert.ok(!bundleInputs.some((input) => /fleet\.cjs|entry\/(browser|node)\.js|index\.node|^node:/.test(input)), bundleInputs.join(", "));
});

test("the Durable Object keeps the same journal and limiter rules as Redis", async () => {
  assert.deepEqual(await post("/rules", {}), JSON.parse(JSON.stringify(RULES_SEEN)));
});

test("bound without SQL storage, the object refuses with the runtime's error naming new_sqlite_classes; nothing is sent", async () => {
  const results = await post("/send", { owner: "misconfigured", keyValue: true, keys: ["kv1", "kv2"] });
  assert.deepEqual(results.map((r) => r.status), ["unsent", "unsent"]);
  assert.match(results[0].error, /^LuxSciError: the journal failed: .*new_sqlite_classes/);
  assert.equal(sandbox.sends().length, 0);
});

test("4 concurrent requests over overlapping keys: no key sent twice, the limit held, the journal matches the sandbox; a fifth run resumes from the journal alone", { timeout: 60_000 }, async () => {
  // Request i sends k(10i) … k(10i + 39), odd ones in reverse: 70 keys, each wanted by up to 4 requests.
  const wanted = Array.from({ length: REQUESTS }, (_, i) => {
    const keys = Array.from({ length: 40 }, (_, k) => `k${10 * i + k}`);
    return i % 2 ? keys.reverse() : keys;
  });
  const all = [...new Set(wanted.flat())];
  const dropper = setTimeout(() => sandbox.faults.dropNext("sendEmail"), 1500);
  const runs = await Promise.all(wanted.map((keys, i) => post("/send", { owner: `r${i}`, keys })));
  clearTimeout(dropper);

  const sent = new Map();
  for (const { messages, sendmailIds } of sandbox.sends()) messages.forEach((m, k) => sent.set(m.subject, [...(sent.get(m.subject) ?? []), sendmailIds[k]]));
  const journal = await post("/records", { keys: all });
  const records = new Map(all.map((key, i) => [key, journal[i]]));
  const outcomes = new Map(all.map((key) => [key, []]));
  runs.forEach((results, i) => results.forEach((r) => r.status !== "skipped" && outcomes.get(r.key).push({ ...r, owner: `r${i}` })));
  let maybe = 0;
  for (const key of all) {
    const ids = sent.get(key) ?? [];
    const record = records.get(key);
    const [outcome, ...more] = outcomes.get(key);
    assert.equal(more.length, 0, `${key}: handled by ${outcomes.get(key).length} requests`);
    if (record?.state === "mayHaveBeenSent") {
      maybe++;
      assert.ok(ids.length <= 1, `${key}: marked mayHaveBeenSent, sent ${ids.length} times`);
      assert.equal(outcome.status, "mayHaveBeenSent");
    } else {
      assert.equal(record?.state, "sent", `${key}: the journal says ${JSON.stringify(record)}`);
      assert.deepEqual(ids, [record.sendmailId], `${key}: sent once, with the id the journal recorded`);
      assert.deepEqual([outcome.status, outcome.sendmailId, outcome.by], ["sent", record.sendmailId, outcome.owner]);
      assert.equal(record.by, outcome.owner);
    }
  }
  assert.ok(maybe > 0 && maybe <= 3, `the dropped call left ${maybe} keys mayHaveBeenSent`);
  assert.ok(runs.every((results) => results.some((r) => r.status === "skipped")), "every request met keys that another one held or sent");

  const stamps = sandbox.log.filter((e) => e.operationId === "sendEmail").map((e) => e.at).sort((x, y) => x - y);
  let busiest = 0;
  for (let i = 0, j = 0; i < stamps.length; i++) {
    while (stamps[i] - stamps[j] >= WINDOW.windowMs) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  assert.ok(busiest <= WINDOW.limit, `${busiest} calls reached the sandbox within one window`);
  console.log(`durable fleet: ${stamps.length} calls, ${maybe} keys mayHaveBeenSent, busiest window ${busiest} calls`);

  // Another worker, later, with nothing but the journal: every key is skipped with its record, nothing is sent.
  const calls = stamps.length;
  const resumed = await post("/send", { owner: "resumer", keys: all });
  assert.deepEqual(resumed.map((r) => [r.key, r.status, r.record]), all.map((key) => [key, "skipped", records.get(key)]));
  assert.equal(sandbox.log.filter((e) => e.operationId === "sendEmail").length, calls);
});
