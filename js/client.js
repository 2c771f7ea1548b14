// LuxSciClient, the class users construct: its options read and checked here, its session and calls held by the
// wasm's Core (one per client, freed with it). Its methods (one per LuxSci operation, authenticate,
// revokeAuthentication, request, sendEmailBatch, the report iterators) are installed by methods.js and reports.js.
import { Core } from "./luxsci.js";
import { readClientOptions } from "./options.js";

/** Per client: its Core and what binding its calls needs of its options. */
const state = new WeakMap();

/** The state of `client` (a LuxSciClient): `{ core, base, relay, accountId, username, limits, refused }`. */
export const stateOf = (client) => state.get(client);

export class LuxSciClient {
  /** Throws LuxSciValidationError for missing, misspelt or mistyped options. */
  constructor(options) {
    const o = readClientOptions(options);
    const core = new Core(o.base, o.token, o.secret, o.user, o.pass, o.accountId, o.username, o.fetch, o.timeoutMs, o.totalTimeoutMs,
      o.maxRetries, o.maxResponseBytes, o.onRequest, o.onResponse);
    const { base, relay, accountId, username, limits } = o;
    // A client unusable here (a direct client in a browser): its calls ask the core for the error.
    let refused = false;
    try {
      core.usable();
    } catch {
      refused = true;
    }
    state.set(this, { core, base, relay, accountId, username, limits, refused });
  }

  /** Releases the client's wasm memory (its credentials are wiped); it cannot be used afterwards. */
  free() {
    state.get(this)?.core.free();
  }

  [Symbol.dispose]() {
    this.free();
  }

  /** What `JSON.stringify(client)` shows: where it talks to, never a credential. */
  toJSON() {
    const { base, relay, accountId, username } = state.get(this);
    return { baseUrl: base, relay, ...(accountId === undefined ? {} : { accountId }), ...(username === undefined ? {} : { username }) };
  }

  /** The sendEmail limits in force: the `sendLimits` option, else LuxSci's documented ones. */
  get sendLimits() {
    const { maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall } = state.get(this).limits;
    return { maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall };
  }

  /** `String(client)`: names the client, never a credential. */
  toString() {
    return `LuxSciClient(${state.get(this).base})`;
  }
}
