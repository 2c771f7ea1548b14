// A Cloudflare Worker that uses the SDK directly (import "luxsci" resolves to its workerd entry): it calls the sandbox and answers with what it got.
import { LuxSciApiError, LuxSciClient, LuxSciError } from "luxsci";

export default {
  async fetch(request, env) {
    const client = new LuxSciClient({ baseUrl: env.SANDBOX_URL, token: env.TOKEN, secret: env.SECRET, accountId: env.ACCOUNT_ID, username: env.USERNAME });
    const domain = await client.createDomain({ domain: "worker.example" });
    const stored = await client.uploadContentLibraryFile("from-worker.txt", new Blob(["uploaded from a worker"], { type: "text/plain" }));
    const missing = await client.getDomainDetails("missing.example").catch((error) => error);
    // Installed on the class by a module imported only for that effect, which a bundler keeps (package.json sideEffects).
    const batch = await client.sendEmailBatch([{ to: ["a@worker.example"], subject: "hi", body: "hello", from_address: "w@worker.example" }]);
    return Response.json({
      domain: domain.domain,
      stored: { name: stored.name, hash: stored.hash },
      domains: (await client.getDomainsReport()).map((d) => d.domain),
      missing: { name: missing.name, status: missing.status, isApiError: missing instanceof LuxSciApiError, isLuxSciError: missing instanceof LuxSciError },
      batch: { sendEmailBatch: typeof client.sendEmailBatch, sent: batch.filter((r) => typeof r.sendmailId === "string").length },
    });
  },
};
