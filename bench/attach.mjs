// Attachment child: uploads a 64 MB file-backed Blob through the SDK (hashing + multipart composition, until the
// request reaches fetch), then hashes the same file with node:crypto; reports throughputs, wasm memory growth and peak RSS.
import { createHash } from "node:crypto";
import { openAsBlob } from "node:fs";
import { CREDENTIALS, stubFetch } from "./stub.mjs";
import { median, print } from "./stats.mjs";

const [pkgDir, file] = process.argv.slice(2);
// Capture the wasm instance the package creates, to read its memory size.
const instances = [];
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  instances.push(instance);
  return instance;
};
const { LuxSciClient } = await import(`${pkgDir}/index.node.mjs`);
const memory = () => instances[0].exports.memory.buffer.byteLength;

const fetch = stubFetch();
const client = new LuxSciClient({ baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch });
const blob = await openAsBlob(file);
const mb = blob.size / 2 ** 20;
await client.uploadContentLibraryFile("bench/warm.bin", new Uint8Array(1024)); // auth, first allocations
const before = memory();
const sdk = [];
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  await client.uploadContentLibraryFile("bench/big.bin", blob);
  sdk.push(fetch.calledAt - t);
}
const growth = memory() - before;
const rss = process.resourceUsage().maxRSS * 1024;
// node:crypto's best plain-JS reading of the same Blob: its stream, or 256 KB slices (whichever is faster here).
const node = [];
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const streamed = createHash("sha256");
  for await (const chunk of blob.stream()) streamed.update(chunk);
  streamed.digest("hex");
  const viaStream = performance.now() - t;
  t = performance.now();
  const sliced = createHash("sha256");
  for (let at = 0; at < blob.size; at += 262144) sliced.update(new Uint8Array(await blob.slice(at, at + 262144).arrayBuffer()));
  sliced.digest("hex");
  node.push(Math.min(viaStream, performance.now() - t));
}
print({ mb, sdkMBps: (mb * 1000) / median(sdk), nodeMBps: (mb * 1000) / median(node), growth, rss, fileBytes: blob.size });
