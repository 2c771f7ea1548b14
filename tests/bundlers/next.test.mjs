// Next.js 16 with the packed package, one app (apps/next) built by Turbopack (the default) and by webpack, served by
// `next start`, and run by `next dev`: a Node-runtime route handler with a direct client, an edge-runtime route
// handler and edge middleware (the "edge-light" entry), and a page that a headless Chromium opens, whose relay-mode
// client calls through a createRelay() route. Each makes a GET, a Blob upload and gets a typed error. The app's
// next.config.mjs is the README's one line for a relay route.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, renameSync } from "node:fs";
import { join } from "node:path";
import { consumerProject, freePorts, run, start, startSandbox, until } from "../runtimes/support.mjs";
import { openBrowser } from "../runtimes/webdriver.mjs";
import { CALLS, PAGE_SCRIPT, expected, target, tools } from "./support.mjs";

let sandbox, project, browser, env, NEXT;
before(async () => {
  sandbox = await startSandbox();
  project = await consumerProject({
    "calls.js": `${CALLS}\nexport { calls };\n`,
    "app/relay/page-script.js": `import { LuxSciClient, LuxSciError } from "luxsci";\n${PAGE_SCRIPT}`,
  });
  cpSync(new URL("./apps/next/", import.meta.url).pathname, project.dir, { recursive: true });
  // Next.js, React and the rest of the cached tools beside the package: hard links where the temporary folder is on
  // the same filesystem (no copying), a copy where it is not.
  const into = join(project.dir, "node_modules");
  let linked = await run("cp", ["-al", `${tools}.`, into]);
  if (linked.code !== 0) linked = await run("cp", ["-a", `${tools}.`, into]);
  assert.equal(linked.code, 0, linked.stderr);
  // Next.js run from the project's node_modules, where the app's React is (one React, as in a user's project).
  NEXT = join(project.dir, "node_modules", "next", "dist", "bin", "next");
  env = { ...process.env, LUXSCI_TARGET: target(sandbox), NEXT_TELEMETRY_DISABLED: "1" };
  browser = await openBrowser();
});
after(async () => {
  await browser?.quit();
  project?.remove();
  await sandbox?.close();
});

async function build(args) {
  const built = await run(process.execPath, [NEXT, "build", ...args], { cwd: project.dir, env });
  assert.equal(built.code, 0, `next build ${args.join(" ")}: ${built.stdout}${built.stderr}`);
}

/** Runs `next <command>` on a free 127.0.0.1 port until `check(url)` has finished. */
async function serving(command, check) {
  const [port] = await freePorts();
  const server = start(process.execPath, [NEXT, command, "-H", "127.0.0.1", "-p", String(port)], { cwd: project.dir, env });
  const url = `http://127.0.0.1:${port}`;
  try {
    // Ready once the relay page answers (next dev compiles it on this first request).
    await until(async () => (await fetch(`${url}/relay`)).ok, `next ${command} (${server.output()})`);
    await check(url);
  } catch (error) {
    error.message += `\nnext ${command} said: ${server.output()}`;
    throw error;
  } finally {
    await server.stop();
  }
}

/** GET `path` with the row in its query, as a user's client would; its JSON must be the row's calls' result. */
async function assertRoute(url, path, row) {
  const response = await fetch(`${url}${path}?row=${row}`);
  const text = await response.text();
  assert.equal(response.status, 200, `${row}: ${text}`);
  assert.deepEqual(JSON.parse(text), expected(row));
}

/** The relay page in Chromium: its relay-mode client calls through the app's createRelay() route. */
async function assertRelayPage(url, row) {
  await browser.open(`${url}/relay?${new URLSearchParams({ row, accountId: sandbox.accountId, username: sandbox.username })}`);
  const state = await browser.settled("loading");
  const out = await browser.text("#out");
  assert.equal(state, "done", `${row}: ${out}`);
  assert.deepEqual(JSON.parse(out), expected(row));
}

test("next build (Turbopack), next start: Node and edge route handlers, edge middleware, a page through createRelay", async () => {
  await build([]);
  await serving("start", async (url) => {
    await assertRoute(url, "/node-route", "next-turbopack-node");
    await assertRoute(url, "/edge-route", "next-turbopack-edge-route");
    await assertRoute(url, "/edge-middleware", "next-turbopack-edge-middleware");
    await assertRelayPage(url, "next-turbopack-relay");
  });
});

test("next build --webpack, next start: Node route handler, edge middleware, a page through createRelay", async () => {
  // Next.js 16.4's webpack build fails on any edge-runtime route handler, this package or not (ENOENT
  // …/route_client-reference-manifest.js): the route is left out of this build (a folder named _… is private), and
  // the edge runtime is covered by the middleware, which that build compiles with the same "edge-light" entry.
  const [routed, hidden] = [join(project.dir, "app", "edge-route"), join(project.dir, "app", "_edge-route")];
  renameSync(routed, hidden);
  try {
    await build(["--webpack"]);
  } finally {
    renameSync(hidden, routed);
  }
  await serving("start", async (url) => {
    await assertRoute(url, "/node-route", "next-webpack-node");
    await assertRoute(url, "/edge-middleware", "next-webpack-edge-middleware");
    await assertRelayPage(url, "next-webpack-relay");
  });
});

test("next dev (Turbopack) answers: Node and edge route handlers, edge middleware, a page through createRelay", async () => {
  await serving("dev", async (url) => {
    await assertRoute(url, "/node-route", "next-dev-node");
    await assertRoute(url, "/edge-route", "next-dev-edge-route");
    await assertRoute(url, "/edge-middleware", "next-dev-edge-middleware");
    await assertRelayPage(url, "next-dev-relay");
  });
});
