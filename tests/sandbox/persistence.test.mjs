// The data file: state and credentials survive a restart; every change is written atomically (temp file + rename); bad files are refused.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
