// The luxsci-sandbox CLI: prints one JSON line of connection details, serves signed requests, stops on SIGTERM; bad flags exit 2.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { authenticate, clientFor, ok } from "./helpers.mjs";

const CLI = fileURLToPath(new URL("../../js/sandbox/cli.js", import.meta.url));

function firstLine(stream) {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    stream.on("end", () => reject(new Error(`no line printed (got ${JSON.stringify(text)})`)));
  });
}

test("prints {url, token, secret, accountId, username, password} and serves until SIGTERM", async () => {
  const child = spawn(process.execPath, [CLI, "--port", "0", "--account-id", "4242", "--username", "cli@example.test", "--faults"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const info = JSON.parse(await firstLine(child.stdout));
    assert.deepEqual(Object.keys(info), ["url", "token", "secret", "accountId", "username", "password"]);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.accountId, "4242");
    assert.equal(info.username, "cli@example.test");
    const { status, body } = await authenticate(info);
    assert.equal(status, 201);
    const client = clientFor(info, body.auth);
    ok(await client.call("GET", `${client.account}/domains`));
    assert.equal((await fetch(`${info.url}/__sandbox/auth-calls`).then((r) => r.json())).data, 1);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
});

test("unknown flags and non-numeric numbers exit with status 2 and usage", () => {
  for (const args of [["--nope"], ["--port", "abc"]]) {
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: luxsci-sandbox/);
  }
});
