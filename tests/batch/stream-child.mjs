// Child process of memory.test.mjs (run with --expose-gc): streams BATCH_COUNT generated messages through
// sendEmailBatch to the sandbox named in the environment, sampling memory, then measures what keeping
// messages would cost; prints one JSON line.
import { luxsci } from "../support/package.mjs";

const { LuxSciClient } = luxsci;
const env = JSON.parse(process.env.BATCH_SANDBOX);
const count = Number(process.env.BATCH_COUNT);
const client = new LuxSciClient({ baseUrl: env.url, token: env.token, secret: env.secret, username: env.username });

/** Message i: a unique subject, one recipient, a 200-character body of its own. */
const make = (i) => ({ to: [`r.m${i}@example.test`], subject: `m${i}`, body: `message ${i} `.padEnd(200, "x") });

await client.authenticate();
globalThis.gc();
const base = process.memoryUsage();
let peakHeap = base.heapUsed;
let peakLive = base.heapUsed;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
const sampler = setInterval(sample, 5);
/** Every 20 calls, the heap that is actually alive (after a full collection). */
const live = ({ calls }) => {
  sample();
  if (calls % 20 !== 0) return;
  globalThis.gc();
  peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
};
async function* messages() {
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 0) sample();
    yield make(i);
  }
}
const started = performance.now();
const results = await client.sendEmailBatch(messages(), { onProgress: live });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const peakRss = process.resourceUsage().maxRSS * 1024;

// The control: heap kept alive by 20,000 messages held at once, scaled to the run.
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const kept = Array.from({ length: 20_000 }, (_, i) => make(i));
globalThis.gc();
const retainAll = ((process.memoryUsage().heapUsed - before) / kept.length) * count;

const ids = results.map((r) => r.sendmailId ?? null);
process.stdout.write(`${JSON.stringify({ ids, baseHeap: base.heapUsed, peakLive, baseRss: base.rss, peakHeap, peakRss, retainAll, seconds, kept: kept.length })}\n`);
