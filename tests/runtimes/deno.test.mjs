// Deno (npm `deno`): a program that imports "luxsci" from node_modules runs against the sandbox with narrow permissions, and `deno check` type-checks it against the package's declarations.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bin, consumerProject, root, run, startSandbox } from "./support.mjs";

const APP = readFileSync(new URL("./deno/app.ts", import.meta.url));
const deno = (project, args, env = {}) =>
  run(bin("deno"), args, {
    cwd: project.dir,
    env: { ...process.env, DENO_DIR: join(root, ".deno-cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
  });

let sandbox, project;
before(async () => {
  sandbox = await startSandbox();
  project = await consumerProject({ "app.ts": APP });
});
after(async () => {
  project?.remove();
  await sandbox?.close();
});

test("a Deno program imports luxsci, calls the sandbox directly and through a relay served by Deno.serve", async () => {
  const info = { url: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username };
  const { code, stdout, stderr } = await deno(
    project,
    // The only reads are the program and its node_modules (the .wasm is fetched from a file: URL).
    ["run", "--allow-net=127.0.0.1", "--allow-env=LUXSCI_SANDBOX", `--allow-read=${project.dir}`, "app.ts"],
    { LUXSCI_SANDBOX: JSON.stringify(info) },
  );
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), {
    domain: "deno.example",
    stored: "deno.txt",
    missing: { name: "LuxSciApiError", status: 404, isApiError: true },
    viaRelay: "deno.example",
    refused: { name: "LuxSciRelayError", status: 401, isApiError: false },
  });
  assert.ok(!stdout.includes(sandbox.secret) && !stderr.includes(sandbox.secret));
});

test("deno check accepts the program, and its @ts-expect-error lines prove wrong argument types are rejected", async () => {
  const { code, stdout, stderr } = await deno(project, ["check", "app.ts"]);
  assert.equal(code, 0, `${stdout}\n${stderr}`);
});
