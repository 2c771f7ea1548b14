// Writes the Node ESM entries beside the CommonJS bundle in the package folder given (scripts/build.sh runs it). Both
// hand over the bundle's exports, so that import and require share one instance. Node's (index.node.mjs, the "import"
// condition) loads the bundle with createRequire: a static import of CommonJS would cost ~2 ms at start (Node loads its
// CommonJS export scanner for it). Bundlers cannot follow createRequire; they match one of the "module", "webpack",
// "bun", "production" or "development" conditions, which Node does not set (unless told to, when it takes the other
// file, which works in Node too), and take index.node.bundlers.mjs: a static import of a two-line CommonJS file that
// hands over the bundle's exports as its default only (scanning that, not the whole bundle, for export names). Named
// exports listed, not `export *`, for the same reason.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const out = resolve(process.argv[2]);
const names = Object.keys(createRequire(import.meta.url)(`${out}/index.node.cjs`)).join(", ");

writeFileSync(`${out}/index.node.mjs`, `// The Node ESM entry: the CommonJS bundle's exports, loaded by createRequire (faster in Node than a static
// import of CommonJS). Bundlers cannot follow it: they take index.node.bundlers.mjs by the "module", "webpack", "bun",
// "production" or "development" export condition.
import { createRequire } from "node:module";

let luxsci;
try {
  luxsci = createRequire(import.meta.url)("./index.node.cjs");
} catch (cause) {
  if (cause?.code !== "MODULE_NOT_FOUND" || !String(cause.message).includes("index.node.cjs")) throw cause;
  throw new Error('luxsci: index.node.cjs is not beside the Node ESM entry, which is for Node itself: a bundler took it ' +
    '(esbuild, webpack, Rollup, Vite and Bun take index.node.bundlers.mjs; give yours the "module" export condition)', { cause });
}
export const { ${names} } = luxsci;
`);
writeFileSync(`${out}/index.node.default.cjs`, `// The Node bundle's exports as a default only, for index.node.bundlers.mjs.
const luxsci = require("./index.node.cjs");
module.exports = luxsci;
`);
writeFileSync(`${out}/index.node.bundlers.mjs`, `// The Node ESM entry for bundlers (by the conditions bundlers set): a static import of the CommonJS
// bundle's exports, which bundlers follow.
import luxsci from "./index.node.default.cjs";
export const { ${names} } = luxsci;
`);
