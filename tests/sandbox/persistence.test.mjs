// The data file: state and credentials survive a restart; every change is written atomically (temp file + rename), so that
// kill -9 never corrupts it, and a start removes the temp files of dead writers; bad files are refused.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { after, test } from "node:test";
import { startSandbox } from "../../js/sandbox/index.js";
import { authenticate, clientFor, ok, rejected } from "./helpers.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "luxsci-sandbox-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function connect(options) {
  const sandbox = await startSandbox(options);
  const { body } = await authenticate(sandbox);
  return { sandbox, ...clientFor(sandbox, body.auth) };
}

test("state and generated credentials survive a restart", async () => {
  const dataFile = path.join(dir, "state.json");
  const first = await connect({ dataFile });
  ok(await first.call("POST", `${first.account}/domains`, { json: { domain: "keep.example.test" } }));
  const tag = ok(await first.call("POST", `${first.user}/content_tags`, { json: { code_word: "kept" } }));
  ok(await first.call("POST", `${first.user}/content_library/docs/`));
  const { token, secret, accountId, username, password } = first.sandbox;
  await first.sandbox.close();

  const second = await connect({ dataFile });
  assert.deepEqual(
    { token: second.sandbox.token, secret: second.sandbox.secret, accountId: second.sandbox.accountId, username: second.sandbox.username, password: second.sandbox.password },
    { token, secret, accountId, username, password },
  );
  assert.deepEqual(ok(await second.call("GET", `${second.account}/domains`)).map((d) => d.domain), ["keep.example.test"]);
  assert.deepEqual(ok(await second.call("GET", `${second.user}/content_tags/kept`)), tag);
  assert.equal(ok(await second.call("GET", `${second.user}/content_library/docs/`)).meta.path, "/docs/");
  const newer = ok(await second.call("POST", `${second.user}/content_tags`, { json: { code_word: "newer" } }));
  assert.ok(newer.tag_id > tag.tag_id, "ids keep increasing across restarts");
  await second.sandbox.close();
});

test("explicit credentials win over saved ones; auth codes do not survive a restart", async () => {
  const dataFile = path.join(dir, "creds.json");
  const first = await connect({ dataFile, secret: "first-secret" });
  await first.sandbox.close();
  const second = await startSandbox({ dataFile, secret: "second-secret" });
  try {
    assert.equal(second.secret, "second-secret");
    assert.equal(second.token, first.sandbox.token);
    rejected(await clientFor(second, first.auth).call("GET", `/account/${second.accountId}/domains`), 401, /unknown or revoked/);
  } finally {
    await second.close();
  }
});

test("each change replaces the file by rename (new inode, no temp files left, always valid JSON); rejections write nothing", async () => {
  const dataFile = path.join(dir, "atomic.json");
  const { sandbox, call, account } = await connect({ dataFile });
  try {
    for (let i = 0; i < 5; i += 1) {
      const before = statSync(dataFile);
      ok(await call("POST", `${account}/domains`, { json: { domain: `d${i}.example.test` } }));
      const afterWrite = statSync(dataFile);
      assert.notEqual(afterWrite.ino, before.ino, "the file was replaced, not rewritten in place");
      const saved = JSON.parse(readFileSync(dataFile, "utf8"));
      assert.equal(saved.state.domains.length, i + 1);
    }
    const before = statSync(dataFile);
    rejected(await call("POST", `${account}/domains`, { json: { domain: "d0.example.test" } }), 409, /already exists/);
    ok(await call("GET", `${account}/domains`));
    assert.equal(statSync(dataFile).ino, before.ino);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith(".tmp")), []);
  } finally {
    await sandbox.close();
  }
});

test("a corrupt or foreign data file is refused with a clear error", async () => {
  const corrupt = path.join(dir, "corrupt.json");
  writeFileSync(corrupt, '{"format":"luxsci-sandbox/1","state":{');
  await assert.rejects(startSandbox({ dataFile: corrupt }), /not valid JSON/);
  const foreign = path.join(dir, "foreign.json");
  writeFileSync(foreign, '{"hello":"world"}');
  await assert.rejects(startSandbox({ dataFile: foreign }), /not a luxsci-sandbox\/1 file/);
});

test("a start removes the temp files of writers that died mid-write, and keeps a live writer's and other files'", async () => {
  const sub = mkdtempSync(path.join(dir, "stale-"));
  const dataFile = path.join(sub, "state.json");
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  const names = {
    dead: `state.json.${dead}.0123456789ab.tmp`,
    live: `state.json.${process.ppid}.0123456789ab.tmp`,
    other: `other.json.${dead}.0123456789ab.tmp`,
    unlike: "state.json.backup",
  };
  for (const name of Object.values(names)) writeFileSync(path.join(sub, name), '{"half": ');
  const sandbox = await startSandbox({ dataFile });
  await sandbox.close();
  assert.deepEqual(readdirSync(sub).sort(), [names.live, names.other, "state.json", names.unlike].sort());
});

test("kill -9 while the sandbox persists never corrupts the data file: every answered change is in it", async (t) => {
  const sub = mkdtempSync(path.join(dir, "kill-"));
  const dataFile = path.join(sub, "state.json");
  // A few MB of state (written directly: through the API each seed would be a full write), so that each write takes a
  // while and the kill is likely to land inside one.
  await (await startSandbox({ dataFile })).close();
  const seed = JSON.parse(readFileSync(dataFile, "utf8"));
  seed.state.accountSuppressions = Array.from({ length: 40_000 }, (_, i) => ({ email: `seed-${i}@example.test`, expires: 0, notes: "", created: "2026-01-01 00:00:00" }));
  writeFileSync(dataFile, JSON.stringify(seed));
  const cli = new URL("../../js/sandbox/cli.js", import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, "--data", dataFile], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => child.kill("SIGKILL"));
  const [line] = await once(createInterface({ input: child.stdout }), "line");
  const running = JSON.parse(line);
  const { body } = await authenticate(running);
  const { call, account } = clientFor(running, body.auth);
  const answered = [];
  const writes = (async () => {
    for (let i = 0; i < 400; i += 1) {
      const email = `kill-${i}@example.test`;
      const response = await call("POST", `${account}/suppression/`, { json: { email } }).catch(() => null);
      if (response === null) return;
      ok(response);
      answered.push(email);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
  child.kill("SIGKILL");
  await Promise.all([writes, once(child, "exit")]);
  const temps = readdirSync(sub).filter((name) => name.endsWith(".tmp"));
  t.diagnostic(`${answered.length} changes answered before kill -9; temp files left: ${temps.length}`);
  const saved = JSON.parse(readFileSync(dataFile, "utf8"));
  const kept = new Set(saved.state.accountSuppressions.map((record) => record.email));
  assert.equal(kept.size, 40_000 + answered.length + (kept.has(`kill-${answered.length}@example.test`) ? 1 : 0));
  for (const email of answered) assert.ok(kept.has(email), `${email} was answered, so it was saved`);
  const restarted = await startSandbox({ dataFile });
  await restarted.close();
  assert.deepEqual(readdirSync(sub).filter((name) => name.endsWith(".tmp")), []);
});
