// Deno entry: reads the package's .wasm, one folder up from this file (a file: URL), before the module finishes
// loading, so no init() is needed and a relay can be created at once (Deno reports a failed load at the import).
import init from "../luxsci.js";

await init({ module_or_path: new URL("../luxsci_bg.wasm", import.meta.url) });

export * from "./api.js";
