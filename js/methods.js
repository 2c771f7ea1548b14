// Installs the client's operation methods on LuxSciClient.prototype, one per name in operations.js (generated from
// the endpoint table): each hands its arguments and its operationId to the wasm's one operation entry,
// `__invoke`, which is then taken off the class so that it is not part of the client's surface (as are the relay's
// signed forward and answer redaction, which relay.js takes from here). Also installs sendEmailBatch, whose sender
// (batch.js) is loaded on its first call, not with the client.
import { LuxSciClient } from "./luxsci.js";
import { OPERATIONS } from "./operations.js";
import { LuxSciError } from "./errors.js";

/** `load()`'s module (a part of the package imported on first use), or a LuxSciError naming `file` when it cannot be loaded. */
export function loadPart(file, load) {
  return load().catch((cause) => {
    throw new LuxSciError(`luxsci could not load ${file}: ${cause?.message ?? cause}`, { cause });
  });
}

const { __invoke: invoke, forwardSigned, redactAnswer } = LuxSciClient.prototype;
for (const name of ["__invoke", "forwardSigned", "redactAnswer"]) delete LuxSciClient.prototype[name];

/** The relay's own calls on its client, `this` being the client: a signed forward, and redaction of an answer. */
export const relayCalls = { forwardSigned, redactAnswer };

for (const name of OPERATIONS) {
  // A method written in an object literal under its computed name: `name` reads as the operationId in stack traces.
  const { [name]: method } = {
    [name](a, b, c) {
      return invoke.call(this, name, a, b, c);
    },
  };
  // As a class body defines its methods: not enumerable.
  Object.defineProperty(LuxSciClient.prototype, name, { value: method, writable: true, configurable: true });
}

// Its sender is loaded on the first call (a method in an object literal, so that it is named sendEmailBatch).
const { sendEmailBatch } = {
  async sendEmailBatch(messages, options) {
    const batch = await loadPart("batch.js", () => import("./batch.js"));
    return batch.sendEmailBatch(this, messages, options);
  },
};
Object.defineProperty(LuxSciClient.prototype, "sendEmailBatch", { value: sendEmailBatch, writable: true, configurable: true });
