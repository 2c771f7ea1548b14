// Installs the report iterators on LuxSciClient.prototype, one per [iterator, operation] pair of REPORTS (generated
// from the endpoint table): each walks the report's pages lazily and yields its rows as objects keyed by the page's
// `header`. The walk (report-pages.js) is loaded on an iterator's first next(), not with the client.
import { LuxSciClient } from "./client.js";
import { REPORTS } from "./operations.js";
import { loadPart } from "./methods.js";

async function* walk(...args) {
  const pages = await loadPart("report-pages.js", () => import("./report-pages.js"));
  yield* pages.walk(...args);
}

for (const [name, operation] of REPORTS) {
  // A method written in an object literal under its computed name: `name` reads as the iterator in stack traces.
  const { [name]: method } = {
    [name](query, options) {
      return walk(this, operation, query, options, name);
    },
  };
  Object.defineProperty(LuxSciClient.prototype, name, { value: method, writable: true, configurable: true });
}
