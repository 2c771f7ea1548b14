// How the relay's work grows with an upload's json part: a part that never closes, fed to createRelay() in 1 KiB
// reads (as a slow or hostile browser delivers it), until the stream ends. Prints wall and CPU time per size; the
// work should grow linearly. Run: node bench/relay-split.mjs [pkg folder] (default pkg/).
import { resolve } from "node:path";

const pkgDir = resolve(process.argv[2] ?? new URL("../pkg", import.meta.url).pathname);
const { createRelay } = await import(`${pkgDir}/index.node.mjs`);
const relay = createRelay({
  baseUrl: "http://127.0.0.1:9", // never reached: the part never closes, so nothing is forwarded
  token: "t",
  secret: "s",
  username: "u",
  maxJsonBytes: 64 * 1024 * 1024,
  authorize: () => true,
});
const piece = new Uint8Array(1024).fill(0x61);

for (const mib of [1, 4, 16]) {
  let reads = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (reads === 0) controller.enqueue(new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="json"\r\n\r\n'));
      if (reads++ >= mib * 1024) controller.close();
      else controller.enqueue(piece);
    },
  }, { highWaterMark: 0 });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const answer = await relay(new Request("http://relay.test/perl/api/v2/user/u/content_library/x", {
    method: "POST",
    headers: { "luxsci-relay": "1", "content-type": "multipart/form-data; boundary=b" },
    body,
    duplex: "half",
  }));
  const used = process.cpuUsage(cpu);
  console.log(`${mib} MiB in 1 KiB reads: HTTP ${answer.status}, ${(performance.now() - started).toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU`);
}
