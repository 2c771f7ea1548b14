// Node-targeted bundles of the packed package: esbuild --bundle --platform=node (ESM and CommonJS handlers, as AWS
// Lambda / SST ship them), @vercel/ncc, `bun build --target=bun` and Rollup (node-resolve and commonjs), each run
// from a folder with no node_modules; and the Bun runtime loading the package from node_modules. Each makes a GET, a
// Blob upload and gets a typed error.
import { test, before, after } from "node:test";
import { join } from "node:path";
import { consumerProject, run, startSandbox } from "../runtimes/support.mjs";
import { CALLS, assertCalls, detached, target, tool } from "./support.mjs";

const PRINT = "calls(luxsci, JSON.parse(process.env.LUXSCI_TARGET), process.env.LUXSCI_ROW)";
const HANDLERS = {
  "app.mjs": `import * as luxsci from "luxsci";\n${CALLS}\nconsole.log(JSON.stringify(await ${PRINT}));\n`,
  "app.cjs": `const luxsci = require("luxsci");\n${CALLS}\n${PRINT}.then((result) => console.log(JSON.stringify(result)), (error) => { console.error(error); process.exitCode = 1; });\n`,
  // The configuration the README gives for a Node bundle by Rollup: node-resolve with the "node" condition, and
  // commonjs for the CommonJS bundle that the package's Node ESM entry imports.
  "rollup.config.mjs": `import { nodeResolve } from ${JSON.stringify(tool("@rollup/plugin-node-resolve/dist/es/index.js"))};
import commonjs from ${JSON.stringify(tool("@rollup/plugin-commonjs/dist/es/index.js"))};
export default { input: "app.mjs", output: { file: "dist/rollup/app.mjs" }, plugins: [nodeResolve({ exportConditions: ["node"] }), commonjs()] };
`,
};
const BUN = tool("@oven/bun-linux-x64/bin/bun");

let sandbox, project;
before(async () => {
  sandbox = await startSandbox();
  project = await consumerProject(HANDLERS);
});
after(async () => {
  project?.remove();
  await sandbox?.close();
});

/** Builds with `command args` in the consumer project, then runs `runner out` from a copy of `dist/` alone. */
async function bundleAndRun(row, command, args, out, runner = process.execPath) {
  const built = await run(command, args, { cwd: project.dir });
  if (built.code !== 0) throw new Error(`${row} build failed: ${built.stdout}${built.stderr}`);
  const copy = detached(join(project.dir, "dist", row));
  try {
    return await run(runner, [join(copy.dir, out)], { cwd: copy.dir, env: { ...process.env, LUXSCI_TARGET: target(sandbox), LUXSCI_ROW: row } });
  } finally {
    copy.remove();
  }
}

const esbuild = tool("esbuild/bin/esbuild");
test("esbuild --bundle --platform=node, ESM handler, run from another folder", async () => {
  const row = "esbuild-esm";
  assertCalls(await bundleAndRun(row, esbuild, ["app.mjs", "--bundle", "--platform=node", "--format=esm", `--outfile=dist/${row}/app.mjs`, "--log-level=warning"], "app.mjs"), row);
});

test("esbuild --bundle --platform=node, CommonJS handler, run from another folder", async () => {
  const row = "esbuild-cjs";
  assertCalls(await bundleAndRun(row, esbuild, ["app.cjs", "--bundle", "--platform=node", `--outfile=dist/${row}/app.cjs`, "--log-level=warning"], "app.cjs"), row);
});

const ncc = tool("@vercel/ncc/dist/ncc/cli.js");
test("@vercel/ncc build of an ESM and a CommonJS handler, run from another folder", async () => {
  assertCalls(await bundleAndRun("ncc-esm", process.execPath, [ncc, "build", "app.mjs", "-o", "dist/ncc-esm", "-q"], "index.mjs"), "ncc-esm");
  assertCalls(await bundleAndRun("ncc-cjs", process.execPath, [ncc, "build", "app.cjs", "-o", "dist/ncc-cjs", "-q"], "index.cjs"), "ncc-cjs");
});

test("Rollup with node-resolve and commonjs, ESM handler, run from another folder", async () => {
  assertCalls(await bundleAndRun("rollup", process.execPath, [tool("rollup/dist/bin/rollup"), "-c", "--silent"], "app.mjs"), "rollup");
});

test("bun build --target=bun, run by Bun from another folder", async () => {
  const row = "bun-build";
  assertCalls(await bundleAndRun(row, BUN, ["build", "app.mjs", "--target=bun", `--outfile=dist/${row}/app.js`], "app.js", BUN), row);
});

test("the Bun runtime imports and requires the package from node_modules", async () => {
  const env = { ...process.env, LUXSCI_TARGET: target(sandbox) };
  assertCalls(await run(BUN, ["app.mjs"], { cwd: project.dir, env: { ...env, LUXSCI_ROW: "bun-esm" } }), "bun-esm");
  assertCalls(await run(BUN, ["app.cjs"], { cwd: project.dir, env: { ...env, LUXSCI_ROW: "bun-cjs" } }), "bun-cjs");
});
