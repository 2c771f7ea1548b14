// Shared by the bundler suites: the cached tool installs (tools/, pinned by its package-lock.json and installed by
// scripts/setup.sh), the calls every row makes (apps/) and the check of what they returned.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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

/** Every row's calls (apps/calls.js): the text of a function `calls(luxsci, options, row)`. */
export const CALLS = readFileSync(new URL("./apps/calls.js", import.meta.url), "utf8");
/** The browser rows' page script (apps/browser-app.js after CALLS), which expects LuxSciClient and LuxSciError in scope. */
export const PAGE_SCRIPT = `${CALLS}\n${readFileSync(new URL("./apps/browser-app.js", import.meta.url), "utf8")}`;

/** What every row's calls return: its domains, the file it uploaded, a LuxSciApiError 404, more than one page of users, a batch sent. */
export const expected = (row) => ({
  domainsIsArray: true,
  uploaded: { name: `${row}.txt`, size: Buffer.byteLength(`uploaded by ${row}`) },
  error: ["LuxSciApiError", 404, true],
  pagedUsers: true,
  batchSent: true,
});

/** What a Node row's handler printed (its calls' result, as its last line), as a user would check it. */
export function assertCalls({ code, stdout, stderr }, row) {
  assert.equal(code, 0, `${row}: ${stderr}`);
  assert.deepEqual(JSON.parse(stdout.trim().split("\n").pop()), expected(row));
}
