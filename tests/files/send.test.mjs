// Attachments of sendEmail and sendSecureEmailOrSecureText against the sandbox: every content form, shared files sent once, references kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clientOf, message, sandboxFor, sha256 } from "./helpers.mjs";

const logoBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3]);

test("sendEmail: shared attachments (a Blob, a string) are uploaded once, distinct ones each once, every message references its files", async (t) => {
  const sandbox = await sandboxFor(t);
  const { client } = clientOf(sandbox);
  const logo = new Blob([logoBytes], { type: "image/png" });
  const buffer = new Uint8Array([9, 8, 7, 6]).buffer;
  const report = new File(["a,b\n1,2\n"], "report.csv", { type: "text/csv" });
  const body = {
    priority: 3,
    messages: [
      message(2, { attachments: [{ name: "logo.png", content: logo }, { name: "a.txt", content: "alpha ✓" }] }),
      message(1, { attachments: [{ name: "logo.png", content: logo }, { name: "a.txt", content: "alpha ✓" }] }),
      message(3, {
        attachments: [
          // The same bytes as another object: deduplicated by name and hash, not by identity.
          { name: "logo.png", content: logoBytes.slice() },
          { name: "b.bin", content: buffer },
          report,
        ],
      }),
      message(1),
    ],
  };
  const ids = await client.sendEmail(body);
  assert.equal(ids.length, 4);

  const [sent] = sandbox.sends();
  const expected = {
    logo: { name: "logo.png", hash: sha256(logoBytes), size: logoBytes.length },
    a: { name: "a.txt", hash: sha256("alpha ✓"), size: Buffer.byteLength("alpha ✓") },
    b: { name: "b.bin", hash: sha256(new Uint8Array(buffer)), size: 4 },
    report: { name: "report.csv", hash: sha256("a,b\n1,2\n"), size: 8 },
  };
  assert.deepEqual(sent.files, [expected.logo, expected.a, expected.b, expected.report]);
  const ref = ({ name, hash }) => ({ name, hash });
  assert.deepEqual(
    sent.messages.map((m) => m.attachments),
    [[ref(expected.logo), ref(expected.a)], [ref(expected.logo), ref(expected.a)], [ref(expected.logo), ref(expected.b), ref(expected.report)], undefined],
  );
  assert.deepEqual(sent.sendmailIds, ids);
  // The caller's body is left as it was given.
  assert.equal(body.messages[0].attachments[0].content, logo);
  assert.equal(body.messages[2].attachments[2], report);
});

test("sendEmail: a { name, hash } reference to a file uploaded in the same call passes through", async (t) => {
  const sandbox = await sandboxFor(t);
  const { client } = clientOf(sandbox);
  const ref = { name: "terms.txt", hash: sha256("the terms") };
  await client.sendEmail({
    messages: [message(1, { attachments: [{ name: "terms.txt", content: "the terms", contentType: "text/plain" }] }), message(1, { attachments: [ref] })],
  });
  const [sent] = sandbox.sends();
  assert.deepEqual(sent.files, [{ ...ref, size: 9 }]);
  assert.deepEqual(sent.messages[1].attachments, [ref]);
});

test("sendEmail: with no attachment content the body goes as JSON, not multipart", async (t) => {
  const sandbox = await sandboxFor(t);
  const types = [];
  const { client } = clientOf(sandbox, {
    fetch: (url, init) => {
      types.push(new Headers(init.headers).get("content-type"));
      return fetch(url, init);
    },
  });
  await client.sendEmail({ messages: [message(1, { attachments: [] })] });
  assert.equal(types.at(-1), "application/json");
  assert.deepEqual(sandbox.sends()[0].files, []);
});

test("sendSecureEmailOrSecureText: attachment contents are hashed and uploaded", async (t) => {
  const sandbox = await sandboxFor(t);
  const { client } = clientOf(sandbox);
  const pdf = new Blob(["%PDF-1.7 fake"], { type: "application/pdf" });
  await client.sendSecureEmailOrSecureText({
    ...message(2),
    attachments: [{ name: "statement.pdf", content: pdf }, { name: "note.txt", content: "see attached" }],
  });
  const [sent] = sandbox.sends();
  assert.equal(sent.operationId, "sendSecureEmailOrSecureText");
  assert.deepEqual(sent.files, [
    { name: "statement.pdf", hash: sha256("%PDF-1.7 fake"), size: 13 },
    { name: "note.txt", hash: sha256("see attached"), size: 12 },
  ]);
  assert.deepEqual(sent.messages[0].attachments, [
    { name: "statement.pdf", hash: sha256("%PDF-1.7 fake") },
    { name: "note.txt", hash: sha256("see attached") },
  ]);
});
