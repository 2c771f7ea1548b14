// In-process child: checks that the baseline really signs (both clients against the sandbox), then measures
// per-call overhead (GET, 2 KB JSON POST) and 1000-message sendEmail preparation, SDK and baseline side by side.
import { PlainClient } from "./baseline.mjs";
import { CREDENTIALS, stubFetch } from "./stub.mjs";
import { median, print } from "./stats.mjs";

const pkgDir = process.argv[2];
const { LuxSciClient } = await import(`${pkgDir}/index.node.mjs`);
const { startSandbox } = await import(`${pkgDir}/sandbox/index.js`);

await sanity();

const fetch = stubFetch();
const options = { baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch };
const sdk = new LuxSciClient(options);
const base = new PlainClient(options);
const domains = `/account/${CREDENTIALS.accountId}/domains`;
const body2k = { domain: "bench.example.com", description: "x".repeat(1900), dns_managed: 1, users: ["a@bench.example.com"] };
const messages = Array.from({ length: 1000 }, (_, i) => ({
  to: [`user${i}@example.com`],
  subject: `Statement ${i} for your account`,
  body: `Dear customer ${i},\n` + "Your monthly statement is ready. ".repeat(28),
  body_type: "text",
  from_address: "billing@bench.example.com",
}));
const sendJson = JSON.stringify({ messages }).length;

const results = {
  get: await perCall(() => sdk.getDomainsReport(), () => base.request("GET", domains)),
  post: await perCall(() => sdk.createDomain(body2k), () => base.request("POST", domains, body2k)),
  batch: await preparation(
    () => sdk.sendEmail({ messages }),
    () => base.request("POST", `/user/${encodeURIComponent(CREDENTIALS.username)}/email/send`, { messages }),
  ),
  postBytes: JSON.stringify(body2k).length,
  sendBytes: sendJson,
};
print(results);

/** Median µs per call over rounds of `n` sequential calls, SDK and baseline rounds interleaved. */
async function perCall(sdkCall, baseCall, rounds = 41, n = 300) {
  for (let i = 0; i < 3000; i++) await sdkCall(), await baseCall(); // warm up both (JIT, auth)
  const times = { sdk: [], base: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [key, call] of r % 2 ? [["sdk", sdkCall], ["base", baseCall]] : [["base", baseCall], ["sdk", sdkCall]]) {
      const t = performance.now();
      for (let i = 0; i < n; i++) await call();
      times[key].push(((performance.now() - t) * 1000) / n);
    }
  }
  return { sdk: median(times.sdk), base: median(times.base) };
}

/** Median ms from the call until the signed request reaches fetch. */
async function preparation(sdkCall, baseCall, rounds = 41) {
  const times = { sdk: [], base: [] };
  for (let r = -3; r < rounds; r++) {
    for (const [key, call] of [["sdk", sdkCall], ["base", baseCall]]) {
      const t = performance.now();
      await call();
      if (r >= 0) times[key].push(fetch.calledAt - t);
    }
  }
  return { sdk: median(times.sdk), base: median(times.base) };
}

/** Both clients against the real sandbox over HTTP: the baseline is a working signer, not a strawman. */
async function sanity() {
  const sandbox = await startSandbox();
  try {
    const creds = { baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId, username: sandbox.username };
    const client = new LuxSciClient(creds);
    const plain = new PlainClient(creds);
    await client.createDomain({ domain: "sdk.bench.example" });
    await plain.request("POST", `/account/${sandbox.accountId}/domains`, { domain: "plain.bench.example" });
    const [a, b] = [await client.getDomainsReport(), await plain.request("GET", `/account/${sandbox.accountId}/domains`)];
    if (JSON.stringify(a) !== JSON.stringify(b) || a.length !== 2) throw new Error("the SDK and the baseline disagree on the sandbox");
  } finally {
    await sandbox.close();
  }
}
