// One sender of the fleet limiter benchmark (bench/fleet.mjs): one message per sendEmail call against the sandbox,
// as fast as its limiter lets it, for DURATION_MS. MODE "local" paces with sendEmailBatch's own `rate` on a clock
// running 60× fast (its minute is one real second: the local limiter has per-minute and per-day windows only);
// MODE "redis" draws from a redisLimiter of LIMIT calls per second that every sender shares.
const [pkgDir, mode, limit, durationMs, sandboxJson, redisSocket] = process.argv.slice(2);
const { LuxSciClient } = await import(`${pkgDir}/index.node.mjs`);
const sandbox = JSON.parse(sandboxJson);
const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username });
const messages = Array.from({ length: Number(limit) * Math.ceil(Number(durationMs) / 1000) * 4 }, (_, i) => ({ to: [`r${i}@example.test`], subject: `m${i}`, body: "hi" }));
const signal = AbortSignal.timeout(Number(durationMs));
const options = { limits: { maxMessages: 1 }, concurrency: 4, signal };
let redis;
if (mode === "redis") {
  const { default: Redis } = await import("ioredis");
  const { redisLimiter } = await import(`${pkgDir}/fleet/index.js`);
  redis = new Redis({ path: redisSocket });
  options.limiter = redisLimiter(redis, { windows: { limit: Number(limit), windowMs: 1000 }, prefix: "bench-limiter" });
} else {
  const SPEED = 60;
  const start = Date.now();
  options.rate = { perMinute: Number(limit) };
  options.clock = {
    now: () => start + (Date.now() - start) * SPEED,
    sleep: (ms, abort) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          abort?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, ms / SPEED);
        abort?.addEventListener("abort", done, { once: true });
      }),
  };
}
const results = await client.sendEmailBatch(messages, options);
redis?.disconnect();
process.stdout.write(JSON.stringify({ sent: results.filter((r) => r.sendmailId).length }) + "\n");
