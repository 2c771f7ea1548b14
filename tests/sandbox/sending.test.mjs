// sendEmail / sendSecureEmailOrSecureText: every limit (rejected, nothing recorded), multipart attachment checks, and sends().
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { attachmentRef, buildMultipart } from "../support/multipart.mjs";
import { ok, openSandbox, rejected } from "./helpers.mjs";

let sandbox;
let call;
let user;
before(async () => {
  ({ sandbox, call, user } = await openSandbox());
});
after(() => sandbox.close());

const message = (recipients = 1, extra = {}) => ({
  to: Array.from({ length: recipients }, (_, i) => `r${i}@x.test`),
  subject: "Hello",
  body: "Body",
  ...extra,
});
const send = (json) => call("POST", `${user}/email/send`, { json });
const sendMultipart = (json, files, options) => {
  const jsonText = json === null ? null : JSON.stringify(json);
  const { body, contentType } = buildMultipart(jsonText, files, options);
  return call("POST", `${user}/email/send`, { body, contentType, signedText: jsonText ?? "" });
};
const LOGO = { name: "logo.png", content: Buffer.from("\x89PNG fake bytes\r\n--not-a-boundary\r\n") };
const TERMS = { name: "terms.pdf", content: "%PDF-1.4 terms", contentType: "application/pdf" };

describe("sendEmail limits: each rejected with 400 and nothing sent", () => {
  beforeEach(() => assert.deepEqual(sandbox.sends(), []));
  after(() => assert.deepEqual(sandbox.sends(), []));

  test("1 to 1000 messages", async () => {
    rejected(await send({}), 400, /1 to 1000 messages/);
    rejected(await send({ messages: [] }), 400, /1 to 1000 messages/);
    rejected(await send({ messages: message() }), 400, /1 to 1000 messages/);
    rejected(await send({ messages: Array.from({ length: 1001 }, () => message()) }), 400, /1 to 1000 messages/);
  });

  test("1 to 100 recipients per message (to + cc + bcc)", async () => {
    rejected(await send({ messages: [message(0)] }), 400, /messages\[0\] has 0 recipients/);
    rejected(await send({ messages: [message(1), message(101)] }), 400, /messages\[1\] has 101 recipients/);
    rejected(await send({ messages: [message(60, { cc: message(30).to, bcc: message(11).to })] }), 400, /101 recipients/);
  });

  test("at most 1000 recipients per call", async () => {
    rejected(await send({ messages: Array.from({ length: 11 }, () => message(100)) }), 400, /1100 recipients in all/);
  });

  test("priority is an integer 0–9", async () => {
    for (const priority of [-1, 10, 1.5, "5", null]) rejected(await send({ messages: [message()], priority }), 400, /'priority'/);
  });

  test("message fields", async () => {
    rejected(await send({ messages: [message(1, { to: "a@x.test" })] }), 400, /messages\[0\]\.to/);
    rejected(await send({ messages: [message(1, { subject: undefined })] }), 400, /subject/);
    rejected(await send({ messages: [message(1, { body: undefined })] }), 400, /body/);
    rejected(await send({ messages: ["text"] }), 400, /must be an object/);
    rejected(await send({ messages: [message(1, { attachments: {} })] }), 400, /attachments/);
  });

  test("multipart checks: hash mismatch, missing part, unreferenced part, bad references, bad layout", async () => {
    const wrongHash = { name: LOGO.name, hash: "0".repeat(64) };
    rejected(await sendMultipart({ messages: [message(1, { attachments: [wrongHash] })] }, [LOGO]), 400, /has SHA-256 [0-9a-f]{64}, not 0+/);
    rejected(await sendMultipart({ messages: [message(1, { attachments: [attachmentRef(TERMS)] })] }, [LOGO]), 400, /no 'files' part named "terms.pdf"/);
    rejected(await send({ messages: [message(1, { attachments: [attachmentRef(LOGO)] })] }), 400, /no 'files' part named/);
    rejected(await sendMultipart({ messages: [message(1, { attachments: [attachmentRef(LOGO)] })] }, [LOGO, TERMS]), 400, /"terms.pdf" is not referenced/);
    rejected(await sendMultipart({ messages: [message(1, { attachments: [{ name: LOGO.name }] })] }, [LOGO]), 400, /must be \{name, hash\}/);
    rejected(await sendMultipart(null, [LOGO]), 400, /exactly one 'json' part \(found 0\)/);
    const json = { messages: [message()] };
    rejected(await sendMultipart(json, [], { extraParts: [{ headers: 'Content-Disposition: form-data; name="json"', content: "{}" }] }), 400, /found 2/);
    rejected(await sendMultipart(json, [], { extraParts: [{ headers: 'Content-Disposition: form-data; name="other"', content: "x" }] }), 400, /unexpected multipart part 'other'/);
    rejected(await sendMultipart(json, [], { extraParts: [{ headers: 'Content-Disposition: form-data; name="files"', content: "x" }] }), 400, /needs a filename/);
    rejected(await sendMultipart({ messages: [message(1, { attachments: [attachmentRef(LOGO)] })] }, [LOGO, LOGO]), 400, /two 'files' parts/);
    const text = JSON.stringify(json);
    const { body, contentType } = buildMultipart(text, []);
    rejected(await call("POST", `${user}/email/send`, { body: body.subarray(0, body.length - 10), contentType, signedText: text }), 400, /malformed multipart/);
    rejected(await call("POST", `${user}/email/send`, { body, contentType: "multipart/form-data", signedText: text }), 400, /boundary/);
    rejected(await call("POST", `${user}/email/send`, { body, contentType, signedText: body.toString() }), 401, /bad request signature/);
  });
});

describe("sendEmail successes", () => {
  test("limits are inclusive: 1000 messages, 100 recipients, 1000 in all, priority 0 and 9", async () => {
    assert.equal(ok(await send({ messages: Array.from({ length: 1000 }, () => message()), priority: 0 })).length, 1000);
    assert.equal(ok(await send({ messages: Array.from({ length: 10 }, () => message(100)), priority: 9 })).length, 10);
    assert.equal(ok(await send({ messages: [message(98, { cc: ["c@x.test"], bcc: ["b@x.test"] })] })).length, 1);
  });

  test("a shared attachment is uploaded once and referenced by several messages", async () => {
    const before = sandbox.sends().length;
    const messages = [
      message(1, { attachments: [attachmentRef(LOGO)] }),
      message(1, { attachments: [attachmentRef(LOGO), attachmentRef(TERMS)] }),
      message(1),
    ];
    const ids = ok(await sendMultipart({ messages }, [LOGO, TERMS], { boundary: "quoted boundary=1", quote: true }));
    assert.equal(ids.length, 3);
    const record = sandbox.sends()[before];
    assert.deepEqual(record.sendmailIds, ids);
    assert.deepEqual(record.messages, messages);
    assert.deepEqual(record.files.map((file) => [file.name, file.size, file.hash]), [
      [LOGO.name, LOGO.content.length, attachmentRef(LOGO).hash],
      [TERMS.name, Buffer.byteLength(TERMS.content), attachmentRef(TERMS).hash],
    ]);
    const all = sandbox.sends().flatMap((send) => send.sendmailIds);
    assert.equal(new Set(all).size, all.length);
  });

  test("filename* (RFC 5987) names a part", async () => {
    const file = { name: "naïve résumé.txt", content: "x" };
    const json = JSON.stringify({ messages: [message(1, { attachments: [attachmentRef(file)] })] });
    const { body, contentType } = buildMultipart(json, [], {
      extraParts: [{ headers: `Content-Disposition: form-data; name="files"; filename="ascii.txt"; filename*=UTF-8''${encodeURIComponent(file.name)}`, content: file.content }],
    });
    assert.equal(ok(await call("POST", `${user}/email/send`, { body, contentType, signedText: json })).length, 1);
  });
});

describe("sendSecureEmailOrSecureText", () => {
  const secure = (json) => call("POST", `${user}/email/compose/secureline/send`, { json });

  test("limits and field checks, nothing recorded on rejection", async () => {
    const before = sandbox.sends().length;
    rejected(await secure(message(101)), 400, /101 recipients/);
    rejected(await secure(message(0)), 400, /0 recipients/);
    rejected(await secure(message(1, { subject: " " })), 400, /subject/);
    rejected(await secure(message(1, { subject: "s".repeat(1001) })), 400, /at most 1000/);
    rejected(await secure(message(1, { from_name: "n".repeat(101) })), 400, /from_name/);
    rejected(await secure(message(1, { headers: Array.from({ length: 11 }, () => "X-A: b") })), 400, /headers/);
    rejected(await secure(message(1, { body_type: "rtf" })), 400, /body_type/);
    rejected(await secure(message(1, { receipt: 2 })), 400, /receipt/);
    rejected(await secure({ messages: [message()] }), 400, /0 recipients/);
    assert.equal(sandbox.sends().length, before);
  });

  test("with an attachment as multipart", async () => {
    const json = JSON.stringify(message(100, { subject: "s".repeat(1000), attachments: [attachmentRef(TERMS)] }));
    const { body, contentType } = buildMultipart(json, [TERMS]);
    const response = await call("POST", `${user}/email/compose/secureline/send`, { body, contentType, signedText: json });
    assert.equal(ok(response), undefined);
    const record = sandbox.sends().at(-1);
    assert.equal(record.operationId, "sendSecureEmailOrSecureText");
    assert.deepEqual(record.files, [{ name: TERMS.name, size: Buffer.byteLength(TERMS.content), hash: attachmentRef(TERMS).hash }]);
  });
});

describe("multipart on other operations", () => {
  test("a JSON-only operation refuses multipart", async () => {
    const json = JSON.stringify({ domain: "mp.example.test" });
    const { body, contentType } = buildMultipart(json, []);
    rejected(await call("POST", `/account/${sandbox.accountId}/domains`, { body, contentType, signedText: json }), 400, /does not take a multipart/);
  });
});
