// A Cloudflare Worker that sends through the fleet's Durable Object (luxsci/fleet resolved through its workerd
// export): POST /send runs sendEmailBatch over the given keys (through a class bound without SQL with keyValue), /records reads the journal, /rules runs the
// rules scenario that the Redis suite runs too.
import { LuxSciClient } from "luxsci";
import { LuxSciFleet, durableJournal, durableLimiter } from "luxsci/fleet";
import { rulesScenario } from "./rules.mjs";

export { LuxSciFleet };
/** The same class, bound without SQL (key-value storage), as a Worker configured by mistake would have it. */
export class KeyValueFleet extends LuxSciFleet {}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const input = await request.json();
    if (pathname === "/send") {
      const client = new LuxSciClient({ baseUrl: env.SANDBOX_URL, token: env.TOKEN, secret: env.SECRET, accountId: env.ACCOUNT_ID, username: env.USERNAME });
      const messages = input.keys.map((key) => ({ key, to: [`${key}@worker.example`], subject: key, body: `hello ${key}` }));
      const fleet = input.keyValue ? env.KEY_VALUE_FLEET : env.FLEET;
      const results = await client.sendEmailBatch(messages, {
        limits: { maxMessages: 3 },
        concurrency: 2,
        timeoutMs: 4000,
        journal: durableJournal(fleet, { owner: input.owner, name: "batch", leaseMs: 3000 }),
        limiter: durableLimiter(fleet, { name: "batch", windows: JSON.parse(env.WINDOWS), holdMs: 5000 }),
      });
      return Response.json(results.map(({ key, status, sendmailId, by, record, error }) => ({ key, status, sendmailId, by, record, error: error && `${error.name}: ${error.message}` })));
    }
    if (pathname === "/records") return Response.json(await durableJournal(env.FLEET, { name: "batch" }).get(input.keys));
    if (pathname === "/rules") {
      const seen = await rulesScenario({
        journal: (owner, options) => durableJournal(env.FLEET, { owner, name: "rules", ...options }),
        limiter: (place, windows) => durableLimiter(env.FLEET, { windows, name: place }),
        sleep,
      });
      return Response.json(seen);
    }
    return new Response("not found", { status: 404 });
  },
};
