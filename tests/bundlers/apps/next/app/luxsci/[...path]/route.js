// The relay the browser page calls through, at /luxsci, in the Node runtime; made on the first request, when the
// server's environment names the sandbox.
import { createRelay } from "luxsci";

let relay;
function handle(request) {
  relay ??= createRelay({ ...JSON.parse(process.env.LUXSCI_TARGET), prefix: "/luxsci", authorize: () => true });
  return relay(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE };
