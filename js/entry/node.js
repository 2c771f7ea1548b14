// Node entry, bundled to CommonJS (index.node.cjs) by scripts/build.sh. The ESM entry imports that bundle, so that
// `import` and `require` share one wasm instance and one set of error classes.
import { initSync } from "../luxsci.js";
import { useNativeSha256 } from "../drive.js";
import { wasmFingerprint } from "../wasm-fingerprint.js";

// The .wasm: the package's own file beside the bundle where it is there (Node loading the package from node_modules;
// a file read starts ~1.3 ms faster than decoding inlined bytes), else its bytes inlined in luxsci_bg.wasm.cjs, a
// static require that bundlers follow (esbuild, ncc, bun build, Next.js), so that a bundle needs no file beside it.
// The path is written as it is from the bundle (scripts/build.sh keeps it out of the bundle).
// process.getBuiltinModule (Node ≥ 20.16) is what a bundle of this file into ESM can still call (a bundler turns
// `require` there into a stub that throws); `require` is the CommonJS bundle's own.
function initFromFile() {
  try {
    const { readFileSync } = process.getBuiltinModule?.("node:fs") ?? require("node:fs");
    const { join } = process.getBuiltinModule?.("node:path") ?? require("node:path");
    const bytes = readFileSync(join(__dirname, "luxsci_bg.wasm"));
    if (wasmFingerprint(bytes) !== WASM_FINGERPRINT) return false;
    initSync({ module: bytes });
    return true;
  } catch {
    // Not there (or no __dirname, in an ESM bundle), or not this build's: the inlined bytes.
    return false;
  }
}
if (!initFromFile()) initSync({ module: require("./luxsci_bg.wasm.cjs") });

// node:crypto hashes bodies and attachments several times faster than SHA-256 in wasm, in place; it is loaded on the
// first body (about 3 ms), not at import. hash() (Node ≥ 20.12) hashes a JSON text without making a Hash object.
let nodeCrypto;
const crypto = () => (nodeCrypto ??= process.getBuiltinModule?.("node:crypto") ?? require("node:crypto"));
useNativeSha256(
  () => crypto().createHash("sha256"),
  (text) => crypto().hash?.("sha256", text) ?? crypto().createHash("sha256").update(text).digest("hex"),
);

export * from "./api.js";
export { toNodeHandler } from "../node-adapter.js";
