// Cloudflare Workers (workerd) entry: Workers refuse to compile wasm from bytes at run time, so the
// .wasm arrives as an imported module (a WebAssembly.Module) and is instantiated synchronously.
import wasmModule from "../luxsci_bg.wasm";
import { initSync } from "../luxsci.js";

initSync({ module: wasmModule });

export * from "./api.js";
