// The fleet limiter and claim journal on Cloudflare Durable Objects: LuxSciFleet, a SQLite-backed Durable
// Object class that the Worker exports and binds, and durableLimiter / durableJournal, which reach one
// object of it through that binding. Nothing here imports a Workers module, so it loads in any runtime.
//
// One object (by name) holds a limiter's and a journal's state in its SQLite storage. Each request runs
// synchronously inside storage.transactionSync on the object's clock: nothing else runs in the object
// meanwhile, so it is atomic for every Worker that calls it, and a failure rolls all of it back. The rules
// are common.js's windowWait and journalStep, run as they are.
import { journalStep, makeJournal, makeLimiter, readJournalOptions, readLimiterOptions, windowWait } from "./common.js";

/** The object the adapters use unless `name` says otherwise. */
const NAME = "luxsci";
/** The address of requests to the object (a Durable Object's fetch needs one; it never leaves the runtime). */
const ORIGIN = "https://luxsci-fleet.invalid/";

const JOURNAL_OPS = ["get", "claim", "begin", "settle"];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS luxsci_journal (k TEXT PRIMARY KEY, state TEXT NOT NULL, owner TEXT NOT NULL, at INTEGER NOT NULL,
  until INTEGER, token TEXT, sendmail_id TEXT, expires INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS luxsci_journal_expires ON luxsci_journal (expires);
CREATE TABLE IF NOT EXISTS luxsci_calls (id TEXT NOT NULL, span INTEGER NOT NULL, score INTEGER NOT NULL, PRIMARY KEY (id, span));
CREATE INDEX IF NOT EXISTS luxsci_calls_span ON luxsci_calls (span, score);
CREATE TABLE IF NOT EXISTS luxsci_pause (one INTEGER PRIMARY KEY CHECK (one = 1), until INTEGER NOT NULL);
`;

/**
 * The Durable Object behind durableLimiter and durableJournal. Export it from the Worker's main module and
 * bind it as a SQLite-backed class (wrangler: `new_sqlite_classes`); its requests come from the adapters only.
 */
export class LuxSciFleet {
  // On key-value storage, reading storage.sql throws the runtime's own error, which names new_sqlite_classes.
  constructor(state) {
    this.storage = state.storage;
    this.sql = state.storage.sql;
    this.sql.exec(SCHEMA);
  }

  async fetch(request) {
    const { op, ...args } = await request.json();
    const now = Date.now();
    let run;
    if (Object.hasOwn(LIMITER_OPS, op)) run = () => LIMITER_OPS[op](this.sql, args, now);
    else if (JOURNAL_OPS.includes(op)) run = () => this.journal(op, args, now);
    else return new Response(`unknown operation ${JSON.stringify(op)}`, { status: 400 });
    return Response.json(this.storage.transactionSync(run));
  }

  /**
   * A journal operation over `keys`: one outcome per key (true, or the record shown). Expired records go first;
   * the keys' records are read in one query and written in one, each key seeing the ones before it.
   */
  journal(op, { keys, entries, token, owner, leaseMs, retentionMs }, now) {
    this.sql.exec("DELETE FROM luxsci_journal WHERE expires <= ?", now);
    const rows = this.sql.exec("SELECT k, state, owner, at, until, token, sendmail_id, expires FROM luxsci_journal WHERE k IN (SELECT value FROM json_each(?))", JSON.stringify(keys));
    const records = new Map();
    for (const row of rows) records.set(row.k, { state: row.state, by: row.owner, at: row.at, until: row.until, token: row.token, sendmailId: row.sendmail_id, expires: row.expires });
    const changed = new Set();
    const out = keys.map((k, i) => {
      const { out, write } = journalStep(op, records.get(k), { now, token, owner, leaseMs, entry: entries?.[i] });
      if (write !== undefined) {
        records.set(k, write && { ...write, expires: write.expires ?? now + retentionMs });
        changed.add(k);
      }
      return out ?? null;
    });
    const written = [...changed].map((k) => [k, records.get(k)]);
    const gone = written.filter(([, r]) => r === null).map(([k]) => k);
    const kept = written.filter(([, r]) => r !== null).map(([k, r]) => [k, r.state, r.by, r.at, r.until ?? null, r.token ?? null, r.sendmailId ?? null, r.expires]);
    if (gone.length) this.sql.exec("DELETE FROM luxsci_journal WHERE k IN (SELECT value FROM json_each(?))", JSON.stringify(gone));
    if (kept.length) {
      const columns = ["k", "state", "owner", "at", "until", "token", "sendmail_id", "expires"];
      this.sql.exec(
        `INSERT OR REPLACE INTO luxsci_journal (${columns.join(", ")}) SELECT ${columns.map((_, c) => `value ->> ${c}`).join(", ")} FROM json_each(?)`,
        JSON.stringify(kept),
      );
    }
    return out;
  }
}

/** The limiter's operations on the object's tables (the sliding log of common.js, one row per call and window). */
const LIMITER_OPS = {
  take(sql, { id, holdMs, windows }, now) {
    let wait = (sql.exec("SELECT until FROM luxsci_pause").toArray()[0]?.until ?? 0) - now;
    for (const w of windows) {
      sql.exec("DELETE FROM luxsci_calls WHERE span = ? AND score <= ?", w.windowMs, now - w.windowMs);
      const { count, oldest } = sql.exec("SELECT COUNT(*) AS count, MIN(score) AS oldest FROM luxsci_calls WHERE span = ?", w.windowMs).one();
      wait = Math.max(wait, windowWait(w, count, oldest, now));
    }
    if (wait > 0) return wait;
    for (const w of windows) sql.exec("INSERT OR REPLACE INTO luxsci_calls (id, span, score) VALUES (?, ?, ?)", id, w.windowMs, now + holdMs);
    return 0;
  },
  finish(sql, { id }, now) {
    sql.exec("UPDATE luxsci_calls SET score = ? WHERE id = ?", now, id);
    return 0;
  },
  refund(sql, { id }) {
    sql.exec("DELETE FROM luxsci_calls WHERE id = ?", id);
    return 0;
  },
  pause(sql, { ms }, now) {
    sql.exec("INSERT INTO luxsci_pause (one, until) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET until = MAX(until, excluded.until)", now + ms);
    return 0;
  },
};

/** Sends operations to the LuxSciFleet object `name` of `namespace`; resolves to what it answered. */
function objectCaller(namespace, name) {
  if (typeof namespace?.idFromName !== "function" || typeof namespace.get !== "function") {
    throw new TypeError("a Durable Object namespace binding of the LuxSciFleet class is needed (env.<binding>)");
  }
  const id = namespace.idFromName(name);
  return async (body) => {
    // A stub per operation: a stub made while serving one request may not be used by another.
    const response = await namespace.get(id).fetch(ORIGIN, { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`the LuxSciFleet object answered ${response.status}`);
    return response.json();
  };
}

/**
 * A limiter shared by every Worker that uses the same LuxSciFleet namespace and object name.
 * @param namespace the Durable Object namespace binding of LuxSciFleet (env.<binding>)
 * @param options { windows: { limit, windowMs } | [...], name?, holdMs? }
 */
export function durableLimiter(namespace, options) {
  const { windows, place, holdMs } = readLimiterOptions(options, "durableLimiter", "name", NAME);
  const call = objectCaller(namespace, place);
  const done = () => undefined;
  return makeLimiter(
    {
      tryTake: (id, holdFor) => call({ op: "take", id, holdMs: holdFor, windows }),
      finish: (id) => call({ op: "finish", id }).then(done),
      refund: (id) => call({ op: "refund", id }).then(done),
      pause: (ms) => call({ op: "pause", ms }).then(done),
    },
    holdMs,
  );
}

/**
 * A claim journal shared by every Worker that uses the same LuxSciFleet namespace and object name.
 * @param namespace the Durable Object namespace binding of LuxSciFleet (env.<binding>)
 * @param options { owner?, name?, leaseMs?, retentionMs? }
 */
export function durableJournal(namespace, options) {
  const { owner, place, leaseMs, retentionMs } = readJournalOptions(options, "durableJournal", "name", NAME);
  const call = objectCaller(namespace, place);
  const op = async (name, token, keys, entries) => {
    const out = await call({ op: name, token, owner, leaseMs, retentionMs, keys, entries });
    return out.map((o) => (o === null ? undefined : o));
  };
  return makeJournal(
    {
      claim: (token, keys) => op("claim", token, keys),
      begin: (token, keys) => op("begin", token, keys),
      settle: async (token, entries) => {
        await op("settle", token, entries.map((e) => e.key), entries);
      },
      get: (keys) => op("get", "", keys),
    },
    owner,
  );
}
