// Node entry, bundled to CommonJS (index.node.cjs) by scripts/build.sh; the ESM entry re-exports that
// bundle so that `import` and `require` share one wasm instance and one set of error classes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync, useNativeSha256 } from "../luxsci.js";

// __dirname is the package folder: this file only ever runs as the CommonJS bundle.
initSync({ module: readFileSync(join(__dirname, "luxsci_bg.wasm")) });
// node:crypto hashes bodies and attachments several times faster than SHA-256 in wasm, in place; it is
// loaded on the first body (about 3 ms), not at import. `require` is the CommonJS bundle's own.
let nodeCrypto;
useNativeSha256(() => (nodeCrypto ??= require("node:crypto")).createHash("sha256"));

export * from "./api.js";
export { toNodeHandler } from "../node-adapter.js";
