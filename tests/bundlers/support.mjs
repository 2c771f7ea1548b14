// Shared by the bundler suites: the cached tool installs (tools/, pinned by its package-lock.json and installed by
// scripts/setup.sh), the app every Node row bundles, and the check of what that app printed.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const tools = new URL("./tools/node_modules/", import.meta.url).pathname;
/** A tool's command-line entry in the cached install. */
export const tool = (path) => join(tools, path);

/** The client options for the sandbox, as the apps read them from LUXSCI_TARGET. */
export const target = (sandbox) =>
  JSON.stringify({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username });

/** Copies a built bundle's folder to a fresh folder with no node_modules anywhere above it; resolves to { dir, remove() }. */
export function detached(from) {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-detached-"));
  cpSync(from, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a Node row's app printed after its GET, its Blob upload and its typed error, as a user would check it. */
export function assertCalls({ code, stdout, stderr }, row) {
  assert.equal(code, 0, `${row}: ${stderr}`);
  const out = JSON.parse(stdout.trim().split("\n").pop());
  assert.deepEqual(out, {
    domainsIsArray: true,
    uploaded: { name: `${row}.txt`, size: Buffer.byteLength(`uploaded by ${row}`) },
    error: ["LuxSciApiError", 404, true],
  });
}
