// The route table against reference/endpoints.tsv, and the handler registry against the route table.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { HANDLERS } from "../../js/sandbox/handlers/index.js";
import { API_PREFIX, decodeParams, matchRoute, ROUTES } from "../../js/sandbox/routes.js";

const tsv = readFileSync(new URL("../../reference/endpoints.tsv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t"));

// The one documented fix: the reference prints a {template_group_id} that createEmailTemplateGroup does not have.
const FIXES = { createEmailTemplateGroup: "/perl/api/v2/user/{username}/template_group" };

test("routes.js has exactly the 64 operations of endpoints.tsv (59 of the reference, 5 beyond), with their methods and paths", () => {
  assert.equal(tsv.length, 64);
  assert.equal(ROUTES.length, 64);
  const expected = new Map(tsv.map(([id, method, path]) => [id, `${method} ${FIXES[id] ?? path}`]));
  const actual = new Map(ROUTES.map((route) => [route.operationId, `${route.method} ${API_PREFIX}${route.path}`]));
  assert.deepEqual(actual, expected);
});

test("every route names an existing handler", () => {
  for (const route of ROUTES) assert.equal(typeof HANDLERS[route.handler], "function", route.handler);
});

test("each route template matches itself and only itself", () => {
  const sample = { username: "u%40x.test", accountId: "1", directory: "a/b/", file_path: "a/b.txt" };
  for (const route of ROUTES) {
    const path = API_PREFIX + route.path.replace(/\{(\w+)\}/g, (_, name) => sample[name] ?? "v");
    const found = matchRoute(route.method, path);
    assert.equal(found?.route.operationId, route.operationId, `${route.method} ${path}`);
  }
});

test("directory and file paths are told apart by the trailing slash; params are decoded per segment", () => {
  const base = `${API_PREFIX}/user/u%40x.test/content_library/`;
  assert.equal(matchRoute("GET", base).route.operationId, "getContentLibraryDirectory");
  assert.equal(matchRoute("GET", `${base}a%20b/`).route.operationId, "getContentLibraryDirectory");
  assert.equal(matchRoute("GET", `${base}a/b.txt`).route.operationId, "getContentLibraryFile");
  assert.deepEqual(decodeParams(matchRoute("GET", `${base}a%20b/c%25.txt`)), { username: "u@x.test", file_path: "a b/c%.txt" });
  assert.throws(() => decodeParams(matchRoute("GET", `${base}a%2Fb.txt`)), /encoded '\/'/);
  assert.throws(() => decodeParams(matchRoute("GET", `${base}%E0%A4%A.txt`)), /percent-encoding/);
  assert.equal(matchRoute("PATCH", `${API_PREFIX}/auth`), null);
  assert.equal(matchRoute("GET", `${API_PREFIX}/account/1/domains/a/b`), null);
});
