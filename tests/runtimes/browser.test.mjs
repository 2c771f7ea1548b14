// Headless Chromium: a real page on localhost imports the package's browser export, uploads a picked file through a Node relay in front of the sandbox, and shows the result; the direct client, a refusing relay, off-table paths and other hosts are refused, and redirects are not followed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { luxsci } from "../support/package.mjs";
import { sha256Hex } from "../support/signer.mjs";
import { API, decoy, packedPackage, recordingProxy, serve, startSandbox } from "./support.mjs";
import { openBrowser } from "./webdriver.mjs";

const PAGE_DIR = new URL("./browser/", import.meta.url).pathname;
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const SESSION_COOKIE = "app_session=signed-in-admin";

let sandbox, upstream, elsewhere, site, browser, scratch;

/** The page, its script, the package (as npm installs it) under /node_modules/luxsci/, relays mounted at /luxsci (needs the app's session cookie) and /denied (refuses everyone), and /moved/, which redirects everything to the other host. */
function siteHandler(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  // The import map is what a bundler would derive from the package's "browser" export condition.
  const browserEntry = pkg.exports["."].browser.default.replace(/^\.\//, "/node_modules/luxsci/");
  const importMap = `<script type="importmap">${JSON.stringify({ imports: { luxsci: browserEntry } })}</script>`;
  const options = { baseUrl: upstream.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username };
  const relay = luxsci.toNodeHandler(
    luxsci.createRelay({ ...options, prefix: "/luxsci", authorize: (request) => (request.headers.get("cookie") ?? "").includes(SESSION_COOKIE) }),
  );
  const denied = luxsci.toNodeHandler(luxsci.createRelay({ ...options, prefix: "/denied", authorize: () => false }));
  const file = (res, dir, relative, extraHeaders = {}) => {
    const path = normalize(join(dir, relative));
    if (!path.startsWith(dir)) return res.writeHead(404).end();
    try {
      let body = readFileSync(path);
      if (relative === "index.html") body = body.toString().replace("<!--importmap-->", importMap);
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", ...extraHeaders }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  };
  return (req, res) => {
    const { pathname } = new URL(req.url, "http://localhost");
    if (pathname.startsWith("/luxsci/")) return relay(req, res);
    if (pathname.startsWith("/denied/")) return denied(req, res);
    if (pathname.startsWith("/moved/")) return res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}${pathname.slice(6)}?token=LEAKED` }).end();
    if (pathname.startsWith("/node_modules/luxsci/")) return file(res, pkgDir, pathname.slice("/node_modules/luxsci/".length));
    if (pathname === "/") return file(res, PAGE_DIR, "index.html", { "set-cookie": `${SESSION_COOKIE}; Path=/; SameSite=Strict` });
    if (pathname === "/app.js") return file(res, PAGE_DIR, "app.js");
    res.writeHead(404).end();
  };
}

before(async () => {
  sandbox = await startSandbox();
  upstream = await recordingProxy(sandbox.url);
  elsewhere = await decoy();
  site = await serve(siteHandler(await packedPackage()));
  scratch = mkdtempSync(join(tmpdir(), "luxsci-browser-"));
  browser = await openBrowser();
  const query = new URLSearchParams({ accountId: sandbox.accountId, username: sandbox.username, otherHost: `127.0.0.1:${elsewhere.port}` });
  await browser.open(`${site.url}/?${query}`);
});

after(async () => {
  await browser?.quit();
  await Promise.all([site?.close(), elsewhere?.close(), upstream?.close(), sandbox?.close()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const shown = async (css) => JSON.parse(await browser.text(css));

test("the page loads the package's browser entry and runs its checks", async () => {
  assert.equal(await browser.settled("loading"), "ready", await browser.text("#error"));
});

test("a direct (non-relay) client in the browser rejects with a LuxSciValidationError that names the relay, sending nothing", async () => {
  const direct = await shown("#direct");
  assert.equal(direct.name, "LuxSciValidationError");
  assert.equal(direct.isValidation, true);
  assert.equal(direct.isLuxSciError, true);
  assert.match(direct.message, /createRelay\(\)/);
  assert.match(direct.message, /relay: true/);
  assert.ok(!direct.message.includes("never-in-a-browser"));
});

test("a direct client is refused as well in a page whose bundler defined a process polyfill, and in a dedicated worker", async () => {
  const polyfilled = await shown("#polyfilled");
  assert.equal(polyfilled.name, "LuxSciValidationError");
  assert.match(polyfilled.message, /relay: true/);
  const worker = await shown("#worker");
  assert.equal(worker.noDocument, true, "the worker has no document");
  assert.equal(worker.name, "LuxSciValidationError");
  assert.match(worker.message, /createRelay\(\)/);
  assert.ok(!worker.message.includes("never-in-a-browser"));
});

test("a relay whose authorize() returns false answers 401", async () => {
  const denied = await shown("#denied");
  assert.equal(denied.status, 401);
  assert.equal(denied.isLuxSciError, true);
});

test("a path outside the endpoint table and a request aimed at another host are refused, and that host is never reached", async () => {
  assert.equal((await shown("#offtable")).status, 403);
  const other = await shown("#otherhost");
  assert.equal(other.sneakyStatus, 403);
  assert.notEqual(other.absolute, "resolved");
  assert.equal(other.absolute.isLuxSciError, true);
  assert.deepEqual(elsewhere.hits, []);
});

test("a relay that answers with a redirect: the page's client does not follow it (an opaque redirect), nothing reaches the other host", async () => {
  const { get, send } = await shown("#redirected");
  for (const failed of [get, send]) {
    assert.equal(failed.name, "LuxSciApiError");
    assert.equal(failed.isLuxSciError, true);
    assert.match(failed.message, /redirect \(the browser hides its status and target\).*never followed/);
    assert.equal(failed.status, undefined);
  }
  assert.equal(send.mayHaveBeenSent, true);
  assert.deepEqual(elsewhere.hits, []);
});

test("a file picked in the page is uploaded through the relay as a Blob, and the page shows LuxSci's answer", async () => {
  const content = `id,name\n1,Zoë\n2,${"x".repeat(100_000)}\n`;
  const picked = join(scratch, "report.csv");
  writeFileSync(picked, content);
  await browser.pickFile("#file", picked);
  await browser.click("#upload");
  assert.equal(await browser.settled("ready", "uploading"), "uploaded", await browser.text("#error"));
  assert.deepEqual(await shown("#result"), {
    name: "report.csv",
    size: Buffer.byteLength(content),
    hash: sha256Hex(content),
    listed: ["report.csv"],
  });
  const forwarded = upstream.requests.filter((r) => r.url !== `${API}/auth`);
  assert.ok(forwarded.length >= 2);
  for (const request of forwarded) {
    // The browser's own session cookie stays with the app; LuxSci sees only the relay's signature.
    assert.match(request.headers.cookie, /^signature=[^;\s]+:[0-9a-f]{64}$/);
    assert.equal(request.headers.authorization, undefined);
  }
  assert.deepEqual(
    sandbox.log.filter((entry) => entry.operationId === "uploadContentLibraryFile").map((entry) => entry.status),
    [200],
  );
});
