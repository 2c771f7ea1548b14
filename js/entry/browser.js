// Browser entry (and bundlers' default): starts fetching and compiling the package's .wasm, one folder up from this
// file, at import, without top-level await, so that `require("luxsci")` in a bundle gets the module itself (not a
// Promise) and a failed load is an error every call rejects with, not an import that never settles. A client
// made before the wasm is ready takes its options then, and its calls wait for it.
import init from "../luxsci.js";
import { LuxSciClient as Client } from "../client.js";
import { OPERATIONS } from "../operations.js";
import { LuxSciError } from "../errors.js";

const url = new URL("../luxsci_bg.wasm", import.meta.url);
let failure; // the LuxSciError every call rejects with once loading failed
let loaded = false;
const loading = init({ module_or_path: url }).then(
  () => void (loaded = true),
  (cause) => {
    failure = new LuxSciError(`luxsci could not load its WebAssembly from ${url}: ${cause?.message ?? cause}`, { cause });
    throw failure;
  },
);
loading.catch(() => {}); // reported through the calls, not as an unhandled rejection

const CORE = Symbol("luxsci.core"); // a client made early: the promise of the client made once the wasm is ready
const READY = Symbol("luxsci.ready"); // that client, once made

export class LuxSciClient extends Client {
  constructor(options) {
    if (loaded) return super(options);
    const early = Object.create(new.target.prototype);
    early[CORE] = loading.then(() => (early[READY] = new Client(options)));
    early[CORE].catch(() => {});
    return early;
  }
}

// The asynchronous members of an early client wait for its real one; others' go straight to the wasm.
for (const name of [...OPERATIONS, "authenticate", "revokeAuthentication", "request", "sendEmailBatch"]) {
  const direct = Client.prototype[name];
  const { [name]: method } = {
    [name](...args) {
      const core = this[READY] ?? this[CORE];
      if (!core) return direct.apply(this, args);
      return core instanceof Client ? core[name](...args) : core.then((client) => client[name](...args));
    },
  };
  Object.defineProperty(LuxSciClient.prototype, name, { value: method, writable: true, configurable: true });
}

// Its synchronous members answer once the wasm is ready; before, they throw (the reason, if loading failed).
const synchronous = (name, read) => {
  const direct = Object.getOwnPropertyDescriptor(Client.prototype, name);
  const pick = (self) => {
    if (!self[CORE]) return self;
    if (self[READY]) return self[READY];
    throw failure ?? new LuxSciError(`luxsci is still loading its WebAssembly: LuxSciClient.${name} is available once a call has resolved`);
  };
  Object.defineProperty(LuxSciClient.prototype, name, read ? { get() { return direct.get.call(pick(this)); }, configurable: true }
    : { value(...args) { return direct.value.apply(pick(this), args); }, writable: true, configurable: true });
};
synchronous("sendLimits", true);
synchronous("toJSON");
synchronous("toString");

// free() and Symbol.dispose release an early client's real one once it exists.
function free() {
  if (!this[CORE]) return Client.prototype.free.call(this);
  this[CORE].then((client) => client.free(), () => {});
}
Object.defineProperty(LuxSciClient.prototype, "free", { value: free, writable: true, configurable: true });
if (Symbol.dispose) Object.defineProperty(LuxSciClient.prototype, Symbol.dispose, { value: free, writable: true, configurable: true });

export * from "./api.js";
