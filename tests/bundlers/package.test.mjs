// The packed tarball as type and package checkers see it: publint --strict, @arethetypeswrong/cli in every
// resolution mode (the .wasm subpath excepted: it has no types by nature), and a strict CommonJS TypeScript project
// ("module": "node16", "type": "commonjs") that imports and requires the package; which Node ESM file Node and
// bundlers' conditions get.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumerProject, pkgDir, root, run } from "../runtimes/support.mjs";
import { tool } from "./support.mjs";

async function tarball() {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-tarball-"));
  const pack = await run("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: pkgDir });
  assert.equal(pack.code, 0, pack.stderr);
  return { file: join(dir, pack.stdout.trim().split("\n").pop()), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

test("publint --strict and @arethetypeswrong/cli (node10, node16 from CJS and ESM, bundler) find no problem", async () => {
  const packed = await tarball();
  try {
    const lint = await run(process.execPath, [tool("publint/src/cli.js"), "--strict", packed.file]);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /All good!/);
    const attw = await run(process.execPath, [tool("@arethetypeswrong/cli/dist/index.js"), packed.file, "--exclude-entrypoints", "./luxsci_bg.wasm", "--format", "ascii"]);
    assert.equal(attw.code, 0, attw.stdout + attw.stderr);
    assert.match(attw.stdout, /No problems found/);
  } finally {
    packed.remove();
  }
});

const CONSUMER = `// A CommonJS TypeScript module: import (compiled to require) and import = require of the package and its sandbox.
import { LuxSciClient, LuxSciError, createRelay } from "luxsci";
import relay = require("luxsci/relay");
import { startSandbox } from "luxsci/sandbox";

export async function main(): Promise<number> {
  const sandbox = await startSandbox();
  const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId });
  const handler: (request: Request) => Promise<Response> = createRelay({ token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, authorize: () => true });
  const same: typeof createRelay = relay.createRelay;
  const domains = await client.getDomainsReport().catch((error: unknown) => (error instanceof LuxSciError ? [] : Promise.reject(error)));
  await sandbox.close();
  // @ts-expect-error a Domain is an object, not a number
  const wrong: number = domains[0];
  return domains.length + (same === createRelay && handler.length === 1 ? 0 : wrong);
}
`;

test("a strict CommonJS TypeScript project (module node16, type commonjs) type-checks against the package", async () => {
  const tsconfig = {
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "node16", moduleResolution: "node16", lib: ["es2022", "esnext.disposable", "dom"],
      typeRoots: [join(root, "node_modules", "@types")], types: ["node"], skipLibCheck: false },
    files: ["consumer.ts"],
  };
  const project = await consumerProject({ "tsconfig.json": JSON.stringify(tsconfig), "consumer.ts": CONSUMER });
  try {
    writeFileSync(join(project.dir, "package.json"), JSON.stringify({ name: "cjs-consumer", private: true, type: "commonjs" }));
    const { code, stdout, stderr } = await run(process.execPath, [tool("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: project.dir });
    assert.equal(code, 0, stdout + stderr);
  } finally {
    project.remove();
  }
});

test("Node's import takes index.node.mjs (the bundle by createRequire), a bundler's condition the static-import file, both the one instance require gets; stranded in a bundle, index.node.mjs says why", async () => {
  const app = `
    import { createRequire } from "node:module";
    import * as imported from "luxsci";
    const required = createRequire(import.meta.url)("luxsci");
    console.log(JSON.stringify({ entry: import.meta.resolve("luxsci").split("/").pop(), same: imported.LuxSciClient === required.LuxSciClient }));
  `;
  const project = await consumerProject({ "app.mjs": app });
  try {
    for (const [conditions, entry] of [[[], "index.node.mjs"], [["--conditions=module"], "index.node.bundlers.mjs"], [["--conditions=development"], "index.node.bundlers.mjs"]]) {
      const { code, stdout, stderr } = await run(process.execPath, [...conditions, "app.mjs"], { cwd: project.dir });
      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(stdout), { entry, same: true }, conditions.join(" "));
    }
    // index.node.mjs without the bundle beside it (a bundler that took it and cannot follow createRequire).
    const alone = join(project.dir, "alone");
    mkdirSync(alone);
    writeFileSync(join(alone, "package.json"), JSON.stringify({ type: "module" }));
    copyFileSync(join(project.dir, "node_modules", "luxsci", "index.node.mjs"), join(alone, "index.node.mjs"));
    const stranded = await run(process.execPath, ["index.node.mjs"], { cwd: alone });
    assert.notEqual(stranded.code, 0);
    assert.match(stranded.stderr, /luxsci: index\.node\.cjs is not beside the Node ESM entry.*give yours the "module" export condition/);
  } finally {
    project.remove();
  }
});
