// Browser bundles of the packed package in headless Chromium: webpack 5 of a CommonJS source (require("luxsci")),
// Vite 8 and Vite 7 builds. Each page is served by a small Node server that also serves createRelay() in front of
// the sandbox, and makes a GET and a Blob upload through the SDK's relay-mode client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { luxsci } from "../support/package.mjs";
import { consumerProject, run, serve, startSandbox } from "../runtimes/support.mjs";
import { openBrowser } from "../runtimes/webdriver.mjs";
import { tool } from "./support.mjs";

const APP = readFileSync(new URL("./apps/browser-app.js", import.meta.url), "utf8");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const page = (script) => `<!doctype html><html><body data-state="loading"><pre id="out"></pre><script type="module" src="${script}"></script></body></html>`;

let sandbox, project, browser, site, dist;
before(async () => {
  sandbox = await startSandbox();
  project = await consumerProject({
    "app.mjs": `import { LuxSciClient, LuxSciError } from "luxsci";\n${APP}`,
    "app.cjs": `const { LuxSciClient, LuxSciError } = require("luxsci");\n${APP}`,
    "index.html": page("./app.mjs"),
  });
  const relay = luxsci.toNodeHandler(luxsci.createRelay({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId,
    username: sandbox.username, prefix: "/luxsci", authorize: () => true }));
  // Serves the relay, and the folder `dist` names (the row under test's build output) at /.
  site = await serve((req, res) => {
    const { pathname } = new URL(req.url, "http://localhost");
    if (pathname.startsWith("/luxsci/")) return relay(req, res);
    const path = normalize(join(dist, pathname === "/" ? "index.html" : pathname));
    let body;
    try {
      body = readFileSync(path);
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
  });
  browser = await openBrowser();
});
after(async () => {
  await browser?.quit();
  await site?.close();
  project?.remove();
  await sandbox?.close();
});

async function build(row, command, args) {
  const built = await run(command, args, { cwd: project.dir });
  assert.equal(built.code, 0, `${row} build: ${built.stdout}${built.stderr}`);
}

async function assertPage(row, folder) {
  dist = join(project.dir, folder);
  await browser.open(`${site.url}/?${new URLSearchParams({ row, accountId: sandbox.accountId, username: sandbox.username })}`);
  const state = await browser.settled("loading");
  const out = await browser.text("#out");
  assert.equal(state, "done", `${row}: ${out}`);
  assert.deepEqual(JSON.parse(out), {
    domainsIsArray: true,
    uploaded: { name: `${row}.txt`, size: `uploaded by ${row}`.length },
    error: ["LuxSciApiError", 404, true],
  });
}

test("webpack 5 browser bundle of a CommonJS source that requires luxsci", async () => {
  await build("webpack", process.execPath, [tool("webpack-cli/bin/cli.js"), "./app.cjs", "--mode=production", "--target=web", "--output-path=dist-webpack", "--no-stats"]);
  writeFileSync(join(project.dir, "dist-webpack", "index.html"), page("./main.js"));
  await assertPage("webpack", "dist-webpack");
});

for (const [name, vite] of [["Vite 8", "vite/bin/vite.js"], ["Vite 7", "vite7/bin/vite.js"]]) {
  test(`${name} build`, async () => {
    const out = `dist-${name.replace(" ", "")}`;
    await build(name, process.execPath, [tool(vite), "build", "--outDir", out, "--logLevel", "warn"]);
    await assertPage(name.replace(" ", ""), out);
  });
}
