// Browser and Deno entry: fetches the package's .wasm, one folder up from this file (instantiateStreaming where served as
// application/wasm; a file: URL in Deno) before the module finishes loading, so no init() is needed.
import init from "../luxsci.js";

await init({ module_or_path: new URL("../luxsci_bg.wasm", import.meta.url) });

export * from "./api.js";
