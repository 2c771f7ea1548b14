// Content library uploads of every Uploadable form, and request(..., { files }), checked through the sandbox's record of size, hash and type.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clientOf, sandboxFor, sha256 } from "./helpers.mjs";

const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);

/** [label, path, uploadable, expected bytes, expected content_type] */
const cases = [
  ["Blob (its own type)", "docs/blob.dat", new Blob([bytes], { type: "image/png" }), bytes, "image/png"],
  ["File (named by the path, typed by the path's extension)", "docs/table.csv", new File(["a,b\n"], "other-name.txt"), "a,b\n", "text/csv"],
  ["Uint8Array", "docs/bytes.bin", bytes, bytes, "application/octet-stream"],
  ["Uint8Array view into a larger buffer", "docs/view.bin", bytes.subarray(1000, 5000), bytes.subarray(1000, 5000), "application/octet-stream"],
  ["ArrayBuffer", "docs/buffer.bin", bytes.slice(0, 4096).buffer, bytes.subarray(0, 4096), "application/octet-stream"],
  ["DataView", "docs/data-view.bin", new DataView(bytes.buffer, 10, 20), bytes.subarray(10, 30), "application/octet-stream"],
  ["string (UTF-8)", "docs/text.txt", "naïve café — 日本語\n", "naïve café — 日本語\n", "text/plain"],
  ["{ name, content, contentType }", "docs/readme.md", { name: "ignored.txt", content: "# Title", contentType: "text/markdown" }, "# Title", "text/markdown"],
  ["empty Blob", "docs/empty.txt", new Blob([]), "", "text/plain"],
  ["non-ASCII file name", "docs/résumé 日本.pdf", "pdf", "pdf", "application/pdf"],
];

test("uploadContentLibraryFile: every Uploadable form arrives with its size, SHA-256 and content type", async (t) => {
  const sandbox = await sandboxFor(t);
  const { client } = clientOf(sandbox);
  await client.createContentLibraryDirectory("docs");
  for (const [label, path, file, content, type] of cases) {
    const uploaded = await client.uploadContentLibraryFile(path, file);
    const stored = await client.getContentLibraryFile(path);
    const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    const name = path.split("/").at(-1);
    assert.deepEqual(
      { name: stored.name, size: stored.size, hash: stored.hash, type: stored.content_type },
      { name, size, hash: sha256(content), type },
      label,
    );
    assert.deepEqual(uploaded, stored, label);
  }
});

test("request('POST', path, { files }): the files go as parts and are listed in attachments", async (t) => {
  const sandbox = await sandboxFor(t);
  const { client } = clientOf(sandbox);
  await client.createContentLibraryDirectory("raw");
  const base = `/user/${sandbox.username}/content_library/raw`;
  const file = new File(["via request"], "one.txt", { type: "text/plain" });
  await client.request("POST", `${base}/one.txt`, { files: [file] });
  assert.equal((await client.getContentLibraryFile("raw/one.txt")).hash, sha256("via request"));

  // An explicit body with its own attachments is sent as given (absolute API path form).
  const content = new Uint8Array([1, 2, 3]);
  await client.request("POST", `/perl/api/v2${base}/two.bin`, {
    body: { attachments: [{ name: "two.bin", hash: sha256(content) }] },
    files: [{ name: "two.bin", content }],
  });
  const two = await client.getContentLibraryFile("raw/two.bin");
  assert.deepEqual([two.size, two.hash], [3, sha256(content)]);
  assert.deepEqual(
    sandbox.log.filter((entry) => entry.operationId === "uploadContentLibraryFile").map((entry) => entry.status),
    [200, 200],
  );
});
