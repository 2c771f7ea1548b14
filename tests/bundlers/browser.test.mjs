// Browser rows of the packed package in headless Chromium: webpack 5 of a CommonJS source (require("luxsci")), Vite 8
// and Vite 7 builds and dev servers, Rollup (node-resolve and import-meta-assets), and a plain <script type="module">
// page with an import map and no bundler. Each page is served by a small Node server that also serves createRelay()
// in front of the sandbox, and makes a GET and a Blob upload through the SDK's relay-mode client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { luxsci } from "../support/package.mjs";
import { consumerProject, run, serve, startSandbox } from "../runtimes/support.mjs";
import { openBrowser } from "../runtimes/webdriver.mjs";
import { PAGE_SCRIPT, expected, tool } from "./support.mjs";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
const page = (script, head = "") => `<!doctype html><html><head>${head}</head><body data-state="loading"><pre id="out"></pre><script type="module" src="${script}"></script></body></html>`;
// The plain page's import map: the package's browser entry, where npm installed it.
const IMPORT_MAP = `<script type="importmap">${JSON.stringify({ imports: { luxsci: "./node_modules/luxsci/entry/browser.js" } })}</script>`;

/** Serves the files of `folder` (index.html at /). */
const files = (folder) => (req, res) => {
  const { pathname } = new URL(req.url, "http://localhost");
  const path = normalize(join(folder, pathname === "/" ? "index.html" : pathname));
  let body;
  try {
    body = readFileSync(path);
  } catch {
    return res.writeHead(404).end();
  }
  res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
};

let sandbox, project, browser, site, pages;
before(async () => {
  sandbox = await startSandbox();
  project = await consumerProject({
    "app.mjs": `import { LuxSciClient, LuxSciError } from "luxsci";\n${PAGE_SCRIPT}`,
    "app.cjs": `const { LuxSciClient, LuxSciError } = require("luxsci");\n${PAGE_SCRIPT}`,
    "index.html": page("./app.mjs"),
    "plain.html": page("./app.mjs", IMPORT_MAP),
    // The configuration the README gives for Rollup: node-resolve, and import-meta-assets to copy the .wasm that the
    // browser entry finds by `new URL(…, import.meta.url)`.
    "rollup.config.mjs": `import { nodeResolve } from ${JSON.stringify(tool("@rollup/plugin-node-resolve/dist/es/index.js"))};
import { importMetaAssets } from ${JSON.stringify(tool("@web/rollup-plugin-import-meta-assets/index.mjs"))};
export default { input: "app.mjs", output: { dir: "dist-rollup" }, plugins: [nodeResolve({ browser: true }), importMetaAssets()] };
`,
  });
  const relay = luxsci.toNodeHandler(luxsci.createRelay({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId,
    username: sandbox.username, prefix: "/luxsci", authorize: () => true }));
  // Serves the relay, and at / what `pages` serves (the row under test's build output, or its dev server).
  site = await serve((req, res) => (new URL(req.url, "http://localhost").pathname.startsWith("/luxsci/") ? relay(req, res) : pages(req, res)));
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

/** Opens `path` on the site with what the page script reads from its query, and checks what the page shows. */
async function assertPage(row, path = "/") {
  await browser.open(`${site.url}${path}?${new URLSearchParams({ row, accountId: sandbox.accountId, username: sandbox.username })}`);
  const state = await browser.settled("loading");
  const out = await browser.text("#out");
  assert.equal(state, "done", `${row}: ${out}`);
  assert.deepEqual(JSON.parse(out), expected(row));
}

test("webpack 5 browser bundle of a CommonJS source that requires luxsci", async () => {
  await build("webpack", process.execPath, [tool("webpack-cli/bin/cli.js"), "./app.cjs", "--mode=production", "--target=web", "--output-path=dist-webpack", "--no-stats"]);
  writeFileSync(join(project.dir, "dist-webpack", "index.html"), page("./main.js"));
  pages = files(join(project.dir, "dist-webpack"));
  await assertPage("webpack");
});

const VITES = [["Vite8", "vite"], ["Vite7", "vite7"]];
for (const [row, vite] of VITES) {
  test(`${row} build`, async () => {
    await build(row, process.execPath, [tool(`${vite}/bin/vite.js`), "build", "--outDir", `dist-${row}`, "--logLevel", "warn"]);
    pages = files(join(project.dir, `dist-${row}`));
    await assertPage(row);
  });
}

// The dev servers run in this process (Vite's middleware mode: the same dev pipeline as `vite`), behind the relay.
// Vite 7's dependency optimizer moves the package into node_modules/.vite, away from its .wasm: the README's one
// line of configuration excludes it. Vite 8's optimizer keeps the .wasm reachable and needs nothing.
const DEV_CONFIG = { Vite8: {}, Vite7: { optimizeDeps: { exclude: ["luxsci"] } } };
/** Serves the project through `vite`'s dev server (with `config`, its optimizer's cache named `name`) while `check()` runs. */
async function viteDev(vite, name, config, check) {
  const { createServer } = await import(tool(`${vite}/dist/node/index.js`));
  const server = await createServer({ root: project.dir, configFile: false, cacheDir: `node_modules/.vite-${name}`, logLevel: "error",
    server: { middlewareMode: true }, appType: "spa", ...config });
  try {
    pages = server.middlewares;
    await check();
  } finally {
    await server.close();
  }
}
for (const [row, vite] of VITES) {
  test(`${row} dev server`, () => viteDev(vite, row, DEV_CONFIG[row], () => assertPage(`${row}-dev`)));
}

test("Vite 7 dev server without the line: the page's calls reject with a LuxSciError naming the .wasm, no hang", () =>
  viteDev("vite7", "unconfigured", {}, async () => {
    await browser.open(`${site.url}/?${new URLSearchParams({ row: "Vite7-dev-unconfigured", accountId: sandbox.accountId, username: sandbox.username })}`);
    assert.equal(await browser.settled("loading"), "failed");
    assert.match(await browser.text("#out"), /^LuxSciError: luxsci could not load its WebAssembly from http:\/\/127\.0\.0\.1:\d+\/node_modules\/\.vite-unconfigured\/luxsci_bg\.wasm: /);
  }));

test("Rollup browser bundle (node-resolve, import-meta-assets)", async () => {
  await build("rollup", process.execPath, [tool("rollup/dist/bin/rollup"), "-c", "--silent"]);
  writeFileSync(join(project.dir, "dist-rollup", "index.html"), page("./app.js"));
  pages = files(join(project.dir, "dist-rollup"));
  await assertPage("rollup");
});

test("a plain <script type=module> page importing the browser entry through an import map, no bundler", async () => {
  pages = files(project.dir);
  await assertPage("plain", "/plain.html");
});
