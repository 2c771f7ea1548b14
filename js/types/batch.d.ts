// Types of client.sendEmailBatch (js/batch.js): its options, progress reports and per-message results.
import type { LuxSciError, Message, SendLimits } from "../types.js";
import type { FleetJournal, FleetLimiter, JournalRecord } from "../fleet/index.js";

/** Client-side pacing; each limit counts sendEmail calls (retries included) in a sliding window. Off by default. */
export interface BatchRate {
  /** At most this many calls in any 60 seconds (LuxSci's shared servers: e.g. 60). */
  perMinute?: number;
  /** At most this many calls in any 24 hours (LuxSci's shared servers: e.g. 6000). */
  perDay?: number;
}

/** The time source of the pacing and retry waits; inject one to test without waiting. */
export interface BatchClock {
  /** Milliseconds, monotonic enough for pacing (default `Date.now`). */
  now(): number;
  /** Resolves after `ms` milliseconds, or early once `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What `onProgress` receives after each call settles, and once at the end. */
export interface BatchProgress {
  /** Messages with a `sendmailId`. */
  sent: number;
  /** Messages with an `error` (sent or not: see each result's `mayHaveBeenSent`). */
  failed: number;
  /** Messages not settled yet: of the whole array, or of the messages read so far from an iterable. */
  pending: number;
  /** sendEmail calls made so far, retries included (not those the client refused before sending). */
  calls: number;
}

/** A message LuxSci accepted. */
export interface BatchSent {
  /** Position of the message in the input. */
  index: number;
  sendmailId: string;
}

/** A message that failed; `mayHaveBeenSent: false` means it certainly was not sent and may be sent again. */
export interface BatchFailed {
  /** Position of the message in the input. */
  index: number;
  /** Why: e.g. LuxSciValidationError (never sent), LuxSciAbortError (not scheduled), LuxSciConnectionError. */
  error: LuxSciError;
  /** True when the call carrying it may have reached LuxSci: it was not repeated; check before resending. */
  mayHaveBeenSent: boolean;
}

/** One result per message, in input order (`results[i].index === i`). */
export type BatchResult = BatchSent | BatchFailed;

/** Options of `client.sendEmailBatch(messages, options)`. */
export interface SendEmailBatchOptions {
  /** How calls are packed: the client's `sendLimits` by default, which these may only lower (raise the client's for a dedicated server). */
  limits?: SendLimits;
  /** Client-side pacing (off by default). */
  rate?: BatchRate;
  /** sendEmail calls in flight at once (default 2). */
  concurrency?: number;
  /** Extra attempts of a call that certainly was not accepted (429, refused connection); default 2. */
  maxRetries?: number;
  /** The `priority` (0–9) of every call. */
  priority?: number;
  /** Per-attempt timeout of each call (default: the client's). */
  timeoutMs?: number;
  /** Overrides the client's `username`. */
  username?: string;
  /** Called with the counts after each call settles, and once at the end; its exceptions are ignored. */
  onProgress?: (progress: BatchProgress) => void;
  /** The results of an earlier run over the same messages, unchanged: only messages that certainly were not sent are sent again. */
  resumeFrom?: readonly (BatchResult | undefined)[];
  /** Stops scheduling calls; calls in flight finish; unscheduled messages get a LuxSciAbortError with `mayHaveBeenSent: false`. */
  signal?: AbortSignal;
  /** The time source (default: the real clock). */
  clock?: BatchClock;
  /**
   * A claim journal shared by many workers (luxsci/fleet): every message needs a `key`; each is claimed before
   * its call is sent and skipped when another worker holds or sent it. Results then carry `key` and `status`
   * ({@link BatchJournalResult}). Not with `resumeFrom`: running the same messages again resumes.
   */
  journal?: FleetJournal;
  /** A limiter shared by many workers (luxsci/fleet), instead of `rate`. */
  limiter?: FleetLimiter;
}

/** A message sent through a `journal`: its `key` names it in the journal (and is not sent to LuxSci). */
export type KeyedMessage = Message & { key: string };

/** A result of a run with a `journal`: what happened to the message with this `key`. */
export type BatchJournalResult = { index: number; key: string } & (
  | { status: "sent"; sendmailId: string; by: string }
  | { status: "skipped"; record: JournalRecord }
  | { status: "mayHaveBeenSent"; error: LuxSciError; mayHaveBeenSent: true }
  | { status: "unsent"; error: LuxSciError; mayHaveBeenSent: false }
);

/** The rejection when reading `messages` throws: the messages read before were still sent. */
export interface SendEmailBatchSourceError extends LuxSciError {
  /** What reading threw. */
  cause: unknown;
  /** One result per message read before the failure. */
  results: BatchResult[];
}

/** The method sendEmailBatch adds to LuxSciClient. */
export interface SendEmailBatchMethod {
  /**
   * Sends any number of messages in as few sendEmail calls as the limits allow (keeping input order),
   * paced and with bounded concurrency, reading an iterable only as fast as calls go out. A call that may
   * have reached LuxSci is never repeated. Resolves to one result per message, in input order; rejects
   * with LuxSciValidationError for bad options, or with a {@link SendEmailBatchSourceError} when reading
   * `messages` throws.
   */
  sendEmailBatch(messages: Iterable<KeyedMessage> | AsyncIterable<KeyedMessage>, options: SendEmailBatchOptions & { journal: FleetJournal }): Promise<BatchJournalResult[]>;
  sendEmailBatch(messages: Iterable<Message> | AsyncIterable<Message>, options?: SendEmailBatchOptions): Promise<BatchResult[]>;
}
