// Types of luxsci/fleet (js/fleet/): the shared limiter and claim journal that sendEmailBatch's `limiter` and `journal` options take,
// on Redis and on the LuxSciFleet Durable Object.

/** One sliding window: at most `limit` sendEmail calls in any `windowMs` milliseconds, across every process. */
export interface FleetWindow {
  limit: number;
  windowMs: number;
}

/** A journal record: where a message key stands. `at` is the engine's clock (ms since the epoch) at its last change. */
export interface JournalRecord {
  state: "claimed" | "sending" | "sent" | "mayHaveBeenSent";
  /** The worker (`owner`) that made the last change. */
  by: string;
  at: number;
  /** Set when `state` is "sent". */
  sendmailId?: string;
}

/** A shared limiter, for sendEmailBatch's `limiter` option. */
export interface FleetLimiter {
  acquire(signal: AbortSignal | undefined, sleep: (ms: number, signal?: AbortSignal) => Promise<void>): Promise<{ finish(): Promise<void>; refund(): Promise<void> } | undefined>;
  pause(ms: number): Promise<void>;
}

/** A shared claim journal, for sendEmailBatch's `journal` option. */
export interface FleetJournal {
  /** Who this process is in the records (`by`). */
  readonly owner: string;
  claim(keys: string[]): Promise<{ token: string; outcomes: (true | JournalRecord)[] }>;
  begin(token: string, keys: string[]): Promise<(true | JournalRecord | undefined)[]>;
  settle(token: string, entries: { key: string; state: "sent" | "mayHaveBeenSent" | "unsent"; sendmailId?: string }[]): Promise<void>;
  /** The records of `keys` (undefined where none); a "sending" record whose lease lapsed reads as mayHaveBeenSent. */
  get(keys: string[]): Promise<(JournalRecord | undefined)[]>;
}

/** A Durable Object namespace binding of LuxSciFleet (`env.<binding>`), as far as the adapters use it. */
export interface DurableObjectNamespaceLike<Id = unknown> {
  idFromName(name: string): Id;
  get(id: Id): { fetch(input: string, init: { method: string; body: string }): Promise<Response> };
}

/** What LuxSciFleet uses of its Durable Object state: SQLite-backed storage. */
export interface DurableObjectStateLike {
  readonly storage: { readonly sql: unknown; transactionSync<T>(closure: () => T): T };
}

/**
 * The Durable Object that keeps durableLimiter's and durableJournal's state (SQLite-backed: declare it under
 * `new_sqlite_classes`). Export it from the Worker's main module; its requests come from the adapters only.
 */
export declare class LuxSciFleet {
  constructor(state: DurableObjectStateLike, env?: unknown);
  fetch(request: Request): Promise<Response>;
}

/** An ioredis client, or a connected node-redis client (v4 or later). */
export type RedisClientLike = { call(...args: string[]): Promise<unknown> } | { sendCommand(args: string[]): Promise<unknown> };

export interface RedisLimiterOptions {
  /** One window or several (e.g. per minute and per day); a call needs a slot in each. */
  windows: FleetWindow | FleetWindow[];
  /** Prefix of the Redis keys (default "{luxsci}": a hash tag, so Redis Cluster keeps them in one slot). */
  prefix?: string;
  /** How long a granted call counts as in flight if its worker never reports it finished (default 120000; keep it above the call timeout). */
  holdMs?: number;
}

export interface RedisJournalOptions {
  /** This worker's name in the records (default: a random "worker-…"). */
  owner?: string;
  /** Prefix of the Redis keys (default "{luxsci}"). */
  prefix?: string;
  /** How long a claim, and a call in flight, are held by a silent worker (default 300000). */
  leaseMs?: number;
  /** How long a record is kept after its last change (default 7 days). */
  retentionMs?: number;
}

export function redisLimiter(client: RedisClientLike, options: RedisLimiterOptions): FleetLimiter;
export function redisJournal(client: RedisClientLike, options?: RedisJournalOptions): FleetJournal;

export interface DurableLimiterOptions {
  /** One window or several (e.g. per minute and per day); a call needs a slot in each. */
  windows: FleetWindow | FleetWindow[];
  /** The LuxSciFleet object (by name) that holds the state (default "luxsci"). */
  name?: string;
  /** How long a granted call counts as in flight if its worker never reports it finished (default 120000; keep it above the call timeout). */
  holdMs?: number;
}

export interface DurableJournalOptions {
  /** This worker's name in the records (default: a random "worker-…"). */
  owner?: string;
  /** The LuxSciFleet object (by name) that holds the records (default "luxsci"). */
  name?: string;
  /** How long a claim, and a call in flight, are held by a silent worker (default 300000). */
  leaseMs?: number;
  /** How long a record is kept after its last change (default 7 days). */
  retentionMs?: number;
}

export function durableLimiter<Id>(namespace: DurableObjectNamespaceLike<Id>, options: DurableLimiterOptions): FleetLimiter;
export function durableJournal<Id>(namespace: DurableObjectNamespaceLike<Id>, options?: DurableJournalOptions): FleetJournal;
