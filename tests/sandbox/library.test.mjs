// Content library rules: directory paths and parents, emptiness on delete, upload checks, name clashes.
// (Unclean paths go through node:http verbatim: fetch would normalise "//", "." and ".." before sending.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { attachmentRef, buildMultipart } from "../support/multipart.mjs";
import { API, ok, openSandbox, rejected, verbatim } from "./helpers.mjs";

let sandbox;
let call;
let auth;
let lib;
before(async () => {
  ({ sandbox, call, auth, user: lib } = await openSandbox());
  lib += "/content_library/";
});
after(() => sandbox.close());

const FILE = { name: "a.txt", content: "hello" };
function upload(path, { files = [FILE], attachments = files.map(attachmentRef) } = {}) {
  const json = JSON.stringify({ attachments });
  const { body, contentType } = buildMultipart(json, files);
  return call("POST", lib + path, { body, contentType, signedText: json });
}

test("creating directories: parents must exist, target must not, paths must be clean", async () => {
  rejected(await call("POST", `${lib}x/y/`), 404, /parent directory \/x\/ does not exist/);
  ok(await call("POST", `${lib}x/`));
  rejected(await call("POST", `${lib}x/`), 409, /already exists/);
  rejected(await call("POST", lib), 409, /already exists/);
  for (const dots of ["x//y/", "x/../", "x/./", "x/%2E%2E/"]) {
    rejected(await verbatim(sandbox, auth, "POST", `${API}${lib}${dots}`), 400, /no empty \('\/\/'\), '\.' or '\.\.' segments/);
  }
  ok(await call("POST", `${lib}x/two%20words/`));
  const listing = ok(await call("GET", `${lib}x/`));
  assert.deepEqual(listing.items.map((item) => [item.name, item.path]), [["two words", "/x/two words/"]]);
  assert.equal(listing.meta.items, 1);
  rejected(await call("GET", `${lib}nowhere/`), 404, /no such directory/);
});

test("deleting directories: only existing, empty, non-top-level ones", async () => {
  rejected(await call("DELETE", lib), 400, /top-level/);
  rejected(await call("DELETE", `${lib}gone/`), 404, /no such directory/);
  ok(await call("POST", `${lib}d/`));
  ok(await call("POST", `${lib}d/e/`));
  rejected(await call("DELETE", `${lib}d/`), 409, /not empty/);
  ok(await call("DELETE", `${lib}d/e/`));
  ok(await call("DELETE", `${lib}d/`));
});

test("uploads: multipart only, one checked files part, existing parent, no clash", async () => {
  rejected(await call("POST", `${lib}u/a.txt`, { json: { attachments: [] } }), 400, /needs a multipart/);
  rejected(await upload("nodir/a.txt"), 404, /parent directory \/nodir\/ does not exist/);
  rejected(await upload("a.txt", { files: [] }), 400, /exactly one 'files' part \(got 0\)/);
  rejected(await upload("a.txt", { files: [FILE, { name: "b.txt", content: "b" }] }), 400, /exactly one 'files' part \(got 2\)/);
  rejected(await upload("a.txt", { attachments: [{ name: "a.txt", hash: "f".repeat(64) }] }), 400, /SHA-256/);
  rejected(await upload("a.txt", { attachments: [] }), 400, /not referenced/);
  const file = ok(await upload("a.txt"));
  assert.equal(file.content_type, "application/octet-stream");
  assert.equal(file.path, "/a.txt");
  rejected(await upload("a.txt"), 409, /already exists/);
  rejected(await call("POST", `${lib}a.txt/`), 409, /already exists/);
  ok(await call("POST", `${lib}sub/`));
  rejected(await upload("sub"), 409, /already exists/);
  rejected(await call("GET", `${lib}missing.txt`), 404, /no such file/);
  rejected(await call("DELETE", `${lib}missing.txt`), 404, /no such file/);
});
