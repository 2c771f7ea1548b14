// The browser rows' page script (an ESM and a CommonJS variant are made from it, with apps/calls.js before it):
// calls() through the relay at /luxsci with a relay-mode client, made at once (before the .wasm is ready); the
// result shown as JSON in #out, state in body's dataset.
const params = new URLSearchParams(location.search);
const options = { baseUrl: "/luxsci", relay: true, accountId: params.get("accountId"), username: params.get("username") };
calls({ LuxSciClient, LuxSciError }, options, params.get("row")).then(
  (result) => {
    document.querySelector("#out").textContent = JSON.stringify(result);
    document.body.dataset.state = "done";
  },
  (error) => {
    document.querySelector("#out").textContent = `${error?.name}: ${error?.message}`;
    document.body.dataset.state = "failed";
  },
);
