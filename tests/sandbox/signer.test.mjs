// Known-answer test of tests/support/signer.mjs against the strings-to-sign LuxSci documents for auth and requests, with the HMACs computed here directly.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { authBody, authStringToSign, bodyHash, cookie, requestStringToSign } from "../support/signer.mjs";

const hmac = (message) => createHmac("sha256", "s3cr3t").update(message).digest("hex");

test("auth body, account scope", () => {
  assert.equal(authStringToSign("TOKEN", 1617889562), "TOKEN\n1617889562\n");
  assert.deepEqual(authBody("TOKEN", "s3cr3t", 1617889562), {
    token: "TOKEN",
    date: 1617889562,
    signature: hmac("TOKEN\n1617889562\n"),
  });
});

test("auth body, user scope", () => {
  assert.equal(authStringToSign("TOKEN", 1617889562, "u@example.com", "p"), "TOKEN\n1617889562\nu@example.com\np\n");
  assert.deepEqual(authBody("TOKEN", "s3cr3t", 1617889562, "u@example.com", "p"), {
    token: "TOKEN",
    date: 1617889562,
    signature: hmac("TOKEN\n1617889562\nu@example.com\np\n"),
    user: "u@example.com",
    pass: "p",
  });
});

test("GET without query", () => {
  const toSign = "A\nGET\n/perl/api/v2/account/123/aliases\n\n\n";
  assert.equal(requestStringToSign("A", "GET", "/perl/api/v2/account/123/aliases", ""), toSign);
  assert.equal(cookie("A", "s3cr3t", "GET", "/perl/api/v2/account/123/aliases", ""), `signature=A:${hmac(toSign)}`);
});

test("GET with query", () => {
  const toSign = "A\nGET\n/perl/api/v2/account/123/users\nstatus=active\n\n";
  assert.equal(requestStringToSign("A", "GET", "/perl/api/v2/account/123/users", "status=active"), toSign);
  assert.equal(cookie("A", "s3cr3t", "GET", "/perl/api/v2/account/123/users", "status=active"), `signature=A:${hmac(toSign)}`);
});

test("POST with a JSON body (hashed after trimming)", () => {
  const json = '{"domain":"example.com"}';
  const hash = createHash("sha256").update(json).digest("hex");
  const toSign = `A\nPOST\n/perl/api/v2/account/123/dkim\n\n${hash}\n`;
  assert.equal(requestStringToSign("A", "POST", "/perl/api/v2/account/123/dkim", "", `  ${json}\n`), toSign);
  assert.equal(cookie("A", "s3cr3t", "POST", "/perl/api/v2/account/123/dkim", "", json), `signature=A:${hmac(toSign)}`);
});

test("GET and DELETE never hash a body; a POST without body text hashes as empty", () => {
  assert.equal(bodyHash("GET", "{}"), "");
  assert.equal(bodyHash("DELETE", "{}"), "");
  assert.equal(bodyHash("POST", undefined), "");
  assert.equal(bodyHash("PUT", ""), createHash("sha256").update("").digest("hex"));
});
