// A TypeScript CommonJS consumer: `require("luxsci")` and `require("luxsci/sandbox")` resolve to typed modules.
import luxsci = require("luxsci");
import sandboxModule = require("luxsci/sandbox");

export async function main(): Promise<string[]> {
  const sandbox = await sandboxModule.startSandbox();
  const client = new luxsci.LuxSciClient({ baseUrl: sandbox.url, token: sandbox.token, secret: sandbox.secret, accountId: sandbox.accountId });
  const domains = await client.getDomainsReport().catch((error: unknown) => {
    if (error instanceof luxsci.LuxSciError) return [];
    throw error;
  });
  await sandbox.close();
  // @ts-expect-error the result is Domain[], whose items are objects
  const names: string[] = domains;
  return names;
}
