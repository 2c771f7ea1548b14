// TypeScript: `tsc --strict --noEmit` of a consumer project (ESM and CommonJS files) that uses the client, the relay and the sandbox through the package's declarations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bin, consumerProject, root, run } from "./support.mjs";

const SOURCES = ["consumer.ts", "consumer.cts"];

test("tsc --strict --noEmit accepts the consumer, and each @ts-expect-error line is still an error", async () => {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "es2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      // esnext.disposable: wasm-bindgen classes declare [Symbol.dispose].
      lib: ["es2022", "esnext.disposable", "dom"],
      // The consumer serves the relay with node:http; @types/node comes from the workspace.
      typeRoots: [join(root, "node_modules", "@types")],
      types: ["node"],
      skipLibCheck: false,
    },
    files: SOURCES,
  };
  const project = await consumerProject({
    "tsconfig.json": JSON.stringify(tsconfig),
    ...Object.fromEntries(SOURCES.map((name) => [name, readFileSync(new URL(`./typescript/${name}`, import.meta.url))])),
  });
  try {
    const { code, stdout, stderr } = await run(bin("tsc"), ["-p", "tsconfig.json"], { cwd: project.dir });
    assert.equal(code, 0, `${stdout}${stderr}`);
  } finally {
    project.remove();
  }
});
