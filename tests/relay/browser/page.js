// The other site's script: submits the two forms to the app's relay (the JSON of a send as a text/plain form's
// name=value, and as a multipart form's first field "json"), then calls the app's relays with a relay-mode client
// across origins: one that lists this page's origin in allowedOrigins, one that does not.
import { LuxSciClient, LuxSciError } from "luxsci";

const params = new URLSearchParams(location.search);
const relay = params.get("relay");
const scope = { accountId: params.get("accountId"), username: params.get("username") };
const sendPath = `/perl/api/v2/user/${encodeURIComponent(scope.username)}/email/send`;
const message = { messages: [{ to: ["victim@example.org"], subject: "from another site", body: "x" }] };
const failure = (error) => ({ name: error.name, status: error.status, isLuxSciError: error instanceof LuxSciError, message: error.message });

const submitted = (form, frame) =>
  new Promise((resolve) => {
    document.getElementById(frame).addEventListener("load", resolve, { once: true });
    form.action = `${relay}/luxsci${sendPath}`;
    form.submit();
  });

async function run() {
  const results = {};
  const plain = document.getElementById("plain");
  // name + "=" + value is the body: {"messages":[…],"x":"="}
  document.getElementById("plain-field").name = `${JSON.stringify({ ...message, x: "" }).slice(0, -2)}`;
  await submitted(plain, "plain-frame");
  document.getElementById("multi-field").value = JSON.stringify(message);
  await submitted(document.getElementById("multi"), "multi-frame");
  const outsider = new LuxSciClient({ baseUrl: `${relay}/luxsci`, relay: true, maxRetries: 0, ...scope });
  results.notListed = await outsider.getDomainsReport().then(() => "resolved", failure);
  const listed = new LuxSciClient({ baseUrl: `${relay}/luxsci-cors`, relay: true, maxRetries: 0, ...scope });
  results.listed = await listed.getDomainsReport().then((data) => (Array.isArray(data) ? "array" : typeof data), failure);
  // LuxSci's own 404, told apart from the relay's answers by the mark the relay exposes to this origin.
  results.listedMissing = await listed.getDomainDetails("missing.example").then(() => "resolved", failure);
  document.getElementById("results").textContent = JSON.stringify(results);
  document.body.dataset.state = "done";
}

run().catch((error) => {
  document.getElementById("error").textContent = String(error?.stack ?? error);
  document.body.dataset.state = "failed";
});
