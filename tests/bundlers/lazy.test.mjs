// What `import "luxsci"` loads at once, and what only on first use: every web entry is bundled into one file loaded
// at import, and the batch sender, the report walk and the relay's request handling are files beside it reached
// through a dynamic import() alone (which bundlers and browsers follow when it is used), and the fleet's
// rules not at all; the Node CommonJS bundle carries them inside it, so that it runs, sendEmailBatch, a report iterator
// and a relay included, from a folder with nothing beside it. A part that cannot be loaded is an error that names it
// (tested on the package's modules before bundling, which Node can load without a bundler).
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pkgDir, root, run, startSandbox } from "../runtimes/support.mjs";

const esbuild = await import(join(root, "node_modules/esbuild/lib/main.js"));
const LAZY = ["batch", "report-pages", "relay-handler"];
// Node's entry is one CommonJS bundle (the last test), whose import()s of these files run their code on first use.
const ENTRIES = ["entry/browser.js", "entry/workerd.js", "entry/edge.js", "entry/deno.js"];
const modulesDir = join(pkgDir, "modules");

/** The package files `entry` imports statically (at load), and those it reaches only through import(). */
async function graph(entry) {
  const { metafile } = await esbuild.build({
    entryPoints: [join(pkgDir, entry)], bundle: true, write: false, metafile: true, format: "esm", platform: "neutral",
    external: ["*.wasm", "*.wasm?module", "node:*"], logLevel: "silent", absWorkingDir: pkgDir, outdir: "out",
  });
  const eager = new Set([entry]);
  const dynamic = new Set();
  for (const file of eager) {
    for (const { path, kind, external } of metafile.inputs[file].imports) {
      if (external) continue;
      (kind === "dynamic-import" ? dynamic : eager).add(path);
    }
  }
  return { eager, dynamic, all: Object.keys(metafile.inputs) };
}

const part = (file) => LAZY.find((name) => file === `entry/${name}.js`);

for (const entry of ENTRIES) {
  test(`${entry} loads one file at import, the batch sender, the report walk and the relay's request handling only on first use`, async () => {
    const { eager, dynamic, all } = await graph(entry);
    assert.equal(eager.size, 1, `loaded at import: ${[...eager].join(", ")}`);
    assert.deepEqual([...eager].filter(part), [], "no part loaded on first use is imported at load");
    assert.deepEqual(LAZY.filter((name) => ![...dynamic].some((file) => part(file) === name)), [], `reached through import(): ${[...dynamic].join(", ")}`);
    const code = all.map((file) => readFileSync(join(pkgDir, file), "utf8")).join("\n");
    assert.ok(!code.includes("needs windows: { limit, windowMs }"), "the fleet's rules are not part of the client");
    assert.match(readFileSync(join(pkgDir, entry), "utf8"), /\bas createRelay\b|\bcreateRelay\b/, "the entry exports createRelay");
  });
}

test("index.node.cjs, with only its inlined .wasm bytes beside it, sends a batch, walks a report and serves a relay", async () => {
  const bundle = readFileSync(join(pkgDir, "index.node.cjs"), "utf8");
  const loads = [...bundle.matchAll(/(?:require|import)\(["'](\.{1,2}\/[^"']*)["']\)/g)].map((match) => match[1]);
  assert.deepEqual(loads, ["./luxsci_bg.wasm.cjs"], "the bundle loads no file of the package beside it but the .wasm's bytes");
  const dir = mkdtempSync(join(tmpdir(), "luxsci-alone-"));
  const sandbox = await startSandbox();
  try {
    copyFileSync(join(pkgDir, "index.node.cjs"), join(dir, "luxsci.cjs"));
    copyFileSync(join(pkgDir, "luxsci_bg.wasm.cjs"), join(dir, "luxsci_bg.wasm.cjs"));
    // A .wasm of another build beside it is not used.
    writeFileSync(join(dir, "luxsci_bg.wasm"), readFileSync(join(pkgDir, "luxsci_bg.wasm")).subarray(0, 4096));
    writeFileSync(join(dir, "app.cjs"), `
      const { LuxSciClient, LuxSciValidationError, createRelay } = require("./luxsci.cjs");
      const [baseUrl, token, secret, accountId, username] = process.argv.slice(2);
      (async () => {
        const client = new LuxSciClient({ baseUrl, token, secret, accountId, username });
        const to = ["someone@example.com"];
        const batch = await client.sendEmailBatch([{ to, subject: "a", body: "b" }]);
        const badOption = await client.sendEmailBatch([], { nope: 1 }).catch((error) => error instanceof LuxSciValidationError);
        const rows = [];
        for await (const row of client.iterateUsersReport({}, { pageSize: 1 })) rows.push(row);
        const relay = createRelay({ baseUrl, token, secret, authorize: () => true });
        const refused = await relay(new Request("http://relay.example/perl/api/v2/account/1/domains"));
        const relayError = await refused.json();
        console.log(JSON.stringify({ sent: typeof batch[0].sendmailId === "string" ? "string" : String(batch[0].error), badOption, rows: rows.length > 0, relay: [refused.status, relayError.success] }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `);
    const { code, stdout, stderr } = await run(process.execPath, ["app.cjs", sandbox.url, sandbox.token, sandbox.secret, String(sandbox.accountId), sandbox.username], { cwd: dir });
    assert.equal(code, 0, stderr);
    // The relay refuses a request without the relay-mode client's header, in its own words: its handling loaded.
    assert.deepEqual(JSON.parse(stdout.trim().split("\n").pop()), { sent: "string", badOption: true, rows: true, relay: [403, 0] });
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a relay whose request handling cannot be loaded answers 500 in its own name and tells onError why", async () => {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-no-handler-"));
  try {
    cpSync(modulesDir, dir, { recursive: true, filter: (from) => !from.endsWith("relay-handler.js") });
    const { initSync } = await import(`${dir}/luxsci.js`);
    initSync({ module: readFileSync(join(pkgDir, "luxsci_bg.wasm")) });
    const { createRelay } = await import(`${dir}/relay.js`);
    const reported = [];
    const relay = createRelay({ baseUrl: "http://127.0.0.1:9", token: "t", secret: "s", authorize: () => true, onError: (error) => reported.push(error) });
    for (let i = 0; i < 2; i++) {
      const answer = await relay(new Request("http://relay.example/perl/api/v2/account/1/domains"));
      assert.equal(answer.status, 500);
      assert.equal(answer.headers.get("luxsci-relay"), "relay");
      assert.deepEqual(await answer.json(), { success: 0, error_message: "the relay failed" });
    }
    // Each request tries the import again (a failed one is not kept).
    assert.equal(reported.length, 2);
    assert.match(String(reported[0]?.message), /relay-handler\.js/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sendEmailBatch and a report iterator whose part cannot be loaded reject with a LuxSciError naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-no-parts-"));
  try {
    cpSync(modulesDir, dir, { recursive: true, filter: (from) => !/(batch|report-pages)\.js$/.test(from) });
    const { initSync } = await import(`${dir}/luxsci.js`);
    initSync({ module: readFileSync(join(pkgDir, "luxsci_bg.wasm")) });
    const { LuxSciClient } = await import(`${dir}/client.js`); // with its methods and report iterators
    const { LuxSciError } = await import(`${dir}/errors.js`);
    const client = new LuxSciClient({ baseUrl: "http://127.0.0.1:9", token: "t", secret: "s", accountId: "1", username: "u@example.com" });
    const batch = await client.sendEmailBatch([]).catch((error) => error);
    assert.ok(batch instanceof LuxSciError, String(batch));
    assert.match(batch.message, /^luxsci could not load batch\.js: /);
    assert.ok(batch.cause, "the import's own error is its cause");
    const report = await client.iterateUsersReport().next().catch((error) => error);
    assert.ok(report instanceof LuxSciError, String(report));
    assert.match(report.message, /^luxsci could not load report-pages\.js: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
