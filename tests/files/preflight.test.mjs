// Pre-flight rejections of sends and uploads: each is a LuxSciValidationError with nothing sent (no fetch, sandbox log and sends unchanged) and, where files are involved, nothing read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clientOf, LuxSciApiError, LuxSciClient, LuxSciValidationError, message, sandboxFor, sha256 } from "./helpers.mjs";

/** A Blob that counts how often its bytes are asked for. */
class SpyBlob extends Blob {
  reads = 0;
  slice(...args) {
    this.reads += 1;
    return super.slice(...args);
  }
  arrayBuffer() {
    this.reads += 1;
    return super.arrayBuffer();
  }
  stream() {
    this.reads += 1;
    return super.stream();
  }
}

const messages = (count, recipients = 1) => Array.from({ length: count }, () => message(recipients));
const spy = new SpyBlob(["x".repeat(59)]);

/** [label, client options, call, expected message] */
const rejections = [
  ["no messages", {}, (c) => c.sendEmail({ messages: [] }), /1 to 1000 messages per call; got 0/],
  ["1001 messages", {}, (c) => c.sendEmail({ messages: messages(1001) }), /1 to 1000 messages per call; got 1001/],
  ["messages not an array", {}, (c) => c.sendEmail({ messages: message() }), /messages must be an array/],
  ["a message that is not an object", {}, (c) => c.sendEmail({ messages: [message(), "hi"] }), /messages\[1\] must be an object/],
  ["more messages than a configured maximum", { sendLimits: { maxMessages: 2 } }, (c) => c.sendEmail({ messages: messages(3) }), /1 to 2 messages/],
  ["a message without recipients", {}, (c) => c.sendEmail({ messages: [message(1), message(0)] }), /message 1 has 0 recipients; each message needs 1 to 100/],
  [
    "101 recipients across to, cc and bcc",
    {},
    (c) => c.sendEmail({ messages: [message(50, { cc: message(50).to, bcc: ["b@example.test"] })] }),
    /message 0 has 101 recipients/,
  ],
  ["1001 recipients in one call", {}, (c) => c.sendEmail({ messages: messages(11, 91) }), /at most 1000 recipients in all; got 1001/],
  ["a configured per-call maximum", { sendLimits: { maxRecipientsPerCall: 10 } }, (c) => c.sendEmail({ messages: messages(2, 6) }), /at most 10 recipients in all; got 12/],
  ["recipients that are not addresses", {}, (c) => c.sendEmail({ messages: [message(1, { cc: 42 })] }), /messages\[0\]\.cc must be an array/],
  ...[-1, 10, 4.5, Number.NaN, "5", null].map((priority) => [
    `priority ${String(priority)}`,
    {},
    (c) => c.sendEmail({ messages: messages(1), priority }),
    /priority must be an integer from 0 to 9/,
  ]),
  [
    "subject + body + attachments over 66% of smtpSizeLimit (and the file is not read)",
    { smtpSizeLimit: 1000 },
    (c) => c.sendEmail({ messages: [message(1), message(1, { subject: "é", body: "b".repeat(600), attachments: [{ name: "x.txt", content: spy }] })] }),
    /message 1 is 661 bytes \(subject \+ body \+ attachments\); the limit is 66% of the SMTP size limit, 660 bytes/,
  ],
  [
    "a secure message over 66% of smtpSizeLimit",
    { smtpSizeLimit: 100 },
    (c) => c.sendSecureEmailOrSecureText({ ...message(1), body: "", attachments: [{ name: "x.txt", content: new Uint8Array(67) }] }),
    /message 0 is 72 bytes/,
  ],
  ["a secure message with 101 recipients", {}, (c) => c.sendSecureEmailOrSecureText(message(101)), /101 recipients/],
  [
    "two different files under one name",
    {},
    (c) => c.sendEmail({ messages: [message(1, { attachments: [{ name: "a.txt", content: "one" }] }), message(1, { attachments: [{ name: "a.txt", content: "two" }] })] }),
    /two different files are both named "a.txt" in one call; give them distinct names/,
  ],
  [
    "a reference whose name an uploaded file of other content has",
    {},
    (c) => c.sendEmail({ messages: [message(1, { attachments: [{ name: "a.txt", content: "one" }, { name: "a.txt", hash: sha256("two") }] })] }),
    /both named "a.txt"/,
  ],
  ...['say "hi".txt', "two\r\nlines.txt", "dir/a.txt", "back\\slash.txt", "tab\there.txt"].map((name) => [
    `file name ${JSON.stringify(name)}`,
    {},
    (c) => c.sendEmail({ messages: [message(1, { attachments: [{ name, content: "x" }] })] }),
    /cannot be sent: a file name must not contain/,
  ]),
  ["content without a name", {}, (c) => c.sendEmail({ messages: [message(1, { attachments: [new Uint8Array(3)] })] }), /attachments\[0\] needs a name/],
  ["attachments not an array", {}, (c) => c.sendEmail({ messages: [message(1, { attachments: "a.txt" })] }), /attachments must be an array/],
  ["an attachment with neither hash nor content", {}, (c) => c.sendEmail({ messages: [message(1, { attachments: [{ name: "a.txt" }] })] }), /needs name and hash, or name and content/],
  ["an attachment content of another type", {}, (c) => c.sendEmail({ messages: [message(1, { attachments: [{ name: "a.txt", content: 42 }] })] }), /must be a Blob, File/],
  ["an empty contentType", {}, (c) => c.sendEmail({ messages: [message(1, { attachments: [{ name: "a.txt", content: "x", contentType: "" }] })] }), /contentType must be a non-empty string/],
  ["an upload of a number", {}, (c) => c.uploadContentLibraryFile("docs/a.txt", 42), /file must be a Blob, File/],
  ["an upload whose path names a file that cannot be sent", {}, (c) => c.uploadContentLibraryFile('docs/a"b.txt', "x"), /cannot be sent/],
  ["request files that are not an array", {}, (c) => c.request("POST", "/user/u/content_library/a.txt", { files: "x" }), /files must be an array/],
  ["request files with a body that is not an object", {}, (c) => c.request("POST", "/user/u/content_library/a.txt", { body: "[]", files: [] }), /body must be an object when files are sent/],
  ["request files with GET", {}, (c) => c.request("GET", "/user/u/content_library/a.txt", { files: [new File(["x"], "a.txt")] }), /GET and DELETE requests carry no body/],
];

test("every pre-flight rejection is a LuxSciValidationError with nothing sent", async (t) => {
  const sandbox = await sandboxFor(t);
  for (const [label, options, call, expected] of rejections) {
    const { client, counter } = clientOf(sandbox, options);
    const [logged, sent] = [sandbox.log.length, sandbox.sends().length];
    await assert.rejects(call(client), (error) => {
      assert.ok(error instanceof LuxSciValidationError, `${label}: ${error}`);
      assert.match(error.message, expected, label);
      return true;
    });
    assert.equal(counter.fetches, 0, `${label}: fetch calls`);
    assert.equal(sandbox.log.length, logged, `${label}: sandbox log`);
    assert.equal(sandbox.sends().length, sent, `${label}: sandbox sends`);
  }
  assert.equal(spy.reads, 0, "an oversize message's file is never read");
  assert.deepEqual(sandbox.log, []);
});

test("invalid limit options are refused when the client is made", () => {
  for (const [options, expected] of [
    [{ sendLimits: { maxMessages: 0 } }, /maxMessages/],
    [{ sendLimits: { maxRecipientsPerMessage: 2.5 } }, /maxRecipientsPerMessage/],
    [{ sendLimits: { maxRecipients: 5 } }, /unknown sendLimits option "maxRecipients"/],
    [{ sendLimits: 5 }, /sendLimits must be an object/],
    [{ smtpSizeLimit: -1 }, /smtpSizeLimit must be a positive number of bytes/],
    [{ smtpSizeLimit: "10MB" }, /smtpSizeLimit must be a positive number of bytes/],
  ]) {
    assert.throws(() => new LuxSciClient({ baseUrl: "http://127.0.0.1:9", token: "t", secret: "s", ...options }), (error) => {
      assert.ok(error instanceof LuxSciValidationError, String(error));
      assert.match(error.message, expected);
      return true;
    });
  }
});

test("raised limits let a call through to the server; 66% of smtpSizeLimit exactly is sent", async (t) => {
  const sandbox = await sandboxFor(t);
  const { client, counter } = clientOf(sandbox, { sendLimits: { maxRecipientsPerMessage: 200 } });
  // The sandbox keeps the documented 100, so a raised limit shows as LuxSci's own refusal.
  await assert.rejects(client.sendEmail({ messages: [message(150)] }), (error) => {
    assert.ok(error instanceof LuxSciApiError, String(error));
    assert.equal(error.status, 400);
    return true;
  });
  assert.ok(counter.fetches > 0);

  const { client: sized } = clientOf(sandbox, { smtpSizeLimit: 1000 });
  const file = new SpyBlob(["x".repeat(58)]);
  await sized.sendEmail({ messages: [message(1, { subject: "é", body: "b".repeat(600), attachments: [{ name: "x.txt", content: file }] })] });
  assert.deepEqual(sandbox.sends().at(-1).files, [{ name: "x.txt", hash: sha256("x".repeat(58)), size: 58 }]);
  assert.ok(file.reads > 0);
});
