// A TypeScript (ESM) consumer wiring the parts together: a client on the sandbox's credentials, the relay (fetch-style and on node:http) and the sandbox; the @ts-expect-error lines must stay errors. (tests/types/consumer.mts covers every operation's signature.)
import http from "node:http";
import {
  createRelay,
  LuxSciApiError,
  LuxSciClient,
  LuxSciError,
  LuxSciValidationError,
  toNodeHandler,
  type ClientOptions,
  type Domain,
  type RelayOptions,
} from "luxsci";
import { startSandbox, type Sandbox } from "luxsci/sandbox";

const sandbox: Sandbox = await startSandbox({ faults: true, authIdleSeconds: 60 });
const options: ClientOptions = {
  baseUrl: sandbox.url,
  token: sandbox.token,
  secret: sandbox.secret,
  accountId: sandbox.accountId,
  username: sandbox.username,
  timeoutMs: 5_000,
  maxRetries: 1,
};
const client = new LuxSciClient(options);
await client.authenticate();
const domain: Domain = await client.getDomainDetails("example.com", { timeoutMs: 1_000 });
const domains: Domain[] = await client.getDomainsReport({ accountId: 42 });
await client.uploadContentLibraryFile("notes/a.txt", new Blob(["a"]));
await client.uploadContentLibraryFile("b.bin", { name: "b.bin", content: new Uint8Array([1, 2]), contentType: "application/octet-stream" });
const listing = await client.getContentLibraryDirectory();
const top = await client.getContentLibraryDirectory({ signal: AbortSignal.timeout(1_000) });
const ids: string[] = await client.sendEmail({
  messages: [{ to: ["a@example.test"], subject: "Hi", body: "<p>Hi</p>", body_type: "html", attachments: [{ name: "a.txt", content: "a" }] }],
  priority: 5,
});
const raw = await client.request<{ id: number }[]>("GET", "/account/1/domains", { query: { limit: 10 } });
try {
  await client.deleteDomain(domain.domain ?? "");
} catch (error) {
  if (error instanceof LuxSciApiError) console.log(error.status, error.operationId, error.body);
  else if (error instanceof LuxSciError) console.log(error.name, error.message);
}

const relayOptions: RelayOptions = {
  baseUrl: sandbox.url,
  token: sandbox.token,
  secret: sandbox.secret,
  prefix: "/luxsci",
  accountId: sandbox.accountId,
  maxJsonBytes: 256 * 1024,
  allowedOrigins: ["https://app.example.test"],
  onError: (error) => console.error(error),
  allow: ["getDomainsReport", "uploadContentLibraryFile", "GET /account/{accountId}/extra"],
  authorize: async (request) => (request.headers.get("cookie") ?? "").includes("session="),
};
const relay = createRelay(relayOptions);
const answer: Response = await relay(new Request(`http://localhost/luxsci/perl/api/v2/account/${sandbox.accountId}/domains`));
http.createServer(toNodeHandler(relay)).listen(0, "127.0.0.1");
const browserClient = new LuxSciClient({ baseUrl: "/luxsci", relay: true, accountId: sandbox.accountId });

sandbox.faults.failNext("sendEmail", { times: 1, status: 503, retryAfter: 1 });
console.log(ids, domains, listing.items, top.meta, raw[0]?.id, answer.status, sandbox.log.length, sandbox.authCalls(), browserClient.toJSON().relay);
await sandbox.close();

export function rejected(c: LuxSciClient) {
  // @ts-expect-error options are the last argument, after the path parameters
  void c.updateAlias({ alias: "a@example.test" }, "a@example.test");
  // @ts-expect-error accountId comes from the options, not a positional argument
  void c.getDomainsReport("12345");
  // @ts-expect-error a message's recipients are an array
  void c.sendEmail({ messages: [{ to: "a@example.test", subject: "s", body: "b" }] });
  // @ts-expect-error an unknown client option
  new LuxSciClient({ baseUrl: "http://127.0.0.1", token: "t", secret: "s", retries: 3 });
  // @ts-expect-error createRelay needs authorize()
  createRelay({ token: "t", secret: "s" });
  // @ts-expect-error authorize() returns a boolean
  createRelay({ token: "t", secret: "s", accountId: 1, authorize: () => "yes" });
  // @ts-expect-error the sandbox port is a number
  void startSandbox({ port: "8787" });
  // @ts-expect-error an error's status is a number
  const status: string | undefined = new LuxSciValidationError("x").status;
  return status;
}
