// Generated from src/endpoints.rs by `LUXSCI_BLESS=1 cargo test --test generated`; do not edit.
// The LuxSciClient class: one method per LuxSci operation, named as its operationId.

import type {
  AccountSuppressionEntry,
  Alias,
  CallOptions,
  ClientOptions,
  ContentLibraryDirectory,
  ContentLibraryFile,
  CreateAliasBody,
  CreateDkimBody,
  Dkim,
  Domain,
  EmailTemplateListQuery,
  IterateOptions,
  IterateQuery,
  JsonObject,
  MarketingContactResult,
  Report,
  ReportQuery,
  ReportRow,
  RequestOptions,
  SecureLineRecipients,
  SecureLineSendBody,
  SendEmailBody,
  SendLimits,
  Uploadable,
  UserProfile,
  UserSuppressionEntry,
  UsersReportQuery,
} from "./types.js";

/** A LuxSci API client: every operation is a method named as its LuxSci operationId. */
export declare class LuxSciClient {
  /** Throws `LuxSciValidationError` for missing, misspelt or mistyped options. */
  constructor(options: ClientOptions);
  /** Authenticates now (otherwise the first call does); reuses a cached auth code. */
  authenticate(options?: CallOptions): Promise<void>;
  /** Ends the authentication session (`DELETE /auth`); sends nothing before any authentication. */
  revokeAuthentication(options?: CallOptions): Promise<void>;
  /** Any LuxSci endpoint, signed: `path` relative to `/perl/api/v2` (or absolute). */
  request<T = unknown>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, init?: RequestOptions): Promise<T>;
  /** Frees the client's wasm memory (the secret is zeroised); it is unusable afterwards. */
  free(): void;
  [Symbol.dispose](): void;
  /** The sendEmail limits in force: the `sendLimits` option, else LuxSci's documented ones. */
  readonly sendLimits: Required<SendLimits>;
  /** Where it talks to; never a credential. */
  toJSON(): { baseUrl: string; relay: boolean; accountId?: string; username?: string };
  toString(): string;
  /**
   * Creates a Content Library directory; its parents must exist.
   *
   * `POST /perl/api/v2/user/{username}/content_library/{directory}`
   * (HTTP method inferred from LuxSci's docs)
   */
  createContentLibraryDirectory(directory: string, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes an empty Content Library directory.
   *
   * `DELETE /perl/api/v2/user/{username}/content_library/{directory}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteContentLibraryDirectory(directory: string, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes a Content Library file.
   *
   * `DELETE /perl/api/v2/user/{username}/content_library/{file_path}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteContentLibraryFile(filePath: string, options?: CallOptions): Promise<unknown>;
  /**
   * Lists a Content Library directory (`meta` and `items`); the top level when no directory is given.
   *
   * `GET /perl/api/v2/user/{username}/content_library/{directory}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getContentLibraryDirectory(directory?: string, options?: CallOptions): Promise<ContentLibraryDirectory>;
  /**
   * Lists a Content Library directory (`meta` and `items`); the top level when no directory is given.
   *
   * `GET /perl/api/v2/user/{username}/content_library/{directory}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getContentLibraryDirectory(options: CallOptions): Promise<ContentLibraryDirectory>;
  /**
   * Gets details of a Content Library file.
   *
   * `GET /perl/api/v2/user/{username}/content_library/{file_path}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getContentLibraryFile(filePath: string, options?: CallOptions): Promise<ContentLibraryFile>;
  /**
   * Uploads a file to the Content Library (multipart; the SDK computes its SHA-256).
   *
   * `POST /perl/api/v2/user/{username}/content_library/{file_path}`
   * (HTTP method inferred from LuxSci's docs)
   */
  uploadContentLibraryFile(filePath: string, file: Uploadable, options?: CallOptions): Promise<unknown>;
  /**
   * Creates a domain (a subdomain or one with client-managed DNS).
   *
   * `POST /perl/api/v2/account/{accountId}/domains`
   * (HTTP method inferred from LuxSci's docs)
   */
  createDomain(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Removes a domain that is not in use.
   *
   * `DELETE /perl/api/v2/account/{accountId}/domains/{domainName}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteDomain(domainName: string, options?: CallOptions): Promise<unknown>;
  /**
   * Gets one domain, as in the domains report.
   *
   * `GET /perl/api/v2/account/{accountId}/domains/{domainName}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getDomainDetails(domainName: string, options?: CallOptions): Promise<Domain>;
  /**
   * Lists every domain of the account.
   *
   * `GET /perl/api/v2/account/{accountId}/domains`
   */
  getDomainsReport(options?: CallOptions): Promise<Domain[]>;
  /**
   * Changes selected domain settings; omitted settings are not altered.
   *
   * `PUT /perl/api/v2/account/{accountId}/domains/{domainName}`
   * (HTTP method inferred from LuxSci's docs)
   */
  updateDomain(domainName: string, body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Adds a Custom Bounce Domain (a subdomain of the from domain, with DKIM and a CNAME in place).
   *
   * `POST /perl/api/v2/account/{accountId}/bounce_domain`
   * (HTTP method inferred from LuxSci's docs)
   */
  createCustomBounceDomain(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Creates a DKIM configuration.
   *
   * `POST /perl/api/v2/account/{accountId}/dkim`
   */
  createDkim(body: CreateDkimBody, options?: CallOptions): Promise<unknown>;
  /**
   * Removes a DKIM definition.
   *
   * `DELETE /perl/api/v2/account/{accountId}/dkim/{domainName}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteDkim(domainName: string, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes an email auto-responder of the user.
   *
   * `DELETE /perl/api/v2/user/{username}/email/ar/{id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteEmailAutoResponder(id: string | number, options?: CallOptions): Promise<unknown>;
  /**
   * Gets one DKIM configuration.
   *
   * `GET /perl/api/v2/account/{accountId}/dkim/{domainName}`
   */
  getDkimDetails(domainName: string, options?: CallOptions): Promise<Dkim>;
  /**
   * Lists every DKIM configuration of the account.
   *
   * `GET /perl/api/v2/account/{accountId}/dkim`
   * (HTTP method inferred from LuxSci's docs)
   */
  getDkimReport(options?: CallOptions): Promise<Dkim[]>;
  /**
   * Lists the user's email auto-responders.
   *
   * `GET /perl/api/v2/user/{username}/email/ar`
   * (HTTP method inferred from LuxSci's docs)
   */
  getEmailAutoResponders(options?: CallOptions): Promise<JsonObject[]>;
  /**
   * Creates an email auto-responder; resolves to its id.
   *
   * `POST /perl/api/v2/user/{username}/email/ar`
   * (HTTP method inferred from LuxSci's docs)
   */
  newEmailAutoResponder(body: JsonObject, options?: CallOptions): Promise<string | number>;
  /**
   * Tells which encryption SecureLine would use for each recipient (an RPC-style read, so safe to retry).
   *
   * `POST /perl/api/v2/user/{username}/email/compose/secureline/recipients`
   */
  retrieveSecureLineRecipientListEncryptionData(body: JsonObject, options?: CallOptions): Promise<SecureLineRecipients>;
  /**
   * Changes the user's email forwarding, denial and deletion settings.
   *
   * `PUT /perl/api/v2/user/{username}/email/forwarding`
   * (HTTP method inferred from LuxSci's docs)
   */
  updateEmailForwarding(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Creates an email alias (per-domain limit: 100 + 10 per user).
   *
   * `POST /perl/api/v2/account/{accountId}/aliases`
   */
  createAlias(body: CreateAliasBody, options?: CallOptions): Promise<unknown>;
  /**
   * Removes an alias.
   *
   * `DELETE /perl/api/v2/account/{accountId}/aliases/{aliasAddress}`
   */
  deleteAlias(aliasAddress: string, options?: CallOptions): Promise<unknown>;
  /**
   * Gets one alias, as in the aliases report.
   *
   * `GET /perl/api/v2/account/{accountId}/aliases/{aliasAddress}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getAliasDetails(aliasAddress: string, options?: CallOptions): Promise<Alias>;
  /**
   * Lists aliases, user forwards, catch-alls and WebAide group lists.
   *
   * `GET /perl/api/v2/account/{accountId}/aliases`
   */
  getAliasesReport(options?: CallOptions): Promise<Alias[]>;
  /**
   * Modifies (or enables / disables) a regular alias.
   *
   * `PUT /perl/api/v2/account/{accountId}/aliases/{aliasAddress}`
   * (HTTP method inferred from LuxSci's docs)
   */
  updateAlias(aliasAddress: string, body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Adds account-level email suppressions.
   *
   * `POST /perl/api/v2/account/{accountId}/suppression/`
   * (HTTP method inferred from LuxSci's docs)
   */
  createAccountSuppression(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Creates a Custom Field (in Teams, Team Administrators only).
   *
   * `POST /perl/api/v2/user/{username}/fields`
   * (HTTP method inferred from LuxSci's docs)
   */
  createCustomField(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Defines a static email content tag.
   *
   * `POST /perl/api/v2/user/{username}/content_tags`
   * (HTTP method inferred from LuxSci's docs)
   */
  createEmailContentTag(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Creates an email template.
   *
   * `POST /perl/api/v2/user/{username}/templates`
   * (HTTP method inferred from LuxSci's docs)
   */
  createEmailTemplate(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Creates an email template group (the docs' `{template_group_id}` in this path has no parameter).
   *
   * `POST /perl/api/v2/user/{username}/template_group`
   * (HTTP method inferred from LuxSci's docs)
   */
  createEmailTemplateGroup(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Adds user-level email suppressions.
   *
   * `POST /perl/api/v2/user/{username}/suppression/`
   * (HTTP method inferred from LuxSci's docs)
   */
  createUserSuppression(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes an account-level suppression.
   *
   * `DELETE /perl/api/v2/account/{accountId}/suppression/{email}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteAccountSuppression(email: string, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes a content tag (by numeric id or code_word).
   *
   * `DELETE /perl/api/v2/user/{username}/content_tags/{tag_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteEmailContentTag(tagId: string | number, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes a template (by numeric id or code_word).
   *
   * `DELETE /perl/api/v2/user/{username}/template/{template_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteEmailTemplate(templateId: string | number, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes a template group.
   *
   * `DELETE /perl/api/v2/user/{username}/template_group/{template_group_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteEmailTemplateGroup(templateGroupId: string | number, options?: CallOptions): Promise<unknown>;
  /**
   * Deletes a user-level suppression.
   *
   * `DELETE /perl/api/v2/user/{username}/suppression/{email}`
   * (HTTP method inferred from LuxSci's docs)
   */
  deleteUserSuppression(email: string, options?: CallOptions): Promise<unknown>;
  /**
   * Finds account-level suppressions whose address contains `email`.
   *
   * `GET /perl/api/v2/account/{accountId}/suppression/{email}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getAccountSuppression(email: string, options?: CallOptions): Promise<AccountSuppressionEntry[]>;
  /**
   * Lists every account-level suppression.
   *
   * `GET /perl/api/v2/account/{accountId}/suppression/`
   * (HTTP method inferred from LuxSci's docs)
   */
  getAccountSuppressionList(options?: CallOptions): Promise<AccountSuppressionEntry[]>;
  /**
   * Lists the Custom Fields visible to the user.
   *
   * `GET /perl/api/v2/user/{username}/fields`
   * (HTTP method inferred from LuxSci's docs)
   */
  getCustomFields(options?: CallOptions): Promise<unknown>;
  /**
   * Checks whether a domain's MX servers all support good SMTP TLS.
   *
   * `GET /perl/api/v2/user/{username}/email/compose/secureline/tls/{domain}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getDomainSmtpTlsCapability(domain: string, options?: CallOptions): Promise<JsonObject>;
  /**
   * Gets a content tag (by numeric id or code_word).
   *
   * `GET /perl/api/v2/user/{username}/content_tags/{tag_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getEmailContentTag(tagId: string | number, options?: CallOptions): Promise<JsonObject>;
  /**
   * Lists the content tags accessible to you.
   *
   * `GET /perl/api/v2/user/{username}/content_tags`
   * (HTTP method inferred from LuxSci's docs)
   */
  getEmailContentTagList(options?: CallOptions): Promise<JsonObject[]>;
  /**
   * Gets a template (by numeric id or code_word).
   *
   * `GET /perl/api/v2/user/{username}/template/{template_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getEmailTemplate(templateId: string | number, options?: CallOptions): Promise<JsonObject>;
  /**
   * Lists the template groups accessible to you.
   *
   * `GET /perl/api/v2/user/{username}/template_groups`
   * (HTTP method inferred from LuxSci's docs)
   */
  getEmailTemplateGroups(options?: CallOptions): Promise<JsonObject[]>;
  /**
   * Lists the templates accessible to you, optionally only one team member's (`user_id`).
   *
   * `GET /perl/api/v2/user/{username}/templates`
   * (HTTP method inferred from LuxSci's docs)
   */
  getEmailTemplateList(query?: EmailTemplateListQuery, options?: CallOptions): Promise<JsonObject[]>;
  /**
   * Finds user-level suppressions whose address contains `email`.
   *
   * `GET /perl/api/v2/user/{username}/suppression/{email}`
   * (HTTP method inferred from LuxSci's docs)
   */
  getUserSuppression(email: string, options?: CallOptions): Promise<UserSuppressionEntry[]>;
  /**
   * Lists every user-level suppression.
   *
   * `GET /perl/api/v2/user/{username}/suppression/`
   * (HTTP method inferred from LuxSci's docs)
   */
  getUserSuppressionList(options?: CallOptions): Promise<UserSuppressionEntry[]>;
  /**
   * Sends 1-1000 messages through the account's SMTP servers; resolves to their sendmail_ids, in message order. Never retried once it may have reached the server.
   *
   * `POST /perl/api/v2/user/{username}/email/send`
   * (HTTP method inferred from LuxSci's docs)
   */
  sendEmail(body: SendEmailBody, options?: CallOptions): Promise<string[]>;
  /**
   * Sends one SecureLine email or SecureText message (deprecated by LuxSci; prefer sendEmail).
   *
   * `POST /perl/api/v2/user/{username}/email/compose/secureline/send`
   */
  sendSecureEmailOrSecureText(body: SecureLineSendBody, options?: CallOptions): Promise<unknown>;
  /**
   * Replaces ALL fields of a content tag (omitted fields become empty).
   *
   * `PUT /perl/api/v2/user/{username}/content_tags/{tag_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  updateEmailContentTag(tagId: string | number, body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Replaces ALL fields of a template (omitted fields become empty).
   *
   * `PUT /perl/api/v2/user/{username}/template/{template_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  updateEmailTemplate(templateId: string | number, body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Renames a template group.
   *
   * `PUT /perl/api/v2/user/{username}/template_group/{template_group_id}`
   * (HTTP method inferred from LuxSci's docs)
   */
  updateEmailTemplateGroup(templateGroupId: string | number, body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Creates an email broadcast campaign.
   *
   * `POST /perl/api/v2/account/{accountId}/marketing/addCampaign`
   * (HTTP method inferred from LuxSci's docs)
   */
  addMarketingCampaign(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Adds a marketing contact.
   *
   * `POST /perl/api/v2/account/{accountId}/marketing/addContact`
   * (HTTP method inferred from LuxSci's docs)
   */
  addMarketingContact(body: JsonObject, options?: CallOptions): Promise<unknown>;
  /**
   * Adds several marketing contacts (`contacts`); resolves to one result per contact.
   *
   * `POST /perl/api/v2/account/{accountId}/marketing/addContacts`
   * (HTTP method inferred from LuxSci's docs)
   */
  addMarketingContacts(body: JsonObject, options?: CallOptions): Promise<MarketingContactResult[]>;
  /**
   * Adds a marketing contact list; resolves to its id and fields.
   *
   * `POST /perl/api/v2/account/{accountId}/marketing/addList`
   * (HTTP method inferred from LuxSci's docs)
   */
  addMarketingList(body: JsonObject, options?: CallOptions): Promise<JsonObject>;
  /**
   * Gets the user's profile (contact details, quota and usage, status, services).
   *
   * `GET /perl/api/v2/user/{username}/profile`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   */
  getUserProfile(options?: CallOptions): Promise<UserProfile>;
  /**
   * Lists the account's users, optionally by `status`, `domain`, `younger_than`, `older_than`; paged.
   *
   * `GET /perl/api/v2/account/{accountId}/users`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateUsersReport(query, options)` walks every page of it (js/client.js).
   */
  getUsersReport(query?: UsersReportQuery, options?: CallOptions): Promise<Report>;
  /**
   * Lists the account's users, optionally by `status`, `domain`, `younger_than`, `older_than`; paged.
   *
   * `GET /perl/api/v2/account/{accountId}/users`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateUsersReport(query, options)` walks every page of it (js/client.js).
   */
  iterateUsersReport(query?: IterateQuery<UsersReportQuery>, options?: IterateOptions): AsyncIterableIterator<ReportRow>;
  /**
   * Reports the email the account sent through SMTP (and the API); paged.
   *
   * `GET /perl/api/v2/account/{accountId}/report/email/smtp/sent`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateAccountSmtpSentReport(query, options)` walks every page of it (js/client.js).
   */
  getAccountSmtpSentReport(query?: ReportQuery, options?: CallOptions): Promise<Report>;
  /**
   * Reports the email the account sent through SMTP (and the API); paged.
   *
   * `GET /perl/api/v2/account/{accountId}/report/email/smtp/sent`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateAccountSmtpSentReport(query, options)` walks every page of it (js/client.js).
   */
  iterateAccountSmtpSentReport(query?: IterateQuery<ReportQuery>, options?: IterateOptions): AsyncIterableIterator<ReportRow>;
  /**
   * Reports the email the account's users sent through WebMail; paged.
   *
   * `GET /perl/api/v2/account/{accountId}/report/email/webmail/sent`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateAccountWebmailSentReport(query, options)` walks every page of it (js/client.js).
   */
  getAccountWebmailSentReport(query?: ReportQuery, options?: CallOptions): Promise<Report>;
  /**
   * Reports the email the account's users sent through WebMail; paged.
   *
   * `GET /perl/api/v2/account/{accountId}/report/email/webmail/sent`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateAccountWebmailSentReport(query, options)` walks every page of it (js/client.js).
   */
  iterateAccountWebmailSentReport(query?: IterateQuery<ReportQuery>, options?: IterateOptions): AsyncIterableIterator<ReportRow>;
  /**
   * Reports the email the user sent through WebMail; paged.
   *
   * `GET /perl/api/v2/user/{username}/report/email/webmail/sent`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateUserWebmailSentReport(query, options)` walks every page of it (js/client.js).
   */
  getUserWebmailSentReport(query?: ReportQuery, options?: CallOptions): Promise<Report>;
  /**
   * Reports the email the user sent through WebMail; paged.
   *
   * `GET /perl/api/v2/user/{username}/report/email/webmail/sent`
   * (beyond the endpoint reference: from LuxSci's public sample clients and reporting docs)
   *
   * `iterateUserWebmailSentReport(query, options)` walks every page of it (js/client.js).
   */
  iterateUserWebmailSentReport(query?: IterateQuery<ReportQuery>, options?: IterateOptions): AsyncIterableIterator<ReportRow>;
}
