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

// temp file + fsync + rename: a reader (or a crash) sees either the old file or the new one, never half of one.
function writeAtomic(file, text) {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const fd = fs.openSync(temp, "w", 0o600);
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
