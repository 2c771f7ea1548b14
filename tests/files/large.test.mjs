// A 64 MiB upload (in-memory bytes and a file-backed Blob, hashed in wasm or by node:crypto) grows wasm linear memory by less than 2 MiB; time and RSS are reported as diagnostics.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { pkgDir } from "../support/package.mjs";
import { sha256 } from "./helpers.mjs";

const MiB = 1024 * 1024;
// An instance of our own, so that its linear memory can be measured (the package's entry keeps its own private): the
// package's modules before bundling, which the build keeps in modules/.
const glue = await import(`${pkgDir}/modules/luxsci.js`);
const wasm = glue.initSync({ module: readFileSync(`${pkgDir}/luxsci_bg.wasm`) });
const { useNativeSha256 } = await import(`${pkgDir}/modules/drive.js`);
const { LuxSciClient } = await import(`${pkgDir}/modules/client.js`); // with its methods, on this instance

/** The sandbox in a child process (its memory is not ours to measure), accepting bodies up to `maxBodyBytes`. */
async function childSandbox(t, maxBodyBytes) {
  const cli = new URL("../../js/sandbox/cli.js", import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, "--max-body-bytes", String(maxBodyBytes)], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => child.kill());
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then(({ value }) => [value]);
  return JSON.parse(line);
}

test("64 MiB uploads grow wasm memory by less than 2 MiB", async (t) => {
  const size = 64 * MiB;
  const sandbox = await childSandbox(t, size + MiB);
  const client = new LuxSciClient({
    baseUrl: sandbox.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
  });
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) randomFillSync(bytes, at, 65536);
  const hash = sha256(bytes);
  const folder = mkdtempSync(join(tmpdir(), "luxsci-files-"));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(join(folder, "big.bin"), bytes);
  const onDisk = await openAsBlob(join(folder, "big.bin"));

  const startMemory = wasm.memory.buffer.byteLength;
  await client.createContentLibraryDirectory("big");
  for (const [label, path, file] of [
    ["Uint8Array, SHA-256 in wasm", "big/bytes.bin", bytes],
    ["file-backed Blob (fs.openAsBlob), SHA-256 in wasm", "big/disk.bin", onDisk],
    ["Uint8Array, node:crypto SHA-256 (as the Node entry registers it)", "big/native.bin", bytes],
  ]) {
    if (label.includes("node:crypto")) useNativeSha256(() => createHash("sha256"), (text) => createHash("sha256").update(text).digest("hex"));
    const before = wasm.memory.buffer.byteLength;
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await client.uploadContentLibraryFile(path, file);
    const ms = performance.now() - started;
    const growth = wasm.memory.buffer.byteLength - before;
    t.diagnostic(
      `${label}: ${ms.toFixed(0)} ms, wasm memory ${before} → ${wasm.memory.buffer.byteLength} bytes (growth ${growth}), ` +
        `rss ${(rssBefore / MiB).toFixed(0)} → ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
    assert.ok(growth < 2 * MiB, `${label}: wasm memory grew by ${growth} bytes`);
    const stored = await client.getContentLibraryFile(path);
    assert.deepEqual([stored.size, stored.hash], [size, hash], label);
  }
  const total = wasm.memory.buffer.byteLength - startMemory;
  t.diagnostic(`wasm memory growth over both uploads and the calls around them: ${total} bytes`);
  assert.ok(total < 2 * MiB, `wasm memory grew by ${total} bytes in all`);
});
