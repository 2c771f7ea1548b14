// The test page's script: a relay-mode LuxSciClient imported from "luxsci" (the import map resolves the package's browser export), uploading the picked file.
import { LuxSciClient, LuxSciError, LuxSciValidationError } from "luxsci";

const params = new URLSearchParams(location.search);
const scope = { accountId: params.get("accountId"), username: params.get("username") };
const client = new LuxSciClient({ baseUrl: "/luxsci", relay: true, ...scope });
const show = (id, value) => (document.getElementById(id).textContent = JSON.stringify(value));
const failure = (error) => ({ name: error.name, status: error.status, isLuxSciError: error instanceof LuxSciError, message: error.message });

async function checks() {
  // A direct client holds the secret and needs a Cookie header, which browsers drop: it must refuse.
  const direct = new LuxSciClient({ baseUrl: location.origin, token: "token", secret: "never-in-a-browser", ...scope });
  show("direct", await direct.getDomainsReport().then(() => "resolved", (error) => ({ ...failure(error), isValidation: error instanceof LuxSciValidationError })));
  // Bundlers may define `process` (process/browser: env, no versions.node): still a browser.
  globalThis.process = { env: {}, versions: {}, browser: true };
  const polyfilled = new LuxSciClient({ baseUrl: location.origin, token: "token", secret: "never-in-a-browser", ...scope });
  delete globalThis.process;
  show("polyfilled", await polyfilled.getDomainsReport().then(() => "resolved", failure));
  show("worker", await inWorker());
  const refused = new LuxSciClient({ baseUrl: "/denied", relay: true, ...scope });
  show("denied", await refused.getDomainsReport().then(() => "resolved", failure));
  show("offtable", await client.request("GET", "/not/a/luxsci/path").then(() => "resolved", failure));
  const other = params.get("otherHost");
  const sneaky = await fetch(`/luxsci//${other}/perl/api/v2/account/${scope.accountId}/domains`);
  const absolute = await client.request("GET", `http://${other}/perl/api/v2/account/${scope.accountId}/domains`).then(() => "resolved", failure);
  show("otherhost", { sneakyStatus: sneaky.status, absolute });
  // Redirects are not followed: the browser's fetch answers redirect: "manual" with an opaque redirect.
  const moved = new LuxSciClient({ baseUrl: "/moved", relay: true, ...scope });
  const get = await moved.getDomainsReport().then(() => "resolved", failure);
  const message = { to: ["someone@example.test"], subject: "Hello", body: "Hi" };
  const send = await moved.sendEmail({ messages: [message] }).then(() => "resolved", (error) => ({ ...failure(error), mayHaveBeenSent: error.mayHaveBeenSent }));
  show("redirected", { get, send });
}

/** What a direct client's call settles with in a dedicated worker (no `document`) that imports the same entry. */
function inWorker() {
  const entry = new URL(import.meta.resolve("luxsci"), location.href).href;
  const code = `import { LuxSciClient } from ${JSON.stringify(entry)};
    const direct = new LuxSciClient({ baseUrl: ${JSON.stringify(location.origin)}, token: "token", secret: "never-in-a-browser" });
    direct.getDomainsReport({ accountId: "7" }).then(() => postMessage("resolved"),
      (error) => postMessage({ name: error.name, message: error.message, noDocument: typeof document === "undefined" }));`;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`the worker failed: ${event.message}`));
  }).finally(() => worker.terminate());
}

async function upload() {
  const file = document.getElementById("file").files[0];
  const stored = await client.uploadContentLibraryFile(file.name, file);
  const listing = await client.getContentLibraryDirectory();
  show("result", { name: stored.name, size: stored.size, hash: stored.hash, listed: listing.items.map((item) => item.name) });
}

const button = document.getElementById("upload");
button.addEventListener("click", () => {
  document.body.dataset.state = "uploading";
  upload().then(
    () => (document.body.dataset.state = "uploaded"),
    (error) => {
      show("error", failure(error));
      document.body.dataset.state = "failed";
    },
  );
});
checks().then(
  () => {
    button.disabled = false;
    document.body.dataset.state = "ready";
  },
  (error) => {
    show("error", failure(error));
    document.body.dataset.state = "failed";
  },
);
