// The operations beyond the endpoint reference against the sandbox over HTTP: the user profile (with the `auth` key
// LuxSci may add), the users report's filters, and the sent report fed by real sends, walked by the iterators.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { luxsci } from "../support/package.mjs";
import { startSandbox } from "../../js/sandbox/index.js";

const { LuxSciClient, LuxSciError, LuxSciAbortError, LuxSciApiError, LuxSciReportTruncatedError, LuxSciValidationError } = luxsci;

const gmt = (ms) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** A sandbox whose clock the test moves (starting at a whole second near real time), and a client on it. */
async function setup(options = {}, clientOptions = {}) {
  const clock = { now: Math.floor(Date.now() / 1000) * 1000 };
  const sandbox = await startSandbox({ clock: () => clock.now, ...options });
  const client = new LuxSciClient({
    baseUrl: sandbox.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    ...clientOptions,
  });
  return { sandbox, client, clock };
}

const messages = (from, count) =>
  Array.from({ length: count }, (_, i) => ({ to: [`r${from + i}@example.test`], subject: `m${from + i}`, body: "b" }));

const reportCalls = (sandbox, operationId) => sandbox.log.filter((entry) => entry.operationId === operationId).length;

async function collect(iterable) {
  const rows = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

describe("the SMTP sent report, fed by 2,500 sends", async () => {
  const { sandbox, client, clock } = await setup();
  const sent = [];
  for (const [from, count] of [[0, 1000], [1000, 1000], [2000, 500]]) {
    sent.push(...(await client.sendEmail({ messages: messages(from, count) })));
    clock.now += 1000;
  }

  for (const pageSize of [1, 7, 1000, 50000]) {
    test(`page size ${pageSize}: every send exactly once, in send order, in ${Math.ceil(2500 / pageSize)} requests`, async () => {
      const before = reportCalls(sandbox, "getAccountSmtpSentReport");
      const rows = await collect(client.iterateAccountSmtpSentReport({}, { pageSize }));
      assert.deepEqual(rows.map((row) => row.sendmail_id), sent);
      assert.deepEqual(rows[1234], { sendmail_id: sent[1234], date: rows[1234].date, from: sandbox.username, to: "r1234@example.test", subject: "m1234" });
      // Exact at page boundaries: no empty page is fetched after the last full one.
      assert.equal(reportCalls(sandbox, "getAccountSmtpSentReport") - before, Math.ceil(2500 / pageSize));
    });
  }

  test("the plain method returns one page as LuxSci gives it; matches: 0 returns only the count", async () => {
    const page = await client.getAccountSmtpSentReport({ first_row: 999, matches: 2 });
    assert.deepEqual(page.header, ["sendmail_id", "date", "from", "to", "subject"]);
    assert.deepEqual(page.rows.map((row) => row[0]), sent.slice(999, 1001));
    assert.equal(page.total_matches, 2500);
    assert.deepEqual(await client.getAccountSmtpSentReport({ matches: 0 }), { header: page.header, rows: [], total_matches: 2500 });
  });

  test("first_row starts the iterator there", async () => {
    const rows = await collect(client.iterateAccountSmtpSentReport({ first_row: 2490 }, { pageSize: 3 }));
    assert.deepEqual(rows.map((row) => row.sendmail_id), sent.slice(2490));
  });

  test("aborting mid-iteration stops fetching", async () => {
    const before = reportCalls(sandbox, "getAccountSmtpSentReport");
    const controller = new AbortController();
    const seen = [];
    await assert.rejects(async () => {
      for await (const row of client.iterateAccountSmtpSentReport({}, { pageSize: 1, signal: controller.signal })) {
        seen.push(row.sendmail_id);
        if (seen.length === 3) controller.abort();
      }
    }, LuxSciAbortError);
    assert.deepEqual(seen, sent.slice(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(reportCalls(sandbox, "getAccountSmtpSentReport") - before, 3);
  });

  test("bad iterator arguments are refused before anything is sent", async () => {
    const before = sandbox.log.length;
    await assert.rejects(collect(client.iterateAccountSmtpSentReport({ matches: 5 })), LuxSciValidationError);
    await assert.rejects(collect(client.iterateAccountSmtpSentReport({}, { pageSize: 0 })), LuxSciValidationError);
    await assert.rejects(collect(client.iterateAccountSmtpSentReport({}, { pageSize: 50001 })), LuxSciValidationError);
    assert.equal(sandbox.log.length, before);
  });

  test("the sandbox refuses malformed dates and out-of-range matches with 400", async () => {
    for (const query of [{ after_date: "2026-01-01" }, { from_date: "2026-02-30 00:00:00" }, { before_date: "yesterday" }, { matches: 50001 }, { first_row: -1 }]) {
      await assert.rejects(client.getAccountSmtpSentReport(query), (e) => e instanceof LuxSciApiError && e.status === 400, JSON.stringify(query));
    }
  });

  test("WebMail reports are served (the sandbox has no WebMail: no rows)", async () => {
    assert.deepEqual((await client.getAccountWebmailSentReport()).rows, []);
    assert.deepEqual(await collect(client.iterateUserWebmailSentReport({ after_date: gmt(clock.now) })), []);
  });

  test.after(() => sandbox.close());
});

test("date filters are exact at their boundaries: after and before exclusive, from inclusive", async (t) => {
  const { sandbox, client, clock } = await setup();
  t.after(() => sandbox.close());
  const t0 = clock.now;
  const ids = [];
  for (let i = 0; i < 3; i += 1) {
    clock.now = t0 + i * 1000;
    ids.push(...(await client.sendEmail({ messages: messages(i, 1) })));
  }
  const t1 = gmt(t0 + 1000);
  const idsOf = async (query) => (await collect(client.iterateAccountSmtpSentReport(query))).map((row) => row.sendmail_id);
  assert.deepEqual(await idsOf({ after_date: t1 }), [ids[2]]);
  assert.deepEqual(await idsOf({ before_date: t1 }), [ids[0]]);
  assert.deepEqual(await idsOf({ from_date: t1 }), [ids[1], ids[2]]);
  assert.deepEqual(await idsOf({ from_date: t1, before_date: gmt(t0 + 2000) }), [ids[1]]);
  assert.deepEqual(await idsOf({ after_date: gmt(t0 + 2000) }), []);
  assert.equal((await client.getAccountSmtpSentReport({ from_date: gmt(t0), matches: 0 })).total_matches, 3);
});

test("a page LuxSci cut short ends the iteration with LuxSciReportTruncatedError, from which it can resume", async (t) => {
  const { sandbox, client } = await setup({ reportByteLimit: 400 });
  t.after(() => sandbox.close());
  const ids = await client.sendEmail({ messages: messages(0, 20) });
  const seen = [];
  const error = await collect(
    (async function* () {
      for await (const row of client.iterateAccountSmtpSentReport({}, { pageSize: 20 })) yield seen.push(row.sendmail_id);
    })(),
  ).catch((e) => e);
  assert.ok(error instanceof LuxSciReportTruncatedError && error instanceof LuxSciError, String(error));
  assert.equal(error.name, "LuxSciReportTruncatedError");
  assert.equal(error.operationId, "getAccountSmtpSentReport");
  assert.ok(seen.length > 0 && seen.length < 20, `${seen.length} rows before the cut`);
  assert.equal(error.nextRow, seen.length);
  assert.equal(error.totalMatches, 20);
  assert.match(error.message, new RegExp(`first_row: ${seen.length}`));
  const rest = await collect(client.iterateAccountSmtpSentReport({ first_row: error.nextRow }, { pageSize: 1 }));
  assert.deepEqual([...seen, ...rest.map((row) => row.sendmail_id)], ids);
});

test("the users report filters by status and domain, plainly and through the iterator", async (t) => {
  const { sandbox, client } = await setup();
  t.after(() => sandbox.close());
  const all = await collect(client.iterateUsersReport({}, { pageSize: 2 }));
  assert.equal(all.length, 6);
  assert.equal(all[0].user, sandbox.username);
  const active = await collect(client.iterateUsersReport({ status: "active" }));
  assert.deepEqual(active.map((u) => u.user), [sandbox.username, "alice@clinic.example.test", "carol@lab.example.test", "erin@billing.example.test"]);
  const lab = await client.getUsersReport({ domain: "lab.example.test" });
  assert.deepEqual(lab.rows.map((row) => row[lab.header.indexOf("user")]), ["carol@lab.example.test", "dave@lab.example.test"]);
  const both = await collect(client.iterateUsersReport({ status: "active", domain: "clinic.example.test" }));
  assert.deepEqual(both.map((u) => [u.user, u.status, u.domainname]), [["alice@clinic.example.test", "active", "clinic.example.test"]]);
  assert.deepEqual(await collect(client.iterateUsersReport({ younger_than: 1 })), all);
  assert.deepEqual(await collect(client.iterateUsersReport({ older_than: 1 })), []);
});

test("getUserProfile: the `auth` key LuxSci may send next to `success` is tolerated and never part of the data", async (t) => {
  const bodies = [];
  const spy = async (url, init) => {
    const response = await fetch(url, init);
    if (String(url).endsWith("/profile")) bodies.push(await response.clone().json());
    return response;
  };
  const { sandbox, client } = await setup({}, { fetch: spy });
  t.after(() => sandbox.close());
  const profile = await client.getUserProfile();
  assert.equal(typeof bodies[0].auth, "string");
  assert.equal(bodies[0].success, 1);
  assert.equal("auth" in profile, false);
  assert.deepEqual(profile, bodies[0].data);
  assert.equal(profile.user, sandbox.username);
  assert.ok(Array.isArray(profile.services) && Array.isArray(profile.flags));
  // request() keeps reaching any path, and drops the key the same way.
  assert.deepEqual(await client.request("GET", `/user/${sandbox.username}/profile`), profile);
});
