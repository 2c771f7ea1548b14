// Shared helpers of the files tests: a sandbox, a client on it whose fetch counts calls, and SHA-256 of bytes.
import { createHash } from "node:crypto";
import { startSandbox } from "../../js/sandbox/index.js";
import { luxsci } from "../support/package.mjs";

export const { LuxSciClient, LuxSciValidationError, LuxSciApiError } = luxsci;

/** SHA-256 hex of a string or bytes. */
export const sha256 = (content) => createHash("sha256").update(content).digest("hex");

/** Starts a sandbox with `options`, closed when the test `t` ends. */
export async function sandboxFor(t, options = {}) {
  const sandbox = await startSandbox(options);
  t.after(() => sandbox.close());
  return sandbox;
}

/** A client of `sandbox` (options merged over the credentials) and a count of the fetches it made. */
export function clientOf(sandbox, options = {}, Client = LuxSciClient) {
  const counter = { fetches: 0 };
  const client = new Client({
    baseUrl: sandbox.url,
    token: sandbox.token,
    secret: sandbox.secret,
    accountId: sandbox.accountId,
    username: sandbox.username,
    fetch: (...args) => {
      counter.fetches += 1;
      return fetch(...args);
    },
    ...options,
  });
  return { client, counter };
}

/** One sendEmail message to `n` recipients. */
export const message = (n = 1, fields = {}) => ({
  to: Array.from({ length: n }, (_, i) => `r${i}@example.test`),
  subject: "Hello",
  body: "Body text",
  ...fields,
});
