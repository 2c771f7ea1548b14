// Shared by the sendEmailBatch tests: a sandbox with fault injection and a client on it, deterministic
// messages, a fake clock, and the sandbox's record of what was sent, keyed by subject.
import assert from "node:assert/strict";
import { setImmediate as tick } from "node:timers/promises";
import { luxsci } from "../support/package.mjs";
import { startSandbox } from "../../js/sandbox/index.js";

export const { LuxSciClient } = luxsci;

/** A sandbox with faults enabled and a client on it (`clientOptions` added to the client's). */
export async function setup(clientOptions = {}) {
  const sandbox = await startSandbox({ faults: true });
  const client = new LuxSciClient({
    baseUrl: sandbox.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    ...clientOptions,
  });
  return { sandbox, client };
}

/** Message `i` with a unique subject and `recipients` addresses spread over to, cc and bcc. */
export function message(i, recipients = 1) {
  const addresses = Array.from({ length: recipients }, (_, k) => `r${k}.m${i}@example.test`);
  const third = Math.ceil(recipients / 3);
  const m = { to: addresses.slice(0, third), subject: `m${i}`, body: `hello ${i}` };
  if (recipients > third) m.cc = addresses.slice(third, 2 * third);
  if (recipients > 2 * third) m.bcc = addresses.slice(2 * third);
  return m;
}

/** A fixed, well-spread number in [0, 1) for each integer (a multiplicative hash), so every run sends the same mix. */
export const spread = (n) => (Math.imul(Math.imul(n, 0x9e3779b1) ^ 0x5bd1e995, 0x85ebca6b) >>> 0) / 2 ** 32;

/** A clock whose time moves only when something sleeps on it; `sleeps` lists every wait asked for. */
export function fakeClock() {
  const clock = {
    time: 0,
    sleeps: [],
    now: () => clock.time,
    async sleep(ms) {
      clock.sleeps.push(ms);
      clock.time += ms;
      await tick();
    },
  };
  return clock;
}

/** sendmail id by subject over everything the sandbox accepted; fails if any subject was sent twice. */
export function sentBySubject(sandbox) {
  const sent = new Map();
  for (const send of sandbox.sends()) {
    send.messages.forEach((m, k) => {
      assert.ok(!sent.has(m.subject), `${m.subject} was sent twice`);
      sent.set(m.subject, send.sendmailIds[k]);
    });
  }
  return sent;
}

/** How many sendEmail requests reached the sandbox (answered, failed or dropped). */
export function sendEmailRequests(sandbox) {
  return sandbox.log.filter((e) => e.operationId === "sendEmail").length;
}

/** Asserts that `results` has one entry per message, in order, each agreeing with the sandbox's record. */
export function assertAccounted(results, count, sent) {
  assert.equal(results.length, count);
  for (let i = 0; i < count; i++) {
    const r = results[i];
    assert.equal(r?.index, i, `result ${i} missing or out of order`);
    if ("sendmailId" in r) assert.equal(r.sendmailId, sent.get(`m${i}`), `message ${i}'s id`);
    else assert.equal(typeof r.mayHaveBeenSent, "boolean", `message ${i} has neither id nor mayHaveBeenSent`);
    if (r.mayHaveBeenSent === false) assert.ok(!sent.has(`m${i}`), `message ${i} was reported unsent but was sent`);
  }
}
