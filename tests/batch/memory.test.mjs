// A 200,000-message async iterable through sendEmailBatch in bounded memory: the batch runs in a child
// process (so the sandbox's own records don't count), which reports its peak heap and RSS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../../js/sandbox/index.js";
import { sentBySubject } from "./helpers.mjs";

const COUNT = 200_000;
const MB = 1024 * 1024;

function runChild(sandbox) {
  const child = spawn(process.execPath, ["--expose-gc", fileURLToPath(new URL("./stream-child.mjs", import.meta.url))], {
    env: { ...process.env, BATCH_COUNT: String(COUNT), BATCH_SANDBOX: JSON.stringify({ url: sandbox.url, token: sandbox.token, secret: sandbox.secret, username: sandbox.username }) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited with ${code}`))));
  });
}

test("a streamed 200,000-message async iterable runs in bounded memory, every message sent once, ids in order", async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.close());
  const report = await runChild(sandbox);
  const sent = sentBySubject(sandbox);
  assert.equal(report.ids.length, COUNT);
  assert.equal(sent.size, COUNT);
  report.ids.forEach((id, i) => assert.equal(id, sent.get(`m${i}`), `message ${i}`));
  const mb = (bytes) => (bytes / MB).toFixed(1);
  const live = report.peakLive - report.baseHeap;
  console.log(
    `# ${COUNT} streamed messages in ${report.seconds.toFixed(1)} s: live heap peak +${mb(live)} MB, heapUsed peak +${mb(report.peakHeap - report.baseHeap)} MB ` +
      `(start ${mb(report.baseHeap)} MB), peak RSS ${mb(report.peakRss)} MB (start ${mb(report.baseRss)} MB); keeping every message would take ${mb(report.retainAll)} MB of heap`,
  );
  // Generous: the results themselves (one small object per message) grow with the run; the messages must not.
  const bound = 40 * MB;
  assert.ok(report.retainAll > 2 * bound, `the control (${mb(report.retainAll)} MB) shows that keeping the messages would break the bound`);
  assert.ok(live < bound, `the live heap grew ${mb(live)} MB`);
});
