// Headless Chromium on a page of another site (evil.test, mapped to 127.0.0.1) against the app's relays on
// 127.0.0.1: the cross-site HTML forms a hostile page can post with no script reach the relay and are refused, a
// relay-mode client on that page is refused by a relay that does not list its origin (no CORS preflight granted), and
// works with one that does, reading the relay's mark across origins.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { luxsci } from "../support/package.mjs";
import { API, packedPackage, recordingProxy, serve, startSandbox } from "../runtimes/support.mjs";
import { openBrowser } from "../runtimes/webdriver.mjs";

const PAGE_DIR = new URL("./browser/", import.meta.url).pathname;
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const OTHER_SITE = "evil.test";

let sandbox, upstream, app, other, browser;
const arrivals = []; // what reached the app's relays: { path, site, status }

/** Serves `relative` from `dir` (the page, or the package as npm installs it). */
function file(res, dir, relative, transform = (body) => body) {
  const path = normalize(join(dir, relative));
  if (!path.startsWith(dir)) return res.writeHead(404).end();
  try {
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(transform(readFileSync(path)));
  } catch {
    res.writeHead(404).end();
  }
}

before(async () => {
  sandbox = await startSandbox();
  upstream = await recordingProxy(sandbox.url);
  const pkgDir = await packedPackage();
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const browserEntry = pkg.exports["."].browser.default.replace(/^\.\//, "/node_modules/luxsci/");
  const importMap = `<script type="importmap">${JSON.stringify({ imports: { luxsci: browserEntry } })}</script>`;
  other = await serve((req, res) => {
    const { pathname } = new URL(req.url, "http://localhost");
    if (pathname.startsWith("/node_modules/luxsci/")) return file(res, pkgDir, pathname.slice("/node_modules/luxsci/".length));
    if (pathname === "/") return file(res, PAGE_DIR, "index.html", (body) => body.toString().replace("<!--importmap-->", importMap));
    if (pathname === "/page.js") return file(res, PAGE_DIR, "page.js");
    res.writeHead(404).end();
  });
  const otherOrigin = `http://${OTHER_SITE}:${other.port}`;
  const options = { baseUrl: upstream.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username, authorize: () => true };
  const closed = luxsci.toNodeHandler(luxsci.createRelay({ ...options, prefix: "/luxsci" }));
  const listed = luxsci.toNodeHandler(luxsci.createRelay({ ...options, prefix: "/luxsci-cors", allowedOrigins: [otherOrigin] }));
  app = await serve((req, res) => {
    const record = { method: req.method, path: req.url, site: req.headers["sec-fetch-site"] };
    arrivals.push(record);
    res.on("finish", () => (record.status = res.statusCode));
    if (req.url.startsWith("/luxsci-cors/")) return listed(req, res);
    if (req.url.startsWith("/luxsci/")) return closed(req, res);
    res.writeHead(404).end();
  });
  browser = await openBrowser([`--host-resolver-rules=MAP ${OTHER_SITE} 127.0.0.1`]);
  const query = new URLSearchParams({ relay: app.url, accountId: sandbox.accountId, username: sandbox.username });
  await browser.open(`${otherOrigin}/?${query}`);
});

after(async () => {
  await browser?.quit();
  await Promise.all([app?.close(), other?.close(), upstream?.close(), sandbox?.close()]);
});

test("another site's page runs to the end", async () => {
  assert.equal(await browser.settled("loading"), "done", await browser.text("#error"));
});

test("its two HTML forms (text/plain JSON, multipart with a json field) reach the relay as cross-site requests and are refused; nothing is forwarded or sent", async () => {
  const forms = arrivals.filter((a) => a.method === "POST" && a.path.endsWith("/email/send"));
  assert.equal(forms.length, 2, JSON.stringify(arrivals));
  for (const form of forms) {
    assert.equal(form.site, "cross-site");
    assert.equal(form.status, 403);
  }
  assert.deepEqual(upstream.requests.filter((r) => r.url.endsWith("/email/send")), []);
  assert.equal(sandbox.log.filter((entry) => entry.operationId === "sendEmail").length, 0);
});

test("a relay-mode client on that page is refused by a relay that does not list its origin: the preflight is refused and nothing is forwarded", async () => {
  const { notListed } = JSON.parse(await browser.text("#results"));
  assert.equal(notListed.isLuxSciError, true);
  assert.notEqual(notListed.name, "LuxSciApiError");
  const preflights = arrivals.filter((a) => a.method === "OPTIONS" && a.path.startsWith("/luxsci/"));
  assert.ok(preflights.length >= 1 && preflights.every((p) => p.status === 403), JSON.stringify(preflights));
  assert.equal(arrivals.filter((a) => a.method === "GET" && a.path.startsWith("/luxsci/")).length, 0);
});

test("with its origin in allowedOrigins, the same client works across origins and tells LuxSci's answers from the relay's", async () => {
  const { listed, listedMissing } = JSON.parse(await browser.text("#results"));
  assert.equal(listed, "array");
  assert.equal(listedMissing.name, "LuxSciApiError", JSON.stringify(listedMissing));
  assert.equal(listedMissing.status, 404);
  assert.ok(upstream.requests.some((r) => r.url === `${API}/account/${sandbox.accountId}/domains`));
});
