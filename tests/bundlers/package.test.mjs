// The packed tarball as type and package checkers see it: publint --strict, @arethetypeswrong/cli in every
// resolution mode (the .wasm subpath excepted: it has no types by nature), and a strict CommonJS TypeScript project
// ("module": "node16", "type": "commonjs") that imports and requires the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
