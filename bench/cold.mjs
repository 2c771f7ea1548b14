// Cold-start child: loads one entry of a built package (or the baseline) and, the moment the first signed request
// reaches fetch, prints performance.now() (milliseconds since the process started) and the process's CPU time (user +
// system, every thread), each less its share spent inside fetch (the stub's answers, Node's one-time load of undici,
// and for the browser entry the .wasm read from disk), and exits.
// Modes: `import FILE` (an ESM entry, or a one-file bundle of the workerd or edge entry), `require FILE` (the
// CommonJS entry), `browser FILE` (the browser entry, its .wasm fetched through a global fetch that reads file: URLs),
// `baseline`.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { CREDENTIALS, stubFetch } from "./stub.mjs";

const [mode, file] = process.argv.slice(2);
const cpuMs = ({ user, system }) => (user + system) / 1000;
const stub = stubFetch();
let cpuInFetch = 0; // the CPU time spent inside fetch, as stub.busyMs is its wall time
stub.onCall = (url) => {
  if (url.endsWith("/auth")) return;
  process.stdout.write(`${performance.now() - stub.busyMs} ${cpuMs(process.cpuUsage()) - cpuInFetch}\n`);
  process.exit(0);
};
const fetch = async (url, init) => {
  const at = process.cpuUsage();
  try {
    return await stub(url, init);
  } finally {
    cpuInFetch += cpuMs(process.cpuUsage(at));
  }
};
const options = { baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch };
if (mode === "baseline") {
  const { PlainClient } = await import("./baseline.mjs");
  await new PlainClient(options).request("GET", `/account/${CREDENTIALS.accountId}/domains`);
} else {
  if (mode === "browser") {
    // What a browser's network does for the entry's fetch of its .wasm, counted as fetch time like the stub's.
    globalThis.fetch = async (url) => {
      const [calledAt, cpuAt] = [performance.now(), process.cpuUsage()];
      const response = new Response(await readFile(new URL(url)), { headers: { "content-type": "application/wasm" } });
      stub.busyMs += performance.now() - calledAt;
      cpuInFetch += cpuMs(process.cpuUsage(cpuAt));
      return response;
    };
  }
  const { LuxSciClient } = mode === "require" ? createRequire(import.meta.url)(file) : await import(file);
  await new LuxSciClient(options).getDomainsReport();
}
process.exit(1); // the signed request never reached fetch
