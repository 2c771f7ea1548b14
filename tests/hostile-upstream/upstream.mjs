// A stand-in for LuxSci that misbehaves on purpose, for the hostile-upstream suites: a node:http server on
// 127.0.0.1 that answers the auth call with a code and every other request as the test's handler says, and
// records every request it received; plus a client of it.
import http from "node:http";
import { luxsci } from "../support/package.mjs";

export { luxsci };
export const { LuxSciClient } = luxsci;

const AUTH = { status: 201, json: { success: 1, auth: "code-1" } };

/**
 * Starts an upstream. `handler(request)` gets `{ method, path, body, headers }` and returns the answer
 * `{ status, headers?, json? | body? }` (a promise of one is awaited), or undefined for the default: a
 * LuxSci-like auth code for `POST …/auth`, 404 otherwise. `keepAliveTimeout` is node:http's (0 sends
 * no `Keep-Alive` header), `idleTimeout` closes idle connections without announcing it.
 */
export async function upstream(handler = () => undefined, { keepAliveTimeout, idleTimeout } = {}) {
  const received = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const request = { method: req.method, path: req.url, body: Buffer.concat(chunks).toString(), headers: req.headers };
    received.push(request);
    const isAuth = req.method === "POST" && req.url.endsWith("/perl/api/v2/auth");
    const answer = (await handler(request)) ?? (isAuth ? AUTH : { status: 404, json: { success: 0, error_message: "no such route" } });
    const headers = { "content-type": answer.json === undefined ? "text/html" : "application/json", ...answer.headers };
    res.writeHead(answer.status, headers);
    res.end(answer.json === undefined ? (answer.body ?? "") : JSON.stringify(answer.json));
  });
  let connections = 0;
  server.on("connection", () => connections++);
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
  if (idleTimeout !== undefined) server.timeout = idleTimeout;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    /** How many connections were opened to it. */
    connections: () => connections,
    /** The requests received other than the auth call. */
    calls: () => received.filter((r) => !r.path.endsWith("/perl/api/v2/auth")),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A client of `up` (a user-scope integration: the auth body holds a password), with `extra` options. */
export const clientOf = (up, extra = {}) =>
  new LuxSciClient({ baseUrl: up.url, token: "token-1", secret: "secret-".repeat(8), user: "me", pass: "pass-word-1", accountId: 1, username: "me@example.test", ...extra });

/** A sendEmail body of one message with `subject`. */
export const oneMessage = (subject = "Hello") => ({ messages: [{ to: ["someone@example.test"], subject, body: "Hi" }] });

/** The subjects of the messages in the sendEmail requests `up` received. */
export const subjectsReceived = (up) =>
  up.calls().filter((r) => r.path.endsWith("/email/send")).flatMap((r) => JSON.parse(r.body).messages.map((m) => m.subject));
