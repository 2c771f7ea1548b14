// Vercel / Next.js edge entry (the "edge-light" condition): their bundlers hand over a `.wasm?module` import as a
// compiled WebAssembly.Module (a plain `.wasm` import is rejected), which is instantiated synchronously.
import wasmModule from "../luxsci_bg.wasm?module";
import { initSync } from "../luxsci.js";

// Next.js's edge sandbox (next start, next dev, and its build's page-data step) compiles that module in another realm,
// whose WebAssembly.Module fails initSync's `instanceof` check (initSync would then compile the Module as if it were
// bytes, and throw): such a module is given this realm's class, which changes nothing else about it.
const foreign = !(wasmModule instanceof WebAssembly.Module) && Object.prototype.toString.call(wasmModule) === "[object WebAssembly.Module]";
initSync({ module: foreign ? Object.setPrototypeOf(wasmModule, WebAssembly.Module.prototype) : wasmModule });

export * from "./api.js";
