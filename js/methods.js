// Installs the client's methods on LuxSciClient.prototype: one per name in operations.js (generated from the
// endpoint table), dispatched by its operationId; authenticate, revokeAuthentication and request; and sendEmailBatch,
// whose sender (batch.js) is loaded on its first call, not with the client. A method binds its arguments at once
// (bind.js), reads its files, then runs the job its client's core makes of the call (drive.js).
import { LuxSciClient, stateOf } from "./client.js";
import { OPERATIONS } from "./operations.js";
import { LuxSciError } from "./errors.js";
import { customCall, forwardCall, operationCall } from "./bind.js";
import { readCallOptions } from "./options.js";
import { run } from "./drive.js";

/** `load()`'s module (a part of the package imported on first use), or a LuxSciError naming `file` when it cannot be loaded. */
export function loadPart(file, load) {
  return load().catch((cause) => {
    throw new LuxSciError(`luxsci could not load ${file}: ${cause?.message ?? cause}`, { cause });
  });
}

/** `error`, named as `operationId`'s unless it names one already. */
function tagged(error, operationId) {
  if (operationId !== undefined && error instanceof LuxSciError && error.operationId === undefined) error.operationId = operationId;
  return error;
}

/**
 * The promise of a method of `client`: `bind(state)` makes the job (or its promise, once the call's files are read)
 * from the arguments now (its failure rejects), then the job is run. A client unusable here (a direct client in a
 * browser) is refused before anything else.
 */
function start(client, bind) {
  const state = stateOf(client);
  let work;
  try {
    if (state.refused) state.core.usable();
    work = bind(state);
  } catch (error) {
    return Promise.reject(error);
  }
  return typeof work.then === "function" ? work.then((job) => run(state, job)) : run(state, work);
}

/**
 * The job of a bound call: at once when its body is ready (so that calls start in the order they were made), else
 * the promise of it once its files are read (a failure to read them is the operation's).
 */
function job(state, call) {
  const make = ({ body, contentType, hash }) => {
    const { signal, timeoutMs, totalTimeoutMs, maxRetries } = call.options;
    if (call.operation === undefined) {
      return state.core.call(call.method, call.path, call.query, body, contentType, hash, call.resendable ?? true,
        call.readBody ?? true, signal, timeoutMs, totalTimeoutMs, maxRetries);
    }
    return state.core.operation(call.operation, call.accountId, call.username, call.param, call.query, body, contentType, hash,
      call.idsDue, signal, timeoutMs, totalTimeoutMs, maxRetries);
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
  return state.core.session(revoke, signal, timeoutMs, totalTimeoutMs, maxRetries);
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
    return batch.sendEmailBatch(this, messages, options);
  },
};
install("sendEmailBatch", sendEmailBatch);
