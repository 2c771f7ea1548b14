// Node entry, bundled to CommonJS (index.node.cjs) by scripts/build.sh with the .wasm's bytes inlined (esbuild's
// binary loader), so that a bundle of the package (esbuild, ncc, bun build, Next.js) needs no file beside it. The
// ESM entry imports that bundle, so that `import` and `require` share one wasm instance and one set of error classes.
import wasmBytes from "../luxsci_bg.wasm";
import { initSync, useNativeSha256 } from "../luxsci.js";

initSync({ module: wasmBytes });
// node:crypto hashes bodies and attachments several times faster than SHA-256 in wasm, in place; it is
// loaded on the first body (about 3 ms), not at import. process.getBuiltinModule (Node ≥ 20.16) is what a bundle of
// this file into ESM can still call (a bundler turns `require` there into a stub that throws); `require` is the
// CommonJS bundle's own. hash() (Node ≥ 20.12) hashes a JSON text without making a Hash object.
let nodeCrypto;
const crypto = () => (nodeCrypto ??= process.getBuiltinModule?.("node:crypto") ?? require("node:crypto"));
useNativeSha256(
  () => crypto().createHash("sha256"),
  (text) => crypto().hash?.("sha256", text) ?? crypto().createHash("sha256").update(text).digest("hex"),
);

export * from "./api.js";
export { toNodeHandler } from "../node-adapter.js";
