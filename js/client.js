// LuxSciClient, the class users construct, and its methods. Its options are read and checked by bind.js, its session
// and calls held by the wasm's Core (one per client, freed with it). The methods are installed on the prototype from
// the generated operations.js: one per name, dispatched by its operationId, binding its arguments at once (bind.js),
// reading its files, then running the job its client's core makes of the call (drive.js); authenticate,
// revokeAuthentication and request; sendEmailBatch, whose sender (batch.js) loads on its first call; and the report
// iterators, one per [iterator, operation] pair of REPORTS, which walk a report's pages lazily and yield its rows as
// objects keyed by the page's `header` (the walk, report-pages.js, loads on an iterator's first next()).
import { Core, relayProtocol, retryWait } from "./luxsci.js";
import { OPERATIONS, REPORTS } from "./operations.js";
import { LuxSciError, LuxSciValidationError } from "./errors.js";
import { customCall, forwardCall, operationCall, readCallOptions, readClientOptions } from "./bind.js";
import { recipientCount } from "./payload.js";
import { run } from "./drive.js";

/** Per client: its Core and what binding its calls needs of its options. */
const states = new WeakMap();

/**
 * The state of `client` (a LuxSciClient): `{ core, base, relay, accountId, username, limits, refused }`, and what
 * its calls' IO needs (drive.js): `fetch`, `onRequest`, `onResponse`, the core's reading `windows` and the relay's
 * `relayHeader` and `relayMark`.
 */
const stateOf = (client) => states.get(client);

/** Whether this runtime is a browser page or browser worker (whose fetch drops `Cookie`); Node, Deno and workerd are not. */
function inBrowser() {
  const g = globalThis;
  // Node's `process` has versions.node; a bundler's polyfill of `process` in a page does not.
  const serverSide = g.Deno !== undefined || typeof g.process?.versions?.node === "string" || g.navigator?.userAgent === "Cloudflare-Workers";
  return !serverSide && (g.document !== undefined || g.WorkerGlobalScope !== undefined);
}

export class LuxSciClient {
  /** Throws LuxSciValidationError for missing, misspelt or mistyped options. */
  constructor(options) {
    const o = readClientOptions(options);
    const core = new Core(o.base, o.token, o.secret, o.user, o.pass, o.accountId, o.username, o.timeoutMs, o.totalTimeoutMs,
      o.maxRetries, o.maxResponseBytes);
    const { base, relay, accountId, username, limits, fetch, onRequest, onResponse } = o;
    const [relayHeader, relayMark] = relayProtocol().split(" ");
    // A direct client in a browser, whose fetch drops the Cookie header and which must not hold the secret: its calls
    // are refused.
    const refused = !relay && inBrowser();
    states.set(this, { core, base, relay, accountId, username, limits, refused, fetch, onRequest, onResponse,
      windows: core.windows(), relayHeader, relayMark });
  }

  /** Releases the client's wasm memory (its credentials are wiped); it cannot be used afterwards. */
  free() {
    states.get(this)?.core.free();
  }

  [Symbol.dispose]() {
    this.free();
  }

  /** What `JSON.stringify(client)` shows: where it talks to, never a credential. */
  toJSON() {
    const { base, relay, accountId, username } = states.get(this);
    return { baseUrl: base, relay, ...(accountId === undefined ? {} : { accountId }), ...(username === undefined ? {} : { username }) };
  }

  /** The sendEmail limits in force: the `sendLimits` option, else LuxSci's documented ones. */
  get sendLimits() {
    const { maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall } = states.get(this).limits;
    return { maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall };
  }

  /** `String(client)`: names the client, never a credential. */
  toString() {
    return `LuxSciClient(${states.get(this).base})`;
  }
}

// The methods.

/** `load()`'s module (a part of the package imported on first use), or a LuxSciError naming `file` when it cannot be loaded. */
function loadPart(file, load) {
  return load().catch((cause) => {
    throw new LuxSciError(`luxsci could not load ${file}: ${cause?.message ?? cause}`, { cause });
  });
}

/** `error`, named as `operationId`'s unless it names one already. */
function tagged(error, operationId) {
  if (operationId !== undefined && error instanceof LuxSciError && error.operationId === undefined) error.operationId = operationId;
  return error;
}

const BROWSER_REFUSAL =
  "browsers drop the Cookie header that carries LuxSci's signature, and must not hold the secret: " +
  "mount createRelay() on your server and use new LuxSciClient({ baseUrl, relay: true }) here";

/**
 * The promise of a method of `client`: `bind(state)` makes `[job, call]` (or its promise, once the call's files are
 * read) from the arguments now (its failure rejects), then the job is run. A client unusable here (a direct client
 * in a browser) is refused before anything else.
 */
function start(client, bind) {
  const state = stateOf(client);
  let work;
  try {
    if (state.refused) throw new LuxSciValidationError(BROWSER_REFUSAL);
    work = bind(state);
  } catch (error) {
    return Promise.reject(error);
  }
  return typeof work.then === "function" ? work.then((made) => run(state, ...made)) : run(state, ...work);
}

/**
 * The job of a bound call, with what running it needs of the call (drive.js): at once when its body is ready (so
 * that calls start in the order they were made), else the promise of it once its files are read (a failure to read
 * them is the operation's).
 */
function job(state, call) {
  const make = ({ body, contentType, hash }) => {
    const { signal, timeoutMs, totalTimeoutMs, maxRetries } = call.options;
    const readBody = call.readBody ?? true;
    const job = call.operation === undefined
      ? state.core.call(call.method, call.path, call.query, hash, call.resendable ?? true, readBody, timeoutMs, totalTimeoutMs, maxRetries)
      : state.core.operation(call.operation, call.accountId, call.username, call.param, call.query, hash, call.idsDue, timeoutMs,
        totalTimeoutMs, maxRetries);
    return [job, { signal, body, contentType, readBody, hooked: true }];
  };
  if (call.body.payload) return make(call.body.payload);
  return call.body.read().then(make, (error) => {
    throw tagged(error, call.operation);
  });
}

/** The relay's own calls on its client, `this` being the client: a signed forward, and redaction of an answer. */
export const relayCalls = {
  forwardSigned(init) {
    return start(this, (state) => job(state, forwardCall(init)));
  },
  redactAnswer(text) {
    return stateOf(this).core.redact(text);
  },
};

// As a class body defines its methods: not enumerable.
const install = (name, method) => Object.defineProperty(LuxSciClient.prototype, name, { value: method, writable: true, configurable: true });

for (const name of OPERATIONS) {
  // A method written in an object literal under its computed name: `name` reads as the operationId in stack traces.
  const { [name]: method } = {
    [name](a, b, c) {
      return start(this, (state) => {
        let call;
        try {
          call = operationCall(state, name, a, b, c);
        } catch (error) {
          throw tagged(error, name);
        }
        return job(state, call);
      });
    },
  };
  install(name, method);
}

/** The job of authenticate() or revokeAuthentication() (`revoke`) with the call's options. */
function session(state, revoke, options) {
  const { signal, timeoutMs, totalTimeoutMs, maxRetries } = readCallOptions(options);
  return [state.core.session(revoke, timeoutMs, totalTimeoutMs, maxRetries), { signal }];
}

const sessionMethods = {
  authenticate(options) {
    return start(this, (state) => session(state, false, options));
  },
  revokeAuthentication(options) {
    return start(this, (state) => session(state, true, options));
  },
  request(method, path, init) {
    return start(this, (state) => job(state, customCall(method, path, init)));
  },
};
for (const [name, method] of Object.entries(sessionMethods)) install(name, method);

// Its sender is loaded on the first call (a method in an object literal, so that it is named sendEmailBatch).
const { sendEmailBatch } = {
  async sendEmailBatch(messages, options) {
    const batch = await loadPart("batch.js", () => import("./batch.js"));
    return batch.sendEmailBatch(this, messages, options, { retryWait, recipientCount });
  },
};
install("sendEmailBatch", sendEmailBatch);

// The report iterators.

async function* walk(...args) {
  const pages = await loadPart("report-pages.js", () => import("./report-pages.js"));
  yield* pages.walk(...args);
}

for (const [name, operation] of REPORTS) {
  // A method written in an object literal under its computed name: `name` reads as the iterator in stack traces.
  const { [name]: method } = {
    [name](query, options) {
      return walk(this, operation, query, options, name);
    },
  };
  install(name, method);
}
