// The public surface shared by every runtime entry: the client, the relay and the error classes. The batch sender,
// the report walk and the relay's request handling are imported on first use (bundlers follow those imports).
// Each entry initialises the wasm core its own way, then re-exports this.

// client.js installs the client's methods as it loads: one per LuxSci operation, sendEmailBatch and the report
// iterators (their sender and walk load on first use).
export { LuxSciClient } from "../client.js";
export { createRelay } from "../relay.js";
export * from "../errors.js";
