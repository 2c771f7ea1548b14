// The public surface shared by every runtime entry: the client, the relay and the error classes.
// Each entry initialises the wasm core its own way, then re-exports this.

export { LuxSciClient } from "../luxsci.js";
import "../methods.js"; // installs one method per LuxSci operation
import "../batch.js"; // installs LuxSciClient.prototype.sendEmailBatch
import "../reports.js"; // installs the report iterators (iterateAccountSmtpSentReport, …)
export { createRelay } from "../relay.js";
export * from "../errors.js";
