// Quick start: authenticate, list domains, create and read back an alias, send an email, revoke.
// Run by scripts/demo.sh against the local sandbox (LUXSCI_SANDBOX holds its JSON line); against
// LuxSci itself, pass your own credentials instead.
import { LuxSciClient, LuxSciError } from "luxsci";

const sandbox = JSON.parse(process.env.LUXSCI_SANDBOX ?? "{}");
const client = new LuxSciClient({
  baseUrl: sandbox.url, // omit for https://rest.luxsci.com
  token: process.env.LUXSCI_TOKEN ?? sandbox.token,
  secret: process.env.LUXSCI_SECRET ?? sandbox.secret,
  accountId: process.env.LUXSCI_ACCOUNT_ID ?? sandbox.accountId,
  username: process.env.LUXSCI_USERNAME ?? sandbox.username,
});

try {
  await client.authenticate();
  console.log(`authenticated against ${client.toJSON().baseUrl}`);

  await client.createDomain({ domain: "example.test" });
  const domains = await client.getDomainsReport();
  console.log(`domains: ${domains.map((d) => d.domain).join(", ")}`);

  await client.createAlias({ user: "hello", domain: "example.test", dest: "team@example.test", action: "email" });
  const alias = await client.getAliasDetails("hello@example.test");
  console.log(`alias hello@example.test → ${alias.dest}`);

  const [sendmailId] = await client.sendEmail({
    messages: [{ to: ["patient@example.test"], subject: "Your appointment", body: "See you Monday at 9." }],
  });
  console.log(`sent one email: sendmail_id ${sendmailId}`);

  await client.revokeAuthentication();
  console.log("revoked the session");
} catch (error) {
  if (error instanceof LuxSciError) console.error(`${error.name} (${error.status ?? "no status"}): ${error.message}`);
  throw error;
}
