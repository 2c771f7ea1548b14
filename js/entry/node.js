// Node entry, bundled to CommonJS (index.node.cjs) by scripts/build.sh; the ESM entry re-exports that
// bundle so that `import` and `require` share one wasm instance and one set of error classes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync, useNativeSha256 } from "../luxsci.js";

// __dirname is the package folder: this file only ever runs as the CommonJS bundle.
initSync({ module: readFileSync(join(__dirname, "luxsci_bg.wasm")) });
// node:crypto hashes bodies and attachments several times faster than SHA-256 in wasm, in place; it is
// loaded on the first body (about 3 ms), not at import. `require` is the CommonJS bundle's own.
// hash() (Node ≥ 20.12) hashes a JSON text without making a Hash object.
let nodeCrypto;
const crypto = () => (nodeCrypto ??= require("node:crypto"));
useNativeSha256(
  () => crypto().createHash("sha256"),
  (text) => crypto().hash?.("sha256", text) ?? crypto().createHash("sha256").update(text).digest("hex"),
);

export * from "./api.js";
export { toNodeHandler } from "../node-adapter.js";
