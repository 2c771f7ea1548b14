// The package's type entry: the hand-written types, the client generated from the endpoint table,
// and the declarations of each further part of the surface.
export * from "./types.js";
export { LuxSciClient } from "./client.js";
export * from "./types/relay.js";
