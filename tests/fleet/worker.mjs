// One worker of the fleet tests: runs sendEmailBatch over the same keyed messages as every other worker,
// through the shared Redis limiter and journal, and prints its counts (with RESULTS=1, its results).
// Killed and restarted by the tests. LIMIT (calls per second, default 100), LEASE_MS (default 3000) and PREFIX tune it.
import Redis from "ioredis";
import { LuxSciClient } from "luxsci";
import { redisJournal, redisLimiter } from "luxsci/fleet";

const { SANDBOX, REDIS_SOCKET, OWNER, COUNT, LIMIT = "100", LEASE_MS = "3000", PREFIX, RESULTS } = process.env;
const sandbox = JSON.parse(SANDBOX);
const redis = new Redis({ path: REDIS_SOCKET, maxRetriesPerRequest: 1 });
const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username });
const messages = Array.from({ length: Number(COUNT) }, (_, i) => ({ key: `k${i}`, to: [`r${i}@example.test`], subject: `k${i}`, body: `hello ${i}` }));
const results = await client.sendEmailBatch(messages, {
  limits: { maxMessages: 10 },
  concurrency: 2,
  timeoutMs: 4000,
  journal: redisJournal(redis, { owner: OWNER, leaseMs: Number(LEASE_MS), prefix: PREFIX }),
  limiter: redisLimiter(redis, { windows: [{ limit: Number(LIMIT), windowMs: 1000 }, { limit: 100_000, windowMs: 86_400_000 }], holdMs: 5000, prefix: PREFIX }),
});
const counts = {};
for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
console.log(JSON.stringify(RESULTS ? results.map(({ key, status, sendmailId, by, record }) => ({ key, status, sendmailId, by, record })) : counts));
redis.disconnect();
