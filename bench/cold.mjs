// Cold-start child: loads the SDK (Node ESM entry) or the baseline and, the moment the first signed request reaches
// fetch, prints performance.now() (milliseconds since the process started) less the time spent inside the stub
// fetch answering the authentication (the server's share, and Node's one-time load of undici), and exits.
import { CREDENTIALS, stubFetch } from "./stub.mjs";

const [mode, pkgDir] = process.argv.slice(2);
const fetch = stubFetch();
fetch.onCall = (url) => {
  if (url.endsWith("/auth")) return;
  process.stdout.write(`${performance.now() - fetch.busyMs}\n`);
  process.exit(0);
};
if (mode === "sdk") {
  const { LuxSciClient } = await import(`${pkgDir}/index.node.mjs`);
  await new LuxSciClient({ baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch }).getDomainsReport();
} else {
  const { PlainClient } = await import("./baseline.mjs");
  await new PlainClient({ baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch }).request("GET", `/account/${CREDENTIALS.accountId}/domains`);
}
process.exit(1); // the signed request never reached fetch
