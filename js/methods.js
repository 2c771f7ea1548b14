// Installs the client's methods on LuxSciClient.prototype: one per name in operations.js (generated from the
// endpoint table), each handing its arguments and its operationId to the wasm's one operation entry, `__invoke`;
// authenticate, revokeAuthentication and request over theirs. Each entry binds the arguments into a job at once, which
// drive.js runs; the entries are then taken off the class so that they are not part of the client's surface (as are
// the relay's signed forward and answer redaction, which relay.js takes from here). Also installs sendEmailBatch,
// whose sender (batch.js) is loaded on its first call, not with the client.
import { LuxSciClient } from "./luxsci.js";
import { OPERATIONS } from "./operations.js";
import { LuxSciError } from "./errors.js";
import { run } from "./drive.js";

/** `load()`'s module (a part of the package imported on first use), or a LuxSciError naming `file` when it cannot be loaded. */
export function loadPart(file, load) {
  return load().catch((cause) => {
    throw new LuxSciError(`luxsci could not load ${file}: ${cause?.message ?? cause}`, { cause });
  });
}

const entries = ["__invoke", "__authenticate", "__revoke", "__request", "forwardSigned", "redactAnswer"];
const { __invoke: invoke, __authenticate, __revoke, __request, forwardSigned, redactAnswer } = LuxSciClient.prototype;
for (const name of entries) delete LuxSciClient.prototype[name];

/** The promise of a method of `client`: the job `bind` makes of its arguments now (or its error), run. */
function start(client, bind, ...args) {
  let job;
  try {
    job = bind.apply(client, args);
  } catch (error) {
    return Promise.reject(error);
  }
  return run(client, job);
}

/** The relay's own calls on its client, `this` being the client: a signed forward, and redaction of an answer. */
export const relayCalls = {
  forwardSigned(init) {
    return start(this, forwardSigned, init);
  },
  redactAnswer,
};

// As a class body defines its methods: not enumerable.
const install = (name, method) => Object.defineProperty(LuxSciClient.prototype, name, { value: method, writable: true, configurable: true });

for (const name of OPERATIONS) {
  // A method written in an object literal under its computed name: `name` reads as the operationId in stack traces.
  const { [name]: method } = {
    [name](a, b, c) {
      return start(this, invoke, name, a, b, c);
    },
  };
  install(name, method);
}
const session = {
  authenticate(options) {
    return start(this, __authenticate, options);
  },
  revokeAuthentication(options) {
    return start(this, __revoke, options);
  },
  request(method, path, init) {
    return start(this, __request, method, path, init);
  },
};
for (const [name, method] of Object.entries(session)) install(name, method);

// Its sender is loaded on the first call (a method in an object literal, so that it is named sendEmailBatch).
const { sendEmailBatch } = {
  async sendEmailBatch(messages, options) {
    const batch = await loadPart("batch.js", () => import("./batch.js"));
    return batch.sendEmailBatch(this, messages, options);
  },
};
install("sendEmailBatch", sendEmailBatch);
