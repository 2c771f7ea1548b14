// Each operation method reaches its own table row by its operationId, never by its place in the generated list: a
// package whose js/operations.js lists the methods in another order (stale, hand-edited, or bundled out of step
// with the wasm) still sends getDomainDetails as a GET and deleteDomain as a DELETE.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { luxsci, pkgDir } from "../support/package.mjs";

test("a client has no undocumented methods: the wasm's operation entry and the relay's signed forward are not on it", () => {
  const client = new luxsci.LuxSciClient({ baseUrl: "http://127.0.0.1:9", token: "t", secret: "secret-secret-secret" });
  for (const name of ["__invoke", "forwardSigned", "redactAnswer"]) assert.equal(name in client, false, name);
});

test("a method list in another order than the table still sends each operation as itself", async () => {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-dispatch-"));
  try {
    cpSync(pkgDir, dir, { recursive: true });
    const list = join(dir, "modules", "operations.js");
    const text = readFileSync(list, "utf8");
    const [get, del] = ['"getDomainDetails"', '"deleteDomain"'];
    assert.ok(text.includes(get) && text.includes(del));
    writeFileSync(list, text.replace(get, "\0").replace(del, get).replace("\0", del));

    const url = (file) => pathToFileURL(join(dir, file)).href;
    const { default: init } = await import(url("modules/luxsci.js"));
    await init({ module_or_path: readFileSync(join(dir, "luxsci_bg.wasm")) });
    const { LuxSciClient } = await import(url("modules/entry/api.js"));

    const sent = [];
    const client = new LuxSciClient({
      baseUrl: "http://127.0.0.1:9",
      token: "token",
      secret: "secret-secret-secret",
      accountId: 7,
      fetch: async (target, init) => {
        const path = new URL(target).pathname;
        if (path.endsWith("/auth")) return Response.json({ success: 1, auth: "code-1" });
        sent.push(`${init.method} ${path}`);
        return Response.json({ success: 1, data: {} });
      },
    });
    await client.getDomainDetails("example.com");
    await client.deleteDomain("example.org");
    assert.deepEqual(sent, [
      "GET /perl/api/v2/account/7/domains/example.com",
      "DELETE /perl/api/v2/account/7/domains/example.org",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
