// The package's type entry: the hand-written types, the client generated from the endpoint table,
// and the declarations of each further part of the surface.
import type { SendEmailBatchMethod } from "./types/batch.js";

export * from "./types.js";
export { LuxSciClient } from "./client.js";
export * from "./types/relay.js";
export * from "./types/batch.js";

declare module "./client.js" {
  // js/client.js installs sendEmailBatch on the class.
  interface LuxSciClient extends SendEmailBatchMethod {}
}
