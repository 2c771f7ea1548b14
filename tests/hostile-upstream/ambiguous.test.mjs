// Answers that might mean LuxSci accepted a send, against an upstream over real HTTP: a 2xx that is not LuxSci's
// JSON, and a success without one sendmail id per message, reject with mayHaveBeenSent: true, and the batch sender
// never sends those messages again; LuxSci's own refusal (success: 0) still says not sent.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { luxsci, upstream, clientOf, oneMessage, subjectsReceived } from "./upstream.mjs";

const { LuxSciApiError } = luxsci;

/** 2xx answers that are not LuxSci's success envelope: LuxSci may have accepted the call all the same. */
const AMBIGUOUS = [
  { status: 200, body: "<html><body>OK</body></html>" },
  { status: 200, body: "" },
  { status: 200, json: [1, 2, 3] },
  { status: 200, json: { success: "yes" } },
  { status: 202, json: { success: null, data: ["id"] } },
];

/** An upstream answering each sendEmail with the next of `answers` (round robin). */
async function answering(answers) {
  let next = 0;
  const up = await upstream((r) => (r.path.endsWith("/email/send") ? answers[next++ % answers.length] : undefined));
  after(() => up.close());
  return up;
}

test("sendEmail answered 200 with HTML, nothing, [1,2,3], {success:\"yes\"} or an unknown flag: mayHaveBeenSent, sent once", async () => {
  const up = await answering(AMBIGUOUS);
  const client = clientOf(up);
  for (const answer of AMBIGUOUS) {
    await assert.rejects(client.sendEmail(oneMessage()), (e) => {
      assert.ok(e instanceof LuxSciApiError, e.name);
      assert.equal(e.status, answer.status);
      assert.equal(e.mayHaveBeenSent, true, `${JSON.stringify(answer)}: ${e.message}`);
      assert.match(e.message, /may have reached LuxSci, so it was not repeated/);
      return true;
    });
  }
  assert.equal(up.calls().length, AMBIGUOUS.length, "one request per call");
});

test("other calls that are not safe to repeat (createAlias) are judged alike; a GET's error carries no mayHaveBeenSent", async () => {
  const up = await upstream((r) => (r.path.includes("/aliases") ? AMBIGUOUS[0] : undefined));
  after(() => up.close());
  const client = clientOf(up);
  await assert.rejects(client.createAlias({ user: "a", domain: "example.test", dest: "b@example.test", action: "email" }), (e) => e.mayHaveBeenSent === true);
  await assert.rejects(client.getAliasesReport(), (e) => e instanceof LuxSciApiError && e.mayHaveBeenSent === undefined);
});

test("LuxSci's own refusal in a 200 (success: 0) and any 4xx still say not sent", async () => {
  const up = await answering([
    { status: 200, json: { success: 0, error_message: "quota exceeded" } },
    { status: 200, json: { success: 0 } },
    { status: 400, body: "<html>Bad Request</html>" },
  ]);
  const client = clientOf(up);
  for (let i = 0; i < 3; i++) await assert.rejects(client.sendEmail(oneMessage()), (e) => e instanceof LuxSciApiError && e.mayHaveBeenSent === false);
});

test("sendEmail answered {success: 1} without data, or with the wrong number of ids: rejected with mayHaveBeenSent, never resolved", async () => {
  const up = await answering([
    { status: 200, json: { success: 1 } },
    { status: 200, json: { success: 1, data: ["only-one"] } },
    { status: 200, json: { success: 1, data: [null, "b"] } },
    { status: 200, json: { success: 1, data: ["a", "b"] } },
  ]);
  const client = clientOf(up);
  const two = { messages: [...oneMessage("a").messages, ...oneMessage("b").messages] };
  for (let i = 0; i < 3; i++) {
    await assert.rejects(client.sendEmail(two), (e) => {
      assert.ok(e instanceof LuxSciApiError, e.name);
      assert.equal(e.mayHaveBeenSent, true);
      assert.match(e.message, /reported success but answered/);
      return true;
    });
  }
  assert.deepEqual(await client.sendEmail(two), ["a", "b"]);
});

test("sendEmailBatch against ambiguous answers: every message mayHaveBeenSent, and resumeFrom sends none again", async () => {
  const answers = [...AMBIGUOUS, { status: 200, json: { success: 1 } }];
  const up = await answering(answers);
  const client = clientOf(up);
  const messages = answers.map((_, i) => oneMessage(`m${i}`).messages[0]);
  const first = await client.sendEmailBatch(messages, { limits: { maxMessages: 1 } });
  assert.equal(first.length, messages.length);
  for (const r of first) {
    assert.equal(r.mayHaveBeenSent, true, `message ${r.index}: ${r.error?.message}`);
    assert.equal(r.sendmailId, undefined);
  }
  const again = await client.sendEmailBatch(messages, { limits: { maxMessages: 1 }, resumeFrom: first });
  assert.ok(again.every((r) => r.mayHaveBeenSent === true));
  const received = subjectsReceived(up);
  assert.deepEqual(received.toSorted(), messages.map((m) => m.subject).toSorted(), "each message received exactly once");
});
