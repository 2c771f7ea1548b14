// Node entry, bundled to CommonJS (index.node.cjs) by scripts/build.sh; the ESM entry re-exports that
// bundle so that `import` and `require` share one wasm instance and one set of error classes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "../luxsci.js";

// __dirname is the package folder: this file only ever runs as the CommonJS bundle.
initSync({ module: readFileSync(join(__dirname, "luxsci_bg.wasm")) });

export * from "./api.js";
export { toNodeHandler } from "../node-adapter.js";
