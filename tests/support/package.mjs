// The built package as a consumer imports it: LUXSCI_PKG (default pkg/) names the folder.
import { createRequire } from "node:module";
import { resolve } from "node:path";

export const pkgDir = resolve(process.env.LUXSCI_PKG ?? new URL("../../pkg", import.meta.url).pathname);
export const luxsci = await import(`${pkgDir}/index.node.mjs`);
export const luxsciCjs = createRequire(import.meta.url)(`${pkgDir}/index.node.cjs`);
