// Happy path and state round trip of every one of the 64 operations (59 of the reference, 5 beyond it) (checked at the end against the sandbox's log).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ROUTES } from "../../js/sandbox/routes.js";
import { buildMultipart, attachmentRef } from "../support/multipart.mjs";
import { sha256Hex } from "../support/signer.mjs";
import { authenticate, clientFor, ok, openSandbox, rejected } from "./helpers.mjs";

let sandbox;
let call;
let account;
let user;

before(async () => {
  ({ sandbox, call, account, user } = await openSandbox({ accountId: "10001", username: "ops@example.test", password: "pw" }));
});

after(async () => {
  const succeeded = new Set(sandbox.log.filter((entry) => entry.ok).map((entry) => entry.operationId));
  const missing = ROUTES.map((route) => route.operationId).filter((id) => !succeeded.has(id));
  await sandbox.close();
  assert.deepEqual(missing, [], "operations without a successful call in this file");
});

describe("domains", () => {
  test("create, report, details, partial update, delete", async () => {
    const created = ok(await call("POST", `${account}/domains`, { json: { domain: "Mail.Example.test", users: 2, note: "n" } }));
    assert.equal(created.domain, "mail.example.test");
    assert.equal(created.users, 2);
    assert.equal(typeof created.id, "number");
    rejected(await call("POST", `${account}/domains`, { json: { domain: "mail.example.test" } }), 409, /already exists/);
    rejected(await call("POST", `${account}/domains`, { json: { domain: "not a domain" } }), 400, /valid domain/);
    assert.deepEqual(ok(await call("GET", `${account}/domains`)), [created]);
    assert.deepEqual(ok(await call("GET", `${account}/domains/mail.example.test`)), created);
    assert.equal(ok(await call("PUT", `${account}/domains/mail.example.test`, { json: { is_enabled: 0 } })), undefined);
    assert.deepEqual(ok(await call("GET", `${account}/domains/MAIL.example.test`)), { ...created, is_enabled: 0 });
    rejected(await call("PUT", `${account}/domains/mail.example.test`, { json: { domain: "other.example.test" } }), 400, /cannot be changed/);
    ok(await call("DELETE", `${account}/domains/mail.example.test`));
    rejected(await call("GET", `${account}/domains/mail.example.test`), 404, /no such domain/);
    rejected(await call("DELETE", `${account}/domains/mail.example.test`), 404, /no such domain/);
  });
});

describe("DKIM and bounce domains", () => {
  test("DKIM create, report, details, delete", async () => {
    const created = ok(await call("POST", `${account}/dkim`, { json: { domain: "example.com" } }));
    assert.equal(created.domain, "example.com");
    rejected(await call("POST", `${account}/dkim`, { json: { domain: "example.com" } }), 409, /already configured/);
    assert.deepEqual(ok(await call("GET", `${account}/dkim`)), [created]);
    assert.deepEqual(ok(await call("GET", `${account}/dkim/example.com`)), created);
    ok(await call("DELETE", `${account}/dkim/example.com`));
    assert.deepEqual(ok(await call("GET", `${account}/dkim`)), []);
    rejected(await call("GET", `${account}/dkim/example.com`), 404, /no DKIM/);
  });

  test("bounce domain create; duplicates 409", async () => {
    const created = ok(await call("POST", `${account}/bounce_domain`, { json: { domain: "bounce.example.com" } }));
    assert.equal(created.domain, "bounce.example.com");
    rejected(await call("POST", `${account}/bounce_domain`, { json: { domain: "bounce.example.com" } }), 409, /already exists/);
  });
});

describe("aliases", () => {
  test("create, report, details, partial update, delete; the domain must exist and stays in use", async () => {
    rejected(
      await call("POST", `${account}/aliases`, { json: { user: "info", domain: "nodomain.test", dest: "a@b.test", action: "email" } }),
      400,
      /not in this account/,
    );
    ok(await call("POST", `${account}/domains`, { json: { domain: "alias.example.test" } }));
    const alias = ok(
      await call("POST", `${account}/aliases`, { json: { user: "info", domain: "alias.example.test", dest: "a@b.test", action: "email" } }),
    );
    assert.equal(alias.user, "info");
    rejected(
      await call("POST", `${account}/aliases`, { json: { user: "INFO", domain: "alias.example.test", action: "bounce" } }),
      409,
      /already exists/,
    );
    rejected(await call("POST", `${account}/aliases`, { json: { user: "x", domain: "alias.example.test", action: "drop" } }), 400, /'action'/);
    assert.deepEqual(ok(await call("GET", `${account}/aliases`)), [alias]);
    assert.deepEqual(ok(await call("GET", `${account}/aliases/info%40alias.example.test`)), alias);
    ok(await call("PUT", `${account}/aliases/info@alias.example.test`, { json: { status: "disabled", action: "bounce", bounce: "gone" } }));
    assert.deepEqual(ok(await call("GET", `${account}/aliases/info@alias.example.test`)), {
      ...alias,
      status: "disabled",
      action: "bounce",
      bounce: "gone",
    });
    rejected(await call("PUT", `${account}/aliases/info@alias.example.test`, { json: { user: "x" } }), 400, /can change only/);
    rejected(await call("PUT", `${account}/aliases/info@alias.example.test`, { json: { status: "maybe" } }), 400, /'status'/);
    rejected(await call("DELETE", `${account}/domains/alias.example.test`), 409, /in use/);
    ok(await call("DELETE", `${account}/aliases/info@alias.example.test`));
    rejected(await call("GET", `${account}/aliases/info@alias.example.test`), 404, /no such alias/);
    ok(await call("DELETE", `${account}/domains/alias.example.test`));
  });
});

describe("alias limit", () => {
  test("100 + 10 per domain user; the refused alias is not created", async () => {
    ok(await call("POST", `${account}/domains`, { json: { domain: "limit.example.test", users: 1 } }));
    const create = (n) => call("POST", `${account}/aliases`, { json: { user: `a${n}`, domain: "limit.example.test", action: "bounce" } });
    for (let n = 0; n < 110; n += 1) ok(await create(n));
    rejected(await create(110), 400, /alias limit reached for domain limit\.example\.test: 110 \(100 \+ 10 per user, 1 users\)/);
    rejected(await call("GET", `${account}/aliases/a110@limit.example.test`), 404, /no such alias/);
    ok(await call("PUT", `${account}/domains/limit.example.test`, { json: { users: 2 } }));
    ok(await create(110));
    const inDomain = ok(await call("GET", `${account}/aliases`)).filter((alias) => alias.domain === "limit.example.test");
    assert.equal(inDomain.length, 111);
    for (let n = 0; n <= 110; n += 1) ok(await call("DELETE", `${account}/aliases/a${n}@limit.example.test`));
    ok(await call("DELETE", `${account}/domains/limit.example.test`));
  });
});

describe("suppressions", () => {
  test("account level: create one or many, list, substring get, exact delete", async () => {
    ok(await call("POST", `${account}/suppression/`, { json: { email: "a@x.test", expires: 30 } }));
    ok(await call("POST", `${account}/suppression/`, { json: { emails: ["b@x.test", "ab@y.test"] } }));
    rejected(await call("POST", `${account}/suppression/`, { json: { emails: ["c@x.test", "a@x.test"] } }), 409, /already suppressed/);
    rejected(await call("POST", `${account}/suppression/`, { json: { email: "d@x.test", expires: -1 } }), 400, /expires/);
    const list = ok(await call("GET", `${account}/suppression/`));
    assert.deepEqual(list, [
      ["a@x.test", 30, 10001, 0, 0],
      ["b@x.test", 0, 10001, 0, 0],
      ["ab@y.test", 0, 10001, 0, 0],
    ]);
    assert.deepEqual(ok(await call("GET", `${account}/suppression/b%40`)).map((entry) => entry[0]), ["b@x.test", "ab@y.test"]);
    assert.deepEqual(ok(await call("GET", `${account}/suppression/nobody`)), []);
    ok(await call("DELETE", `${account}/suppression/b@x.test`));
    rejected(await call("DELETE", `${account}/suppression/b@x.test`), 404, /no suppression/);
    assert.equal(ok(await call("GET", `${account}/suppression/`)).length, 2);
  });

  test("user level: seven-field entries with creation time and notes", async () => {
    ok(await call("POST", `${user}/suppression/`, { json: { email: "u@x.test", notes: "asked" } }));
    const [entry] = ok(await call("GET", `${user}/suppression/`));
    assert.equal(entry.length, 7);
    assert.deepEqual([entry[0], entry[1], entry[2], entry[6]], ["u@x.test", 0, 10001, "asked"]);
    assert.match(entry[5], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.deepEqual(ok(await call("GET", `${user}/suppression/u@x`)), [entry]);
    ok(await call("DELETE", `${user}/suppression/u@x.test`));
    assert.deepEqual(ok(await call("GET", `${user}/suppression/`)), []);
  });
});

describe("auto-responders and forwarding", () => {
  test("new returns the id; list; delete by id", async () => {
    const id = ok(await call("POST", `${user}/email/ar`, { json: { subject: "Away", body: "Back Monday" } }));
    assert.equal(typeof id, "number");
    const list = ok(await call("GET", `${user}/email/ar`));
    assert.deepEqual(list.map((ar) => [ar.id, ar.subject]), [[id, "Away"]]);
    ok(await call("DELETE", `${user}/email/ar/${id}`));
    rejected(await call("DELETE", `${user}/email/ar/${id}`), 404, /no such auto-responder/);
    assert.deepEqual(ok(await call("GET", `${user}/email/ar`)), []);
  });

  test("forwarding settings are stored (no getter; no data)", async () => {
    assert.equal(ok(await call("PUT", `${user}/email/forwarding`, { json: { forward_to: ["x@y.test"], keep_copy: 1 } })), undefined);
    rejected(await call("PUT", `${user}/email/forwarding`, { json: [1] }), 400, /JSON object/);
  });
});

describe("custom fields, content tags, templates, template groups", () => {
  test("custom fields: create, list, duplicate name 409", async () => {
    const field = ok(await call("POST", `${user}/fields`, { json: { name: "Plan", type: "text" } }));
    assert.equal(field.name, "Plan");
    rejected(await call("POST", `${user}/fields`, { json: { name: "plan" } }), 409, /already exists/);
    assert.deepEqual(ok(await call("GET", `${user}/fields`)), [field]);
  });

  test("content tags: by numeric id or code_word; update replaces all fields", async () => {
    const tag = ok(await call("POST", `${user}/content_tags`, { json: { code_word: "footer", content: "Bye", description: "d" } }));
    assert.equal(typeof tag.tag_id, "number");
    rejected(await call("POST", `${user}/content_tags`, { json: { code_word: "footer" } }), 409, /already exists/);
    rejected(await call("POST", `${user}/content_tags`, { json: { content: "x" } }), 400, /code_word/);
    assert.deepEqual(ok(await call("GET", `${user}/content_tags/${tag.tag_id}`)), tag);
    assert.deepEqual(ok(await call("GET", `${user}/content_tags/footer`)), tag);
    assert.deepEqual(ok(await call("GET", `${user}/content_tags`)), [tag]);
    ok(await call("PUT", `${user}/content_tags/footer`, { json: { code_word: "footer2", content: "Ciao" } }));
    const updated = ok(await call("GET", `${user}/content_tags/${tag.tag_id}`));
    assert.deepEqual(updated, { code_word: "footer2", content: "Ciao", tag_id: tag.tag_id, type: "static" });
    rejected(await call("PUT", `${user}/content_tags/footer2`, { json: { code_word: "footer2", type: "dynamic" } }), 400, /type/);
    rejected(await call("GET", `${user}/content_tags/footer`), 404, /no such content tag/);
    ok(await call("DELETE", `${user}/content_tags/footer2`));
    assert.deepEqual(ok(await call("GET", `${user}/content_tags`)), []);
  });

  test("templates: by id or code_word, user_id filter, full replacement, delete", async () => {
    const template = ok(await call("POST", `${user}/templates`, { json: { name: "Welcome", code_word: "welcome", html: "<p>Hi</p>" } }));
    assert.equal(typeof template.template_id, "number");
    const other = ok(await call("POST", `${user}/templates`, { json: { name: "Other", user_id: 7 } }));
    assert.deepEqual(ok(await call("GET", `${user}/template/welcome`)), template);
    assert.deepEqual(ok(await call("GET", `${user}/templates`)), [template, other]);
    assert.deepEqual(ok(await call("GET", `${user}/templates?user_id=7`)), [other]);
    rejected(await call("GET", `${user}/templates?user_id=x`), 400, /user_id/);
    ok(await call("PUT", `${user}/template/${other.template_id}`, { json: { name: "Other", user_id: 7, type: "html" } }));
    ok(await call("PUT", `${user}/template/${other.template_id}`, { json: { name: "Other", user_id: 7, type: "text" } }));
    other.type = "text";
    ok(await call("PUT", `${user}/template/${template.template_id}`, { json: { name: "Welcome 2" } }));
    assert.deepEqual(ok(await call("GET", `${user}/template/${template.template_id}`)), { name: "Welcome 2", template_id: template.template_id });
    rejected(await call("GET", `${user}/template/welcome`), 404, /no such template/);
    ok(await call("DELETE", `${user}/template/${template.template_id}`));
    assert.deepEqual(ok(await call("GET", `${user}/templates`)), [other]);
  });

  test("template groups: create, list, rename, delete", async () => {
    const group = ok(await call("POST", `${user}/template_group`, { json: { name: "News" } }));
    assert.equal(typeof group.template_group_id, "number");
    rejected(await call("POST", `${user}/template_group`, { json: { name: "News" } }), 409, /already exists/);
    ok(await call("PUT", `${user}/template_group/${group.template_group_id}`, { json: { name: "Newsletters" } }));
    assert.deepEqual(ok(await call("GET", `${user}/template_groups`)), [{ ...group, name: "Newsletters" }]);
    ok(await call("DELETE", `${user}/template_group/${group.template_group_id}`));
    rejected(await call("DELETE", `${user}/template_group/${group.template_group_id}`), 404, /no such template group/);
  });
});

describe("marketing", () => {
  test("addList and addCampaign return the new id and the fields", async () => {
    const list = ok(await call("POST", `${account}/marketing/addList`, { json: { name: "Customers", description: "all" } }));
    assert.equal(typeof list.id, "number");
    assert.equal(list.description, "all");
    const campaign = ok(await call("POST", `${account}/marketing/addCampaign`, { json: { name: "Launch", list_id: list.id } }));
    assert.equal(campaign.list_id, list.id);
    assert.notEqual(campaign.id, list.id);
    rejected(await call("POST", `${account}/marketing/addCampaign`, { json: {} }), 400, /'name'/);
  });

  test("addContact (duplicate 409) and addContacts (one result per contact, in order)", async () => {
    const contact = ok(await call("POST", `${account}/marketing/addContact`, { json: { email: "c1@x.test", first_name: "C" } }));
    assert.equal(contact.email, "c1@x.test");
    rejected(await call("POST", `${account}/marketing/addContact`, { json: { email: "C1@x.test" } }), 409, /already exists/);
    const results = ok(
      await call("POST", `${account}/marketing/addContacts`, {
        json: { contacts: [{ email: "c2@x.test" }, { email: "c1@x.test" }, { email: "bad" }, { email: "c3@x.test" }] },
      }),
    );
    assert.deepEqual(results.map((r) => r.success), [1, 0, 0, 1]);
    assert.equal(results[0].data.email, "c2@x.test");
    assert.match(results[1].error_message, /already exists/);
    assert.match(results[2].error_message, /valid email/);
    rejected(await call("POST", `${account}/marketing/addContact`, { json: { email: "c3@x.test" } }), 409, /already exists/);
  });
});

describe("SecureLine lookups (synthetic)", () => {
  test("TLS capability of a domain", async () => {
    const data = ok(await call("GET", `${user}/email/compose/secureline/tls/example.org`));
    assert.equal(data.domain, "example.org");
    assert.equal(data.tls, 1);
    assert.ok(data.mx.length > 0);
    assert.equal(ok(await call("GET", `${user}/email/compose/secureline/tls/notls.example.org`)).tls, 0);
    rejected(await call("GET", `${user}/email/compose/secureline/tls/bad_domain`), 400, /valid domain/);
  });

  test("recipient encryption data: one list per recipient", async () => {
    const data = ok(await call("POST", `${user}/email/compose/secureline/recipients`, { json: { recipients: ["a@example.org", "b@notls.example.org"] } }));
    assert.deepEqual(data, { recipients: [["a@example.org", "tls"], ["b@notls.example.org", "escrow"]] });
    rejected(await call("POST", `${user}/email/compose/secureline/recipients`, { json: { recipients: [] } }), 400, /recipients/);
  });
});

describe("content library", () => {
  test("directories, upload, file details, listing, deletes", async () => {
    const top = ok(await call("GET", `${user}/content_library/`));
    assert.deepEqual(top.items, []);
    assert.equal(top.meta.path, "/");
    ok(await call("POST", `${user}/content_library/media/`));
    ok(await call("POST", `${user}/content_library/media/img/`));
    const file = { name: "logo.png", content: Buffer.from([137, 80, 78, 71, 0, 1, 2]), contentType: "image/png" };
    const json = JSON.stringify({ attachments: [attachmentRef(file)] });
    const { body, contentType } = buildMultipart(json, [file]);
    const uploaded = ok(await call("POST", `${user}/content_library/media/logo.png`, { body, contentType, signedText: json }));
    const expected = { name: "logo.png", path: "/media/logo.png", size: 7, hash: sha256Hex(file.content), content_type: "image/png" };
    assert.deepEqual({ ...uploaded, created: undefined }, { ...expected, created: undefined });
    assert.deepEqual(ok(await call("GET", `${user}/content_library/media/logo.png`)), uploaded);
    const media = ok(await call("GET", `${user}/content_library/media/`));
    assert.equal(media.meta.path, "/media/");
    assert.deepEqual(media.items.map((item) => [item.name, item.type]), [["img", "directory"], ["logo.png", "file"]]);
    rejected(await call("DELETE", `${user}/content_library/media/`), 409, /not empty/);
    ok(await call("DELETE", `${user}/content_library/media/logo.png`));
    rejected(await call("GET", `${user}/content_library/media/logo.png`), 404, /no such file/);
    ok(await call("DELETE", `${user}/content_library/media/img/`));
    ok(await call("DELETE", `${user}/content_library/media/`));
    assert.deepEqual(ok(await call("GET", `${user}/content_library/`)).items, []);
  });
});

describe("sending", () => {
  test("sendEmail returns one sendmail_id per message, in order, and is recorded", async () => {
    const messages = [
      { to: ["a@x.test"], subject: "One", body: "1" },
      { to: ["b@x.test"], cc: ["c@x.test"], subject: "Two", body: "2" },
    ];
    const ids = ok(await call("POST", `${user}/email/send`, { json: { messages, priority: 9 } }));
    assert.equal(ids.length, 2);
    assert.equal(new Set(ids).size, 2);
    assert.ok(ids.every((id) => typeof id === "string"));
    const [record] = sandbox.sends().filter((send) => send.operationId === "sendEmail");
    assert.deepEqual(record, { operationId: "sendEmail", sendmailIds: ids, messages, files: [] });
  });

  test("sendSecureEmailOrSecureText takes one message and returns no data", async () => {
    const message = { to: ["a@x.test"], subject: "Secure", body: "<b>hi</b>", body_type: "html" };
    const response = await call("POST", `${user}/email/compose/secureline/send`, { json: message });
    assert.equal(ok(response), undefined);
    assert.deepEqual(response.body, { success: 1 });
    const records = sandbox.sends().filter((send) => send.operationId === "sendSecureEmailOrSecureText");
    assert.deepEqual(records, [{ operationId: "sendSecureEmailOrSecureText", sendmailIds: [], messages: [message], files: [] }]);
  });
});

describe("beyond the reference: profile, users report, sent reports", () => {
  test("the profile carries an auth key next to success; the reports are header + rows + total_matches", async () => {
    const profile = await call("GET", `${user}/profile`);
    assert.equal(ok(profile).user, "ops@example.test");
    assert.equal(typeof profile.body.auth, "string");
    const users = ok(await call("GET", `${account}/users?status=suspended`));
    assert.deepEqual(users.rows.map((row) => row[0]), ["bob@clinic.example.test"]);
    assert.equal(users.total_matches, 1);
    const sent = ok(await call("GET", `${account}/report/email/smtp/sent?matches=0`));
    assert.deepEqual(sent, { header: ["sendmail_id", "date", "from", "to", "subject"], rows: [], total_matches: sent.total_matches });
    rejected(await call("GET", `${account}/report/email/smtp/sent?matches=50001`), 400, /matches/);
    rejected(await call("GET", `${account}/report/email/webmail/sent?after_date=2026-13-01%2000:00:00`), 400, /after_date/);
    assert.deepEqual(ok(await call("GET", `${user}/report/email/webmail/sent`)).rows, []);
    assert.equal(ok(await call("GET", `${account}/report/email/webmail/sent?first_row=0&matches=10`)).total_matches, 0);
  });
});

describe("authentication operations", () => {
  test("authentication and revokeAuthentication", async () => {
    const { status, body } = await authenticate(sandbox);
    assert.equal(status, 201);
    const other = clientFor(sandbox, body.auth);
    assert.equal((await other.call("DELETE", "/auth")).status, 200);
  });
});
