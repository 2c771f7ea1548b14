// The fleet on a real redis-server: the journal's and limiter's rules through both clients (ioredis, node-redis), and 8
// worker processes, killed and restarted, sending 20,000 keyed messages through one sandbox under one limit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import Redis from "ioredis";
import { createClient } from "redis";
import { pkgDir } from "../support/package.mjs";
import { startSandbox } from "../../js/sandbox/index.js";
import { startRedis } from "./helpers.mjs";
import { RULES_SEEN, rulesScenario } from "./rules.mjs";

const { redisJournal, redisLimiter } = await import(join(pkgDir, "fleet", "index.js"));
const { LuxSciClient, LuxSciValidationError } = await import(join(pkgDir, "index.node.mjs"));
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
let redis;

before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

for (const [name, connect] of [
  ["node-redis", async () => {
    const client = createClient({ socket: { path: redis.socket } });
    await client.connect();
    return { client, close: () => client.quit() };
  }],
  ["ioredis", async () => {
    const client = new Redis({ path: redis.socket });
    return { client, close: () => client.disconnect() };
  }],
]) {
  test(`${name}: the journal's and the limiter's rules (claims, leases, begin, release, sent is final, lapsed sending, expiry; in-flight slots, finish, refund, pause)`, async () => {
    const { client, close } = await connect();
    try {
      const seen = await rulesScenario({
        journal: (owner, options) => redisJournal(client, { owner, prefix: `${name}:rules`, ...options }),
        limiter: (place, windows) => redisLimiter(client, { windows, prefix: `${name}:${place}` }),
        sleep,
      });
      assert.deepEqual(seen, RULES_SEEN);
    } finally {
      await close();
    }
  });
}

test("with a journal: resumeFrom is refused (the journal is the resume), and a message without a key is unsent, never sent", async () => {
  const sandbox = await startSandbox();
  const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username });
  const redisClient = new Redis({ path: redis.socket });
  try {
    const journal = redisJournal(redisClient, { owner: "checks", prefix: "checks" });
    const message = (key) => ({ key, to: ["a@example.test"], subject: String(key), body: "hi" });
    await assert.rejects(client.sendEmailBatch([message("k")], { journal, resumeFrom: [] }), (error) => error instanceof LuxSciValidationError && /journal or resumeFrom/.test(error.message));
    const results = await client.sendEmailBatch([message("k"), message(""), message(undefined)], { journal });
    assert.deepEqual(results.map((r) => [r.status, r.error?.name]), [["sent", undefined], ["unsent", "LuxSciValidationError"], ["unsent", "LuxSciValidationError"]]);
    assert.deepEqual(sandbox.sends().flatMap((s) => s.messages.map((m) => m.subject)), ["k"]);
    assert.equal("key" in sandbox.sends()[0].messages[0], false, "the key is not sent to LuxSci");
  } finally {
    redisClient.disconnect();
    await sandbox.close();
  }
});

test("resuming after a crash, in a fresh process, from the journal alone: what the dead worker sent or may have sent is skipped with its record, the rest is sent once", { timeout: 60_000 }, async () => {
  const COUNT = 400;
  const sandbox = await startSandbox({ faults: true });
  const env = { ...process.env, COUNT: String(COUNT), REDIS_SOCKET: redis.socket, PREFIX: "resume", LIMIT: "20", LEASE_MS: "1000", SANDBOX: JSON.stringify({ url: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username }) };
  const worker = (owner) => {
    const child = spawn(process.execPath, [new URL("./worker.mjs", import.meta.url).pathname], { env: { ...env, OWNER: owner, RESULTS: "1" }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    return { child, done: new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout }))) };
  };
  try {
    // Worker a sends until 5 calls are through; its next two calls (both its slots) hang in the sandbox while it is killed.
    const a = worker("a");
    for (let i = 0; i < 400 && sandbox.sends().length < 5; i++) await sleep(25);
    sandbox.faults.delayNext("sendEmail", { ms: 1500, times: 2 });
    for (let last = -1, i = 0; i < 100 && last !== sandbox.sends().length; i++) {
      last = sandbox.sends().length;
      await sleep(300);
    }
    a.child.kill("SIGKILL");
    assert.equal((await a.done).signal, "SIGKILL", "worker a was killed before it finished");
    await sleep(1600); // the hung calls complete at the sandbox; a's leases lapse

    // Worker b: another process, nothing from a but the journal, the same messages, no resumeFrom.
    const b = await worker("b").done;
    assert.equal(b.code, 0);
    const results = JSON.parse(b.stdout);
    const sent = new Map();
    for (const { messages, sendmailIds } of sandbox.sends()) messages.forEach((m, k) => sent.set(m.subject, [...(sent.get(m.subject) ?? []), sendmailIds[k]]));
    const byStatus = { sentByA: 0, maybe: 0, sentByB: 0 };
    for (const r of results) {
      const ids = sent.get(r.key) ?? [];
      if (r.status === "sent") {
        byStatus.sentByB++;
        assert.deepEqual([r.by, ids], ["b", [r.sendmailId]], `${r.key}: sent by b, once`);
      } else if (r.status === "skipped" && r.record.state === "sent") {
        byStatus.sentByA++;
        assert.deepEqual([r.record.by, ids], ["a", [r.record.sendmailId]], `${r.key}: sent by a, once, with the id the journal recorded`);
      } else {
        byStatus.maybe++;
        assert.deepEqual([r.status, r.record?.state, r.record?.by], ["skipped", "mayHaveBeenSent", "a"], `${r.key}: ${JSON.stringify(r)}`);
        assert.ok(ids.length <= 1, `${r.key}: sent ${ids.length} times`);
      }
    }
    assert.equal(results.length, COUNT);
    assert.ok(byStatus.sentByA >= 50 && byStatus.sentByB > 0 && byStatus.maybe === 20, JSON.stringify(byStatus));
  } finally {
    await sandbox.close();
  }
});

test("8 workers, SIGKILLed and restarted every 2 s, with dropped connections: every key sent once (or marked mayHaveBeenSent), the limit held in every 1 s window", { timeout: 600_000 }, async () => {
  const COUNT = 20_000;
  const sandbox = await startSandbox({ faults: true });
  const env = { ...process.env, COUNT: String(COUNT), REDIS_SOCKET: redis.socket, SANDBOX: JSON.stringify({ url: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username }) };
  const workers = new Map();
  let started = 0;
  let finished = 0;
  let kills = 0;
  const launch = () => {
    const owner = `w${started++}`;
    const child = spawn(process.execPath, [new URL("./worker.mjs", import.meta.url).pathname], { env: { ...env, OWNER: owner }, stdio: ["ignore", "pipe", "inherit"] });
    const done = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
    workers.set(owner, { child, done });
    done.then(({ code, signal }) => {
      workers.delete(owner);
      if (signal === "SIGKILL") return launch();
      assert.equal(code, 0, `worker ${owner} failed`);
      finished++;
    });
  };
  try {
    for (let i = 0; i < 8; i++) launch();
    // Until the first worker is through, one worker is killed every 2 s, and a call dropped every 0.5 s.
    for (let tick = 0; finished === 0; tick++) {
      await sleep(500);
      sandbox.faults.dropNext("sendEmail");
      if (tick % 4 === 3 && finished === 0) {
        const live = [...workers.values()];
        live[kills++ % live.length].child.kill("SIGKILL");
      }
    }
    while (workers.size) await Promise.all([...workers.values()].map((w) => w.done));
    sandbox.faults.reset();
    // Claims left by killed workers lapse; one last worker sends what they held.
    await sleep(3_100);
    launch();
    while (workers.size) await Promise.all([...workers.values()].map((w) => w.done));

    const sent = new Map();
    for (const { messages, sendmailIds } of sandbox.sends()) messages.forEach((m, k) => sent.set(m.subject, [...(sent.get(m.subject) ?? []), sendmailIds[k]]));
    const keys = Array.from({ length: COUNT }, (_, i) => `k${i}`);
    const client = new Redis({ path: redis.socket });
    const records = await redisJournal(client).get(keys);
    client.disconnect();
    let maybe = 0;
    keys.forEach((key, i) => {
      const ids = sent.get(key) ?? [];
      const record = records[i];
      if (record?.state === "mayHaveBeenSent") {
        maybe++;
        assert.ok(ids.length <= 1, `${key}: marked mayHaveBeenSent, sent ${ids.length} times`);
      } else {
        assert.equal(record?.state, "sent", `${key}: the journal says ${JSON.stringify(record)}`);
        assert.deepEqual(ids, [record.sendmailId], `${key}: sent once, with the id the journal recorded`);
      }
    });
    const stamps = sandbox.log.filter((e) => e.operationId === "sendEmail").map((e) => e.at).sort((x, y) => x - y);
    let busiest = 0;
    for (let i = 0, j = 0; i < stamps.length; i++) {
      while (stamps[i] - stamps[j] >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    assert.ok(busiest <= 100, `${busiest} calls reached the sandbox within one second`);
    assert.ok(kills >= 5, `only ${kills} workers were killed`);
    console.log(`fleet: ${stamps.length} calls, ${kills} workers killed, ${maybe} keys mayHaveBeenSent, busiest second ${busiest} calls`);
  } finally {
    for (const { child } of workers.values()) child.kill("SIGKILL");
    await sandbox.close();
  }
});
