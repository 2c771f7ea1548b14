// luxsci/fleet as a consumer types it (`tsc --strict`): the Redis adapters take ioredis and node-redis clients,
// the Durable Object adapters a namespace binding, and a run with a journal resolves to keyed results;
// `@ts-expect-error` lines prove that wrong arguments are rejected.
import { Redis } from "ioredis";
import { createClient } from "redis";
import { LuxSciClient, type BatchJournalResult, type BatchResult } from "luxsci";
import {
  LuxSciFleet,
  durableJournal,
  durableLimiter,
  redisJournal,
  redisLimiter,
  type DurableObjectNamespaceLike,
  type FleetJournal,
  type JournalRecord,
} from "luxsci/fleet";

const client = new LuxSciClient({ token: "t", secret: "s", username: "me@example.com" });
const windows = [{ limit: 60, windowMs: 60_000 }, { limit: 6000, windowMs: 86_400_000 }];

export async function onRedis(): Promise<string[]> {
  const ioredis = new Redis();
  const nodeRedis = createClient();
  const journal: FleetJournal = redisJournal(ioredis, { owner: "host-1", leaseMs: 60_000, retentionMs: 86_400_000, prefix: "{mail}" });
  redisLimiter(nodeRedis, { windows, holdMs: 30_000 });
  // @ts-expect-error windows are required
  redisLimiter(ioredis, {});
  // @ts-expect-error not a Redis client
  redisJournal({ get: () => undefined });
  const results: BatchJournalResult[] = await client.sendEmailBatch([{ key: "invoice-1", to: ["a@example.com"], subject: "s", body: "b" }], {
    journal,
    limiter: redisLimiter(ioredis, { windows: windows[0] }),
  });
  return results.map((r) => (r.status === "sent" ? `${r.key} ${r.sendmailId} by ${r.by}` : r.status === "skipped" ? `${r.key}: ${r.record.state}` : r.error.message));
}

interface Env {
  FLEET: DurableObjectNamespaceLike<{ readonly name?: string }>;
}

export { LuxSciFleet };

export const worker = {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const journal = durableJournal(env.FLEET, { owner: "isolate-1", name: "mail" });
    const results = await client.sendEmailBatch([{ key: "k", to: ["a@example.com"], subject: "s", body: "b" }], {
      journal,
      limiter: durableLimiter(env.FLEET, { windows, name: "mail" }),
    });
    const records: (JournalRecord | undefined)[] = await journal.get(results.map((r) => r.key));
    // @ts-expect-error a Redis-style prefix is not a Durable Object option
    durableJournal(env.FLEET, { prefix: "x" });
    // @ts-expect-error windows are required
    durableLimiter(env.FLEET, { name: "mail" });
    return Response.json(records);
  },
};

export async function withoutJournal(): Promise<BatchResult[]> {
  const results = await client.sendEmailBatch([{ to: ["a@example.com"], subject: "s", body: "b" }]);
  // @ts-expect-error results without a journal carry no status
  void results[0].status;
  return results;
}
