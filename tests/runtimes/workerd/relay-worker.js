// A Cloudflare Worker that is a signing relay: createRelay() from "luxsci", authorising callers by an app key, forwarding to the sandbox.
import { createRelay } from "luxsci";

let relay;

export default {
  fetch(request, env) {
    relay ??= createRelay({
      baseUrl: env.SANDBOX_URL,
      token: env.TOKEN,
      secret: env.SECRET,
      accountId: env.ACCOUNT_ID,
      username: env.USERNAME,
      authorize: (incoming) => incoming.headers.get("x-app-key") === env.APP_KEY,
    });
    return relay(request);
  },
};
