// Every LuxSci operation end to end through the built package against the sandbox, each request
// re-verified by the independent signer, with state round trips (create → get/list → update → delete).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { luxsci } from "../support/package.mjs";
import { verifyingFetch } from "../support/verifying-fetch.mjs";
import { startSandbox } from "../../js/sandbox/index.js";

const { LuxSciClient, LuxSciApiError, LuxSciValidationError } = luxsci;
let sandbox;
let client;
let verifier;

before(async () => {
  sandbox = await startSandbox();
  verifier = verifyingFetch(sandbox.secret);
  client = new LuxSciClient({
    baseUrl: sandbox.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    fetch: verifier.fetch,
  });
});
after(() => sandbox.close());

const D = "d1.example.test";

test("authenticate once, then reuse the code", async () => {
  await client.authenticate();
  await client.authenticate();
  assert.equal(sandbox.authCalls(), 1);
});

test("domains: create, report, details, update, delete", async () => {
  await client.createDomain({ domain: D });
  assert.ok((await client.getDomainsReport()).some((d) => d.domain === D));
  assert.equal((await client.getDomainDetails(D)).domain, D);
  await client.updateDomain(D, { users: 2 });
  assert.equal((await client.getDomainDetails(D)).users, 2);
  await client.createDomain({ domain: "gone.example.test" });
  assert.equal(await client.deleteDomain("gone.example.test"), undefined);
  await assert.rejects(client.getDomainDetails("gone.example.test"), (e) => e instanceof LuxSciApiError && e.status === 404 && e.operationId === "getDomainDetails");
});

test("DKIM and bounce domain", async () => {
  await client.createDkim({ domain: D });
  assert.ok((await client.getDkimReport()).some((d) => d.domain === D));
  assert.equal((await client.getDkimDetails(D)).domain, D);
  await client.createCustomBounceDomain({ domain: `bounce.${D}` });
  await assert.rejects(client.createCustomBounceDomain({ domain: `bounce.${D}` }), (e) => e.status === 409 && e.mayHaveBeenSent === false);
  await client.deleteDkim(D);
  await assert.rejects(client.getDkimDetails(D), LuxSciApiError);
});

test("aliases: the @ in the address round-trips", async () => {
  await client.createAlias({ user: "info", domain: D, dest: "someone@example.test", action: "email" });
  const address = `info@${D}`;
  assert.ok((await client.getAliasesReport()).some((a) => a.user === "info" && a.domain === D));
  assert.equal((await client.getAliasDetails(address)).dest, "someone@example.test");
  await client.updateAlias(address, { dest: "other@example.test" });
  assert.equal((await client.getAliasDetails(address)).dest, "other@example.test");
  await client.deleteAlias(address);
  await assert.rejects(client.getAliasDetails(address), (e) => e.status === 404);
});

test("auto-responders, forwarding, SecureLine helpers", async () => {
  const id = await client.newEmailAutoResponder({ subject: "Away", body: "Back Monday" });
  assert.ok((await client.getEmailAutoResponders()).some((a) => String(a.id) === String(id)));
  await client.deleteEmailAutoResponder(id);
  assert.ok(!(await client.getEmailAutoResponders()).some((a) => String(a.id) === String(id)));
  assert.equal(await client.updateEmailForwarding({ forward: ["a@example.test"] }), undefined);
  const enc = await client.retrieveSecureLineRecipientListEncryptionData({ recipients: ["a@example.test", "b@example.test"] });
  assert.equal(enc.recipients.length, 2);
  assert.equal(typeof (await client.getDomainSmtpTlsCapability("example.com")), "object");
});

test("suppressions: account and user level, list-shaped, substring match", async () => {
  await client.createAccountSuppression({ email: "block@example.test" });
  const list = await client.getAccountSuppressionList();
  assert.ok(list.some((e) => Array.isArray(e) && e[0] === "block@example.test"));
  assert.equal((await client.getAccountSuppression("block@"))[0][0], "block@example.test");
  await client.deleteAccountSuppression("block@example.test");
  assert.deepEqual(await client.getAccountSuppression("block@"), []);
  await client.createUserSuppression({ email: "mine@example.test", notes: "asked" });
  const entry = (await client.getUserSuppressionList()).find((e) => e[0] === "mine@example.test");
  assert.equal(entry.length, 7);
  assert.equal((await client.getUserSuppression("mine"))[0][0], "mine@example.test");
  await client.deleteUserSuppression("mine@example.test");
  assert.deepEqual(await client.getUserSuppressionList(), []);
});

test("custom fields, content tags, templates, template groups", async () => {
  await client.createCustomField({ name: "plan" });
  assert.ok(JSON.stringify(await client.getCustomFields()).includes("plan"));

  const tag = await client.createEmailContentTag({ code_word: "greeting", content: "Hi" });
  assert.ok((await client.getEmailContentTagList()).some((t) => t.code_word === "greeting"));
  assert.equal((await client.getEmailContentTag(tag.tag_id)).content, "Hi");
  await client.updateEmailContentTag("greeting", { code_word: "greeting", content: "Hello" });
  assert.equal((await client.getEmailContentTag("greeting")).content, "Hello");
  await client.deleteEmailContentTag(tag.tag_id);
  await assert.rejects(client.getEmailContentTag("greeting"), (e) => e.status === 404);

  const tpl = await client.createEmailTemplate({ code_word: "welcome", subject: "Welcome" });
  assert.ok((await client.getEmailTemplateList()).some((t) => t.code_word === "welcome"));
  const mine = await client.getEmailTemplateList({ user_id: tpl.user_id });
  assert.ok(mine.every((t) => t.user_id === tpl.user_id) && mine.length >= 1);
  assert.deepEqual(await client.getEmailTemplateList({ user_id: 987654 }), []);
  await client.updateEmailTemplate("welcome", { code_word: "welcome", subject: "Hi" });
  assert.equal((await client.getEmailTemplate(tpl.template_id)).subject, "Hi");
  await client.deleteEmailTemplate("welcome");

  const group = await client.createEmailTemplateGroup({ name: "Newsletters" });
  await client.updateEmailTemplateGroup(group.template_group_id, { name: "Letters" });
  assert.ok((await client.getEmailTemplateGroups()).some((g) => g.name === "Letters"));
  await client.deleteEmailTemplateGroup(group.template_group_id);
  assert.ok(!(await client.getEmailTemplateGroups()).some((g) => g.name === "Letters"));
});

test("sending: sendmail_ids in message order; SecureLine send", async () => {
  const before = sandbox.sends().length;
  const ids = await client.sendEmail({
    messages: [
      { to: ["a@example.test"], subject: "One", body: "1" },
      { to: ["b@example.test"], cc: ["c@example.test"], subject: "Two", body: "2", body_type: "text" },
    ],
    priority: 9,
  });
  const sent = sandbox.sends().slice(before);
  assert.equal(sent.length, 1);
  assert.deepEqual(ids, sent[0].sendmailIds);
  assert.deepEqual(sent[0].messages.map((m) => m.subject), ["One", "Two"]);
  assert.equal(await client.sendSecureEmailOrSecureText({ to: ["a@example.test"], subject: "Secure", body: "x" }), undefined);
  assert.equal(sandbox.sends().at(-1).operationId, "sendSecureEmailOrSecureText");
});

test("marketing: list, contact, contacts (one result each), campaign", async () => {
  const list = await client.addMarketingList({ name: "Patients" });
  assert.ok(list.id !== undefined);
  await client.addMarketingContact({ email: "p1@example.test" });
  const results = await client.addMarketingContacts({ contacts: [{ email: "p2@example.test" }, { email: "p1@example.test" }] });
  assert.equal(results.length, 2);
  assert.equal(results[0].success, 1);
  assert.equal(results[1].success, 0);
  assert.ok((await client.addMarketingCampaign({ name: "Flu shots" })).id !== undefined);
});

test("content library: directories end in /, files uploaded as multipart", async () => {
  await client.createContentLibraryDirectory("/files");
  await client.createContentLibraryDirectory("files/media/");
  await client.uploadContentLibraryFile("files/media/hello.txt", "hello world");
  const dir = await client.getContentLibraryDirectory("files/media/");
  assert.ok(dir.meta && dir.items.some((i) => i.name === "hello.txt"));
  const file = await client.getContentLibraryFile("/files/media/hello.txt");
  assert.equal(file.size, 11);
  const top = await client.getContentLibraryDirectory();
  assert.ok(top.items.some((i) => i.name === "files"));
  assert.deepEqual(await client.getContentLibraryDirectory({ timeoutMs: 5000 }), top);
  await assert.rejects(client.deleteContentLibraryDirectory("files/media/"), (e) => e.status >= 400);
  await client.deleteContentLibraryFile("files/media/hello.txt");
  await client.deleteContentLibraryDirectory("files/media/");
  assert.ok(!(await client.getContentLibraryDirectory("files")).items.some((i) => i.name === "media"));
});

test("request(): any endpoint, signed, with query", async () => {
  const domains = await client.request("GET", "/account/" + sandbox.accountId + "/domains");
  assert.ok(domains.some((d) => d.domain === D));
  const t = await client.request("GET", `/perl/api/v2/user/${sandbox.username}/templates`, { query: { user_id: 1 } });
  assert.ok(Array.isArray(t));
  await assert.rejects(client.request("GET", "/user/x/nowhere"), (e) => e.status === 404);
  await assert.rejects(client.request("PATCH", "/x"), LuxSciValidationError);
});

test("bad input is a validation error and sends nothing", async () => {
  const n = verifier.seen.length;
  await assert.rejects(client.getDomainDetails(""), LuxSciValidationError);
  await assert.rejects(client.getContentLibraryFile("a/../b"), LuxSciValidationError);
  await assert.rejects(client.createContentLibraryDirectory("a//b/"), LuxSciValidationError);
  await assert.rejects(client.createDomain("not an object"), LuxSciValidationError);
  await assert.rejects(client.getDomainsReport({ sigal: 1 }), /unknown call option "sigal"/);
  await assert.rejects(client.getDomainsReport({ accountId: {} }), LuxSciValidationError);
  assert.throws(() => new LuxSciClient({ token: "t" }), LuxSciValidationError);
  assert.throws(() => new LuxSciClient({ token: "t", secret: "s", user: "u" }), /user and pass go together/);
  assert.throws(() => new LuxSciClient({ token: "t", secret: "s", hots: "x" }), /unknown client option "hots"/);
  assert.equal(verifier.seen.length, n);
});

test("per-call accountId and username override the defaults", async () => {
  await assert.rejects(client.getDomainsReport({ accountId: 1 }), (e) => e.status === 404);
  await assert.rejects(client.getCustomFields({ username: "someone@else.test" }), (e) => e.status === 404);
});

test("revokeAuthentication ends the session; the next call authenticates again", async () => {
  const calls = sandbox.authCalls();
  await client.revokeAuthentication();
  assert.ok(sandbox.log.some((l) => l.operationId === "revokeAuthentication" && l.ok));
  await client.getDomainsReport();
  assert.equal(sandbox.authCalls(), calls + 1);
  const fresh = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, fetch: verifier.fetch });
  const n = verifier.seen.length;
  await fresh.revokeAuthentication();
  assert.equal(verifier.seen.length, n, "revoking before any auth sends nothing");
});

test("every operation in the table was exercised, every request verified", async () => {
  const called = new Set(sandbox.log.filter((l) => l.ok).map((l) => l.operationId));
  const missing = OPERATIONS.filter((id) => !called.has(id));
  assert.deepEqual(missing, []);
  assert.ok(verifier.seen.length >= 59);
});

const OPERATIONS = [
  "authentication", "revokeAuthentication", "createContentLibraryDirectory", "deleteContentLibraryDirectory",
  "deleteContentLibraryFile", "getContentLibraryDirectory", "getContentLibraryFile", "uploadContentLibraryFile",
  "createDomain", "deleteDomain", "getDomainDetails", "getDomainsReport", "updateDomain", "createCustomBounceDomain",
  "createDkim", "deleteDkim", "deleteEmailAutoResponder", "getDkimDetails", "getDkimReport", "getEmailAutoResponders",
  "newEmailAutoResponder", "retrieveSecureLineRecipientListEncryptionData", "updateEmailForwarding", "createAlias",
  "deleteAlias", "getAliasDetails", "getAliasesReport", "updateAlias", "createAccountSuppression", "createCustomField",
  "createEmailContentTag", "createEmailTemplate", "createEmailTemplateGroup", "createUserSuppression",
  "deleteAccountSuppression", "deleteEmailContentTag", "deleteEmailTemplate", "deleteEmailTemplateGroup",
  "deleteUserSuppression", "getAccountSuppression", "getAccountSuppressionList", "getCustomFields",
  "getDomainSmtpTlsCapability", "getEmailContentTag", "getEmailContentTagList", "getEmailTemplate",
  "getEmailTemplateGroups", "getEmailTemplateList", "getUserSuppression", "getUserSuppressionList", "sendEmail",
  "sendSecureEmailOrSecureText", "updateEmailContentTag", "updateEmailTemplate", "updateEmailTemplateGroup",
  "addMarketingCampaign", "addMarketingContact", "addMarketingContacts", "addMarketingList",
];
