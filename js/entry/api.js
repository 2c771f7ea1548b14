// The public surface shared by every runtime entry: the client, the relay and the error classes. The batch sender,
// the report walk and the relay's request handling are imported on first use (bundlers follow those imports).
// Each entry initialises the wasm core its own way, then re-exports this.

export { LuxSciClient } from "../client.js";
import "../methods.js"; // installs one method per LuxSci operation, and sendEmailBatch (its sender loads on first use)
import "../reports.js"; // installs the report iterators (iterateAccountSmtpSentReport, …; their walk loads on first use)
export { createRelay } from "../relay.js";
export * from "../errors.js";
