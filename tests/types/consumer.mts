// A consumer project, type-checked with `tsc --strict`: it calls every operation with the argument
// types the docs give, and `@ts-expect-error` lines prove that wrong arguments are rejected.
import {
  LuxSciClient,
  LuxSciError,
  LuxSciApiError,
  type Alias,
  type Domain,
  type AccountSuppressionEntry,
  type UserSuppressionEntry,
  type ContentLibraryDirectory,
  type UserProfile,
  type Report,
  type ReportRow,
  LuxSciReportTruncatedError,
  LuxSciRelayError,
} from "luxsci";

const c = new LuxSciClient({ token: "t", secret: "s", accountId: 1, username: "me@example.com", timeoutMs: 5000, totalTimeoutMs: 20000, maxResponseBytes: 1 << 20 });
const o = { signal: new AbortController().signal, timeoutMs: 1000, totalTimeoutMs: 3000, accountId: "2", username: "u@example.com" };

export async function everyOperation(file: Blob): Promise<void> {
  await c.authenticate();
  await c.createContentLibraryDirectory("files/", o);
  await c.deleteContentLibraryDirectory("files/");
  await c.deleteContentLibraryFile("files/a.txt");
  const dir: ContentLibraryDirectory = await c.getContentLibraryDirectory();
  await c.getContentLibraryDirectory("files/", o);
  await c.getContentLibraryDirectory(o);
  await c.getContentLibraryFile("files/a.txt");
  await c.uploadContentLibraryFile("files/a.txt", file, o);
  await c.uploadContentLibraryFile("files/b.txt", { name: "b.txt", content: new Uint8Array([1]), contentType: "text/plain" });
  await c.createDomain({ domain: "example.com" });
  await c.deleteDomain("example.com");
  const domain: Domain = await c.getDomainDetails("example.com");
  const domains: Domain[] = await c.getDomainsReport(o);
  await c.updateDomain("example.com", { users: 3 });
  await c.createCustomBounceDomain({ domain: "bounce.example.com" });
  await c.createDkim({ domain: "example.com" });
  await c.deleteDkim("example.com");
  await c.deleteEmailAutoResponder(12);
  await c.getDkimDetails("example.com");
  await c.getDkimReport();
  await c.getEmailAutoResponders();
  const arId: string | number = await c.newEmailAutoResponder({ subject: "Away" });
  const enc = await c.retrieveSecureLineRecipientListEncryptionData({ recipients: ["a@example.com"] });
  enc.recipients.map((r) => r.length);
  await c.updateEmailForwarding({ forward: [] });
  await c.createAlias({ user: "info", domain: "example.com", dest: "a@example.com", action: "email" });
  await c.deleteAlias("info@example.com");
  const alias: Alias = await c.getAliasDetails("info@example.com");
  const aliases: Alias[] = await c.getAliasesReport();
  await c.updateAlias("info@example.com", { dest: "b@example.com" });
  await c.createAccountSuppression({ email: "x@example.com" });
  await c.createCustomField({ name: "plan" });
  await c.createEmailContentTag({ code_word: "hi" });
  await c.createEmailTemplate({ code_word: "welcome" });
  await c.createEmailTemplateGroup({ name: "News" });
  await c.createUserSuppression({ email: "y@example.com" });
  await c.deleteAccountSuppression("x@example.com");
  await c.deleteEmailContentTag("hi");
  await c.deleteEmailTemplate(7);
  await c.deleteEmailTemplateGroup(3);
  await c.deleteUserSuppression("y@example.com");
  const acc: AccountSuppressionEntry[] = await c.getAccountSuppression("x@");
  const [email, expires] = acc[0];
  await c.getAccountSuppressionList();
  await c.getCustomFields();
  await c.getDomainSmtpTlsCapability("example.com");
  await c.getEmailContentTag("hi");
  await c.getEmailContentTagList();
  await c.getEmailTemplate("welcome");
  await c.getEmailTemplateGroups();
  await c.getEmailTemplateList();
  await c.getEmailTemplateList({ user_id: 5 }, o);
  const user: UserSuppressionEntry[] = await c.getUserSuppression("y@");
  await c.getUserSuppressionList();
  const ids: string[] = await c.sendEmail({
    messages: [{ to: ["a@example.com"], subject: "s", body: "b", attachments: [{ name: "a.pdf", content: file }] }],
    priority: 4,
  });
  await c.sendSecureEmailOrSecureText({ to: ["a@example.com"], subject: "s", body: "b", receipt: 1 });
  await c.updateEmailContentTag("hi", { code_word: "hi" });
  await c.updateEmailTemplate(7, { code_word: "welcome" });
  await c.updateEmailTemplateGroup(3, { name: "Letters" });
  await c.addMarketingCampaign({ name: "c" });
  await c.addMarketingContact({ email: "p@example.com" });
  const results = await c.addMarketingContacts({ contacts: [{ email: "p@example.com" }] });
  results.forEach((r) => r.success === 1 || r.error_message);
  await c.addMarketingList({ name: "l" });
  const me: UserProfile = await c.getUserProfile(o);
  const flags: string[] | undefined = me.flags;
  const users: Report = await c.getUsersReport({ status: "active", domain: "example.com", matches: 0 });
  await c.getAccountSmtpSentReport({ after_date: "2026-01-01 00:00:00", first_row: 0, matches: 100 }, o);
  await c.getAccountWebmailSentReport({ before_date: "2026-01-01 00:00:00" });
  await c.getUserWebmailSentReport({ from_date: "2026-01-01 00:00:00" });
  for await (const row of c.iterateAccountSmtpSentReport({ after_date: "2026-01-01 00:00:00" }, { pageSize: 1000, signal: o.signal })) {
    const r: ReportRow = row;
    void r;
  }
  await c.iterateUsersReport({ status: "active", first_row: 10 }).next();
  await c.iterateAccountWebmailSentReport().next();
  await c.iterateUserWebmailSentReport({}, { pageSize: 7 }).next();
  const profile = await c.request<{ user: string }>("GET", "/user/me@example.com/profile", { query: { a: 1 } });
  profile.user.toUpperCase();
  await c.revokeAuthentication();
  void [dir, domain, domains, arId, alias, aliases, email, expires, user, ids, flags, users];
}

export function wrongArguments(): void {
  // @ts-expect-error the constructor needs options
  new LuxSciClient();
  // @ts-expect-error a domain name is a string
  void c.getDomainDetails(42);
  // @ts-expect-error updateDomain takes the name and a body
  void c.updateDomain({ users: 1 });
  // @ts-expect-error sendEmail needs messages
  void c.sendEmail({ priority: 1 });
  // @ts-expect-error a file is required
  void c.uploadContentLibraryFile("files/a.txt");
  // @ts-expect-error unknown per-call option
  void c.getDomainsReport({ retries: 3 });
  // @ts-expect-error a misspelt report query key
  void c.getAccountSmtpSentReport({ afterDate: "2026-01-01 00:00:00" });
  // @ts-expect-error a misspelt users report query key
  void c.iterateUsersReport({ stauts: "active" });
  // @ts-expect-error an iterator's page size is options.pageSize, not query.matches
  void c.iterateAccountSmtpSentReport({ matches: 10 });
  // @ts-expect-error only the four methods LuxSci uses
  void c.request("PATCH", "/x");
}

export function errors(e: unknown): string | undefined {
  if (e instanceof LuxSciReportTruncatedError) return `resume at ${e.nextRow} of ${e.totalMatches}`;
  if (e instanceof LuxSciRelayError) return `the relay answered ${e.status}: ${e.message}`;
  if (e instanceof LuxSciApiError) return `${e.status} ${e.operationId}`;
  if (e instanceof LuxSciError) return e.mayHaveBeenSent ? "maybe sent" : e.name;
  return undefined;
}

export async function batch(c2: LuxSciClient): Promise<number> {
  const results = await c2.sendEmailBatch([{ to: ["a@example.com"], subject: "s", body: "b" }], {
    concurrency: 2,
    rate: { perMinute: 60 },
    onProgress: (p) => void p.sent,
  });
  return results.filter((r) => "sendmailId" in r).length;
}
