// Sandbox state: the in-memory data model, transactional updates (a rejection changes nothing) and atomic persistence to the data file.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

const FORMAT = "luxsci-sandbox/1";

/** A fresh, empty account. Every collection is an array in creation order; the library is keyed by path. */
export function emptyState(createdAt) {
  return {
    nextId: 1000,
    domains: [],
    dkim: [],
    bounceDomains: [],
    aliases: [],
    autoResponders: [],
    forwarding: null,
    accountSuppressions: [],
    userSuppressions: [],
    customFields: [],
    contentTags: [],
    templates: [],
    templateGroups: [],
    sent: [],
    marketing: { lists: [], contacts: [], campaigns: [] },
    library: { directories: { "": { created: createdAt } }, files: {} },
  };
}

/** Allocates the next numeric id (unique across every collection, and across restarts when persisted). */
export const newId = (state) => {
  state.nextId += 1;
  return state.nextId;
};

/** A new temp file name for `file`, naming the process that writes it. */
const tempName = (file) => `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;

/** The writer's pid of `name` when it is a temp file of `file`, as tempName() makes them; else undefined. */
function tempWriter(file, name) {
  const prefix = `${path.basename(file)}.`;
  if (!name.startsWith(prefix)) return undefined;
  const pid = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length))?.[1];
  return pid === undefined ? undefined : Number(pid);
}

// temp file (created new, never reused) + fsync + rename: a reader (or a crash, even kill -9) sees either the old file
// or the new one, never half of one; a crash leaves at most a temp file, which the next start removes.
function writeAtomic(file, text) {
  const temp = tempName(file);
  try {
    const fd = fs.openSync(temp, "wx", 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(path.dirname(file));
}

// Makes the rename itself durable; directories cannot be opened for fsync on Windows, where this is skipped.
function syncDirectory(dir) {
  if (process.platform === "win32") return;
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether process `pid` is running (a signal 0 probes it; EPERM means it runs as another user). */
function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Removes the temp files of `file` left by writers that died mid-write (kill -9, power loss); a live writer's are kept. */
export function removeStaleTemps(file) {
  const dir = path.dirname(file);
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if (error.code === "ENOENT") return;
    throw error;
  }
  for (const name of names) {
    const pid = tempWriter(file, name);
    if (pid !== undefined && (pid === process.pid || !running(pid))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Reads a data file: `{ credentials, state }`, or null when the file does not exist. */
export function readDataFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return null;
    throw error;
  }
  let saved;
  try {
    saved = JSON.parse(text);
  } catch (error) {
    throw new Error(`sandbox data file ${file} is not valid JSON: ${error.message}`);
  }
  if (saved?.format !== FORMAT || typeof saved.state !== "object") {
    throw new Error(`sandbox data file ${file} is not a ${FORMAT} file`);
  }
  return saved;
}

export class Store {
  /** `file` may be undefined (memory only); `credentials` are saved with the state so a restart keeps them. */
  constructor(state, file, credentials) {
    this.state = state;
    this.file = file;
    this.credentials = credentials;
  }

  /** Runs `change` on a copy of the state; commits (and persists) only if it returns without throwing. */
  update(change) {
    const draft = structuredClone(this.state);
    const result = change(draft);
    this.save(draft);
    this.state = draft;
    return result;
  }

  save(state = this.state) {
    if (!this.file) return;
    writeAtomic(this.file, `${JSON.stringify({ format: FORMAT, credentials: this.credentials, state }, null, 1)}\n`);
  }
}
