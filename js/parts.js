// What the parts of the client loaded on first use (batch.js, report-pages.js, relay-handler.js) take from the modules
// the client loads at import: through this one module, so that a bundle of an entry (scripts/build.sh) keeps all of
// those shared modules in one chunk beside it, not in one chunk per combination of parts that use them.
export { matchOperation, retryWait } from "./luxsci.js";
export * from "./errors.js";
export { checkKeys, isPlainObject } from "./checks.js";
export { recipientCount } from "./payload.js";
