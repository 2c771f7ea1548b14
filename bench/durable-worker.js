// The Worker of the fleet benchmark's Durable Object figure (bench/fleet.mjs): each request sends 1000 messages in
// one call to the in-process stub fetch, through a durableJournal (keys fresh per round) or without one.
import { LuxSciClient } from "luxsci";
import { LuxSciFleet, durableJournal } from "luxsci/fleet";
import { CREDENTIALS, stubFetch } from "./stub.mjs";

export { LuxSciFleet };

const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);

export default {
  async fetch(request, env) {
    const { round, journal } = await request.json();
    const client = new LuxSciClient({ baseUrl: "http://127.0.0.1:9", ...CREDENTIALS, fetch: stubFetch(ids) });
    const messages = ids.map((id, i) => ({ to: [`user${i}@example.com`], subject: `Statement ${i}`, body: "Your statement is ready.", ...(journal && { key: `${round}-${i}` }) }));
    const results = await client.sendEmailBatch(messages, journal ? { journal: durableJournal(env.FLEET) } : {});
    return Response.json(results.filter((r) => r.sendmailId).length);
  },
};
