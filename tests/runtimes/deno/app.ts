// A Deno program using the SDK: import "luxsci" (its deno export), call the sandbox directly, and serve createRelay() with Deno.serve for a relay-mode client; prints one JSON line.
import { createRelay, LuxSciApiError, LuxSciClient, LuxSciError } from "luxsci";

interface SandboxInfo {
  url: string;
  token: string;
  secret: string;
  accountId: string;
  username: string;
}
const sandbox: SandboxInfo = JSON.parse(Deno.env.get("LUXSCI_SANDBOX") ?? "{}");
const scope = { accountId: sandbox.accountId, username: sandbox.username };

const client = new LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, ...scope });
await client.createDomain({ domain: "deno.example" });
const domain = await client.getDomainDetails("deno.example");
// LuxSci documents no shape for the upload's answer: the SDK types it `unknown`.
const stored = (await client.uploadContentLibraryFile("deno.txt", new Blob(["written by deno"]))) as { name: string };
const missing = await client.getDomainDetails("missing.example").catch((error: unknown) => error);

const relay = createRelay({
  baseUrl: sandbox.url,
  token: sandbox.token,
  secret: sandbox.secret,
  ...scope,
  authorize: (request: Request) => request.headers.get("x-app-key") === "deno-app",
});
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, relay);
const relayed = new LuxSciClient({
  baseUrl: `http://127.0.0.1:${server.addr.port}`,
  relay: true,
  ...scope,
  fetch: (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    request.headers.set("x-app-key", "deno-app");
    return fetch(request);
  },
});
const viaRelay = await relayed.getDomainDetails("deno.example");
const refused = await new LuxSciClient({ baseUrl: `http://127.0.0.1:${server.addr.port}`, relay: true, ...scope })
  .getDomainsReport()
  .catch((error: unknown) => error);
await server.shutdown();

const describe = (error: unknown) =>
  error instanceof LuxSciError ? { name: error.name, status: error.status, isApiError: error instanceof LuxSciApiError } : String(error);
console.log(JSON.stringify({
  domain: domain.domain,
  stored: stored.name,
  missing: describe(missing),
  viaRelay: viaRelay.domain,
  refused: describe(refused),
}));

// Never called: `deno check` must reject these calls, proving the package's types reach Deno.
export function wrongTypes(c: LuxSciClient) {
  // @ts-expect-error a domain name is a string
  c.getDomainDetails(42);
  // @ts-expect-error createRelay needs authorize()
  createRelay({ token: "t", secret: "s" });
}
