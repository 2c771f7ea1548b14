// The fleet benchmark behind `scripts/bench-fleet.sh` (the package in LUXSCI_PKG, default pkg/): what the Redis
// journal and limiter cost per call (a redis-server of its own on a unix socket, the in-process stub fetch), what
// the Durable Object journal costs in workerd, and how closely the limiter holds its limit across processes
// (senders against the sandbox, arrivals read from its log), next to sendEmailBatch's single-process pacing.
// Prints one table and writes bench/FLEET.md.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Redis from "ioredis";
import { startRedis } from "../tests/fleet/helpers.mjs";
import { bin, bundleWorker, consumerProject, freePorts, pkgDir, start, until } from "../tests/runtimes/support.mjs";
import { median } from "./stats.mjs";
import { CREDENTIALS, stubFetch } from "./stub.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { LuxSciClient } = await import(`${pkgDir}/index.node.mjs`);
const { redisJournal, redisLimiter } = await import(`${pkgDir}/fleet/index.js`);
const { startSandbox } = await import(`${pkgDir}/sandbox/index.js`);
const fmt = (n, digits = 1) => n.toFixed(digits);
const rows = [];

const server = await startRedis();
const redis = new Redis({ path: server.socket });
try {
  await journalCost();
  await durableJournalCost();
  await limiterCost();
  await limiterAccuracy();
} finally {
  redis.disconnect();
  await server.stop();
}

const table = ["| figure | value | single process (no fleet) |", "|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const machine = `${cpus()[0].model}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 16)}Z`;
console.log(`${table}\n\n${machine}`);
writeFileSync(join(here, "FLEET.md"), `# Fleet benchmark results (\`scripts/bench-fleet.sh\`)\n\nWritten by bench/fleet.mjs, which says how each figure is taken.\n\n${table}\n\nMachine: ${machine}.\n`);

/** One 1000-message call through sendEmailBatch on the stub fetch, with and without a Redis journal; medians of interleaved rounds. */
async function journalCost(rounds = 31) {
  const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
  const client = new LuxSciClient({ baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch: stubFetch(ids) });
  const messages = ids.map((id, i) => ({ to: [`user${i}@example.com`], subject: `Statement ${i}`, body: "Your statement is ready." }));
  const keyed = messages.map((m, i) => ({ key: `statement-${i}`, ...m }));
  const times = { plain: [], journal: [], claim: [], begin: [], settle: [] };
  for (let r = -3; r < rounds; r++) {
    let t = performance.now();
    await client.sendEmailBatch(messages);
    const plain = performance.now() - t;
    const journal = redisJournal(redis, { prefix: `bench-journal-${r}` });
    t = performance.now();
    const results = await client.sendEmailBatch(keyed, { journal });
    const withJournal = performance.now() - t;
    if (results.some((x) => x.status !== "sent")) throw new Error("the journal run did not send every message");
    // The three steps alone, over fresh keys.
    const steps = redisJournal(redis, { prefix: `bench-steps-${r}` });
    const keys = keyed.map((m) => m.key);
    t = performance.now();
    const { token } = await steps.claim(keys);
    const claim = performance.now() - t;
    t = performance.now();
    await steps.begin(token, keys);
    const begin = performance.now() - t;
    t = performance.now();
    await steps.settle(token, keys.map((key, i) => ({ key, state: "sent", sendmailId: ids[i] })));
    const settle = performance.now() - t;
    if (r >= 0) Object.entries({ plain, journal: withJournal, claim, begin, settle }).forEach(([k, v]) => times[k].push(v));
  }
  const [plain, journal] = [median(times.plain), median(times.journal)];
  rows.push([`1000-message call with a Redis journal (claim ${fmt(median(times.claim))} + begin ${fmt(median(times.begin))} + settle ${fmt(median(times.settle))} ms)`, `+${fmt(journal - plain)} ms (${fmt(journal)} ms per call)`, `${fmt(plain)} ms per call`]);
}

/**
 * The same 1000-message call inside workerd (a Worker bundled from the packed package, the LuxSciFleet object on
 * local disk): a request's time as Node sees it, with a durableJournal and without; medians of interleaved rounds.
 */
async function durableJournalCost(rounds = 21) {
  const project = await consumerProject({ "worker.js": readFileSync(join(here, "durable-worker.js")), "stub.mjs": readFileSync(join(here, "stub.mjs")) });
  mkdirSync(join(project.dir, "objects"));
  await bundleWorker(project.dir, "worker.js");
  const [port] = await freePorts(1);
  writeFileSync(join(project.dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "bench", worker = (compatibilityDate = "2026-04-01",
      modules = [ (name = "worker.js", esModule = embed "dist/worker.js"), (name = "luxsci_bg.wasm", wasm = embed "node_modules/luxsci/luxsci_bg.wasm") ],
      bindings = [ (name = "FLEET", durableObjectNamespace = "LuxSciFleet") ],
      durableObjectNamespaces = [ (className = "LuxSciFleet", uniqueKey = "luxsci-fleet-bench", enableSql = true) ],
      durableObjectStorage = (localDisk = "objects"))),
    (name = "objects", disk = (path = ${JSON.stringify(join(project.dir, "objects"))}, writable = true)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "bench") ],
);
`);
  const workerd = start(bin("workerd"), ["serve", "config.capnp", "--experimental"], { cwd: project.dir });
  try {
    const send = async (round, journal) => {
      const t = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: JSON.stringify({ round, journal }) });
      if ((await response.json()) !== 1000) throw new Error(`the Worker did not send every message: ${workerd.output()}`);
      return performance.now() - t;
    };
    await until(() => send(-1, false), `workerd (${workerd.output()})`);
    const times = { plain: [], journal: [] };
    for (let r = -3; r < rounds; r++) {
      const [plain, journal] = [await send(r, false), await send(r, true)];
      if (r >= 0) times.plain.push(plain), times.journal.push(journal);
    }
    const [plain, journal] = [median(times.plain), median(times.journal)];
    rows.push(["1000-message call in workerd with a durableJournal (one request to the Worker)", `+${fmt(journal - plain)} ms (${fmt(journal)} ms per request)`, `${fmt(plain)} ms per request`]);
  } finally {
    await workerd.stop();
    project.remove();
  }
}

/** A limiter round trip per call: acquire + finish on redisLimiter, median µs over rounds of 200. */
async function limiterCost(rounds = 21, n = 200) {
  const limiter = redisLimiter(redis, { windows: { limit: 1e9, windowMs: 1000 }, prefix: "bench-cost" });
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  const times = [];
  for (let r = -2; r < rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) await (await limiter.acquire(undefined, sleep)).finish();
    if (r >= 0) times.push(((performance.now() - t) * 1000) / n);
  }
  rows.push(["redisLimiter per call (acquire + finish, 2 round trips)", `${fmt(median(times), 0)} µs`, "in memory (no round trip)"]);
}

/**
 * Senders as separate processes against one sandbox for `durationMs`, one message per call: the most calls
 * that arrived within any 1 s, and the mean per second, for the local limiter (1 and 4 processes) and the
 * shared one (1 and 4 processes).
 */
async function limiterAccuracy(limit = 50, durationMs = 6000) {
  const figures = {};
  for (const [mode, processes] of [["local", 1], ["local", 4], ["redis", 1], ["redis", 4]]) {
    await redis.del("bench-limiter:rate:1000", "bench-limiter:pause");
    const sandbox = await startSandbox();
    try {
      const creds = JSON.stringify({ url: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username });
      await Promise.all(Array.from({ length: processes }, () => child([join(here, "fleet-worker.mjs"), pkgDir, mode, String(limit), String(durationMs), creds, server.socket])));
      const stamps = sandbox.log.filter((e) => e.operationId === "sendEmail").map((e) => e.at).sort((a, b) => a - b);
      let busiest = 0;
      for (let i = 0, j = 0; i < stamps.length; i++) {
        while (stamps[i] - stamps[j] >= 1000) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
      // The mean over whole seconds from the first arrival (the last, partial second left out).
      const seconds = Math.floor((stamps.at(-1) - stamps[0]) / 1000);
      const mean = stamps.filter((at) => at < stamps[0] + seconds * 1000).length / seconds;
      figures[`${mode}${processes}`] = `max ${busiest} in any 1 s, mean ${fmt(mean, 0)} per second`;
    } finally {
      await sandbox.close();
    }
  }
  rows.push([`limit ${limit} calls/s, 1 process, ${durationMs / 1000} s`, `redisLimiter: ${figures.redis1}`, `rate: ${figures.local1}`]);
  rows.push([`limit ${limit} calls/s, 4 processes, ${durationMs / 1000} s`, `redisLimiter (shared): ${figures.redis4}`, `rate (each its own): ${figures.local4}`]);
}

function child(args) {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    proc.on("close", (code) => (code === 0 ? done() : fail(new Error(`${args[0]} exited with ${code}`))));
  });
}
