// Shared test helpers: start a sandbox, authenticate with the independent signer, and make signed calls.
import assert from "node:assert/strict";
import http from "node:http";
import { startSandbox } from "../../js/sandbox/index.js";
import { authBody, cookie, signedFetch } from "../support/signer.mjs";

export const API = "/perl/api/v2";
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** POSTs raw text (or a JSON value) without a signature; resolves to { status, body, headers }. */
export async function post(url, body, headers = { "content-type": "application/json" }) {
  const response = await fetch(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

/** Authenticates (account scope, or user scope with { user, pass }); returns the auth call's response. */
export const authenticate = (sandbox, { user, pass, date = nowSeconds() } = {}) =>
  post(`${sandbox.url}${API}/auth`, authBody(sandbox.token, sandbox.secret, date, user, pass));

/** A signed client bound to one auth code: call(method, "/account/…" | "/user/…", init). */
export function clientFor(sandbox, auth) {
  return {
    auth,
    account: `/account/${sandbox.accountId}`,
    user: `/user/${sandbox.username}`,
    call: (method, target, init) => signedFetch(sandbox.url, { auth, secret: sandbox.secret }, method, API + target, init),
  };
}

/** A signed body-less request through node:http, whose path is sent verbatim (fetch would normalise "." / ".." segments). */
export function verbatim(sandbox, auth, method, path) {
  return new Promise((resolve, reject) => {
    const headers = { cookie: cookie(auth, sandbox.secret, method, path, "") };
    const { hostname, port } = new URL(sandbox.url);
    const request = http.request({ hostname, port, path, method, headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, text, body: JSON.parse(text) }));
    });
    request.on("error", reject);
    request.end();
  });
}

/** Starts a sandbox and authenticates an account-scope client on it. */
export async function openSandbox(options = {}) {
  const sandbox = await startSandbox(options);
  const { status, body } = await authenticate(sandbox);
  assert.equal(status, 201, JSON.stringify(body));
  return { sandbox, ...clientFor(sandbox, body.auth) };
}

/** Asserts a LuxSci success envelope with HTTP 200 and returns its data. */
export function ok(response) {
  assert.equal(response.status, 200, response.text);
  assert.equal(response.body.success, 1);
  assert.equal(response.headers.get("content-type"), "application/json");
  return response.body.data;
}

/** Asserts a rejection `{"success":0,"error_message"}` with `status` whose message matches `pattern`. */
export function rejected(response, status, pattern) {
  assert.equal(response.status, status, response.text);
  assert.equal(response.body.success, 0);
  assert.match(response.body.error_message, pattern);
}
