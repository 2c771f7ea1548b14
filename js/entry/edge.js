// Vercel / Next.js edge entry (the "edge-light" condition): their bundlers hand over a `.wasm?module` import as a
// compiled WebAssembly.Module (a plain `.wasm` import is rejected), which is instantiated synchronously.
import wasmModule from "../luxsci_bg.wasm?module";
import { initSync } from "../luxsci.js";

initSync({ module: wasmModule });

export * from "./api.js";
