// THE route table of the sandbox: one row per LuxSci operation (operationId, method, path, handler, body kind) and the matcher over it.
import { ApiError } from "./http.js";

/** Every path below is relative to this prefix. */
export const API_PREFIX = "/perl/api/v2";

// Body kinds: "none" (nothing is read from the body), "json" (a JSON object), "json+files" (JSON, or
// multipart with a `json` part plus `files` parts), "files" (multipart only: `json` part + one `files` part).
const row = (operationId, method, path, handler, body) => ({
  operationId,
  method,
  path,
  handler,
  body: body ?? (method === "POST" || method === "PUT" ? "json" : "none"),
});

/** One row per operation; `{directory}` / `{file_path}` take the rest of the path, other params one segment. */
export const ROUTES = [
  row("authentication", "POST", "/auth", "auth.authenticate"),
  row("revokeAuthentication", "DELETE", "/auth", "auth.revoke"),
  row("createContentLibraryDirectory", "POST", "/user/{username}/content_library/{directory}", "library.createDirectory", "none"),
  row("deleteContentLibraryDirectory", "DELETE", "/user/{username}/content_library/{directory}", "library.deleteDirectory"),
  row("deleteContentLibraryFile", "DELETE", "/user/{username}/content_library/{file_path}", "library.deleteFile"),
  row("getContentLibraryDirectory", "GET", "/user/{username}/content_library/{directory}", "library.getDirectory"),
  row("getContentLibraryFile", "GET", "/user/{username}/content_library/{file_path}", "library.getFile"),
  row("uploadContentLibraryFile", "POST", "/user/{username}/content_library/{file_path}", "library.uploadFile", "files"),
  row("createDomain", "POST", "/account/{accountId}/domains", "domains.create"),
  row("deleteDomain", "DELETE", "/account/{accountId}/domains/{domainName}", "domains.remove"),
  row("getDomainDetails", "GET", "/account/{accountId}/domains/{domainName}", "domains.get"),
  row("getDomainsReport", "GET", "/account/{accountId}/domains", "domains.list"),
  row("updateDomain", "PUT", "/account/{accountId}/domains/{domainName}", "domains.update"),
  row("createCustomBounceDomain", "POST", "/account/{accountId}/bounce_domain", "dkim.createBounceDomain"),
  row("createDkim", "POST", "/account/{accountId}/dkim", "dkim.create"),
  row("deleteDkim", "DELETE", "/account/{accountId}/dkim/{domainName}", "dkim.remove"),
  row("deleteEmailAutoResponder", "DELETE", "/user/{username}/email/ar/{id}", "mailbox.deleteAutoResponder"),
  row("getDkimDetails", "GET", "/account/{accountId}/dkim/{domainName}", "dkim.get"),
  row("getDkimReport", "GET", "/account/{accountId}/dkim", "dkim.list"),
  row("getEmailAutoResponders", "GET", "/user/{username}/email/ar", "mailbox.listAutoResponders"),
  row("newEmailAutoResponder", "POST", "/user/{username}/email/ar", "mailbox.createAutoResponder"),
  row("retrieveSecureLineRecipientListEncryptionData", "POST", "/user/{username}/email/compose/secureline/recipients", "mailbox.recipientEncryption"),
  row("updateEmailForwarding", "PUT", "/user/{username}/email/forwarding", "mailbox.updateForwarding"),
  row("createAlias", "POST", "/account/{accountId}/aliases", "aliases.create"),
  row("deleteAlias", "DELETE", "/account/{accountId}/aliases/{aliasAddress}", "aliases.remove"),
  row("getAliasDetails", "GET", "/account/{accountId}/aliases/{aliasAddress}", "aliases.get"),
  row("getAliasesReport", "GET", "/account/{accountId}/aliases", "aliases.list"),
  row("updateAlias", "PUT", "/account/{accountId}/aliases/{aliasAddress}", "aliases.update"),
  row("createAccountSuppression", "POST", "/account/{accountId}/suppression/", "suppressions.createAccount"),
  row("createCustomField", "POST", "/user/{username}/fields", "fields.create"),
  row("createEmailContentTag", "POST", "/user/{username}/content_tags", "templates.createTag"),
  row("createEmailTemplate", "POST", "/user/{username}/templates", "templates.createTemplate"),
  // The reference prints `/template_group/{template_group_id}` here but documents no such parameter (a doc glitch).
  row("createEmailTemplateGroup", "POST", "/user/{username}/template_group", "templates.createGroup"),
  row("createUserSuppression", "POST", "/user/{username}/suppression/", "suppressions.createUser"),
  row("deleteAccountSuppression", "DELETE", "/account/{accountId}/suppression/{email}", "suppressions.removeAccount"),
  row("deleteEmailContentTag", "DELETE", "/user/{username}/content_tags/{tag_id}", "templates.removeTag"),
  row("deleteEmailTemplate", "DELETE", "/user/{username}/template/{template_id}", "templates.removeTemplate"),
  row("deleteEmailTemplateGroup", "DELETE", "/user/{username}/template_group/{template_group_id}", "templates.removeGroup"),
  row("deleteUserSuppression", "DELETE", "/user/{username}/suppression/{email}", "suppressions.removeUser"),
  row("getAccountSuppression", "GET", "/account/{accountId}/suppression/{email}", "suppressions.findAccount"),
  row("getAccountSuppressionList", "GET", "/account/{accountId}/suppression/", "suppressions.listAccount"),
  row("getCustomFields", "GET", "/user/{username}/fields", "fields.list"),
  row("getDomainSmtpTlsCapability", "GET", "/user/{username}/email/compose/secureline/tls/{domain}", "mailbox.tlsCapability"),
  row("getEmailContentTag", "GET", "/user/{username}/content_tags/{tag_id}", "templates.getTag"),
  row("getEmailContentTagList", "GET", "/user/{username}/content_tags", "templates.listTags"),
  row("getEmailTemplate", "GET", "/user/{username}/template/{template_id}", "templates.getTemplate"),
  row("getEmailTemplateGroups", "GET", "/user/{username}/template_groups", "templates.listGroups"),
  row("getEmailTemplateList", "GET", "/user/{username}/templates", "templates.listTemplates"),
  row("getUserSuppression", "GET", "/user/{username}/suppression/{email}", "suppressions.findUser"),
  row("getUserSuppressionList", "GET", "/user/{username}/suppression/", "suppressions.listUser"),
  row("sendEmail", "POST", "/user/{username}/email/send", "send.sendEmail", "json+files"),
  row("sendSecureEmailOrSecureText", "POST", "/user/{username}/email/compose/secureline/send", "send.sendSecure", "json+files"),
  row("updateEmailContentTag", "PUT", "/user/{username}/content_tags/{tag_id}", "templates.updateTag"),
  row("updateEmailTemplate", "PUT", "/user/{username}/template/{template_id}", "templates.updateTemplate"),
  row("updateEmailTemplateGroup", "PUT", "/user/{username}/template_group/{template_group_id}", "templates.updateGroup"),
  row("addMarketingCampaign", "POST", "/account/{accountId}/marketing/addCampaign", "marketing.addCampaign"),
  row("addMarketingContact", "POST", "/account/{accountId}/marketing/addContact", "marketing.addContact"),
  row("addMarketingContacts", "POST", "/account/{accountId}/marketing/addContacts", "marketing.addContacts"),
  row("addMarketingList", "POST", "/account/{accountId}/marketing/addList", "marketing.addList"),
  // Beyond the endpoint reference (LuxSci's public sample clients and reporting docs).
  row("getUserProfile", "GET", "/user/{username}/profile", "reports.profile"),
  row("getUsersReport", "GET", "/account/{accountId}/users", "reports.users"),
  row("getAccountSmtpSentReport", "GET", "/account/{accountId}/report/email/smtp/sent", "reports.smtpSent"),
  row("getAccountWebmailSentReport", "GET", "/account/{accountId}/report/email/webmail/sent", "reports.webmailSent"),
  row("getUserWebmailSentReport", "GET", "/user/{username}/report/email/webmail/sent", "reports.webmailSent"),
];

// Rest-of-path parameters: a directory is "" or ends in "/", a file path is non-empty and does not.
const REST_PARAMS = { directory: "(|.*/)", file_path: "(.*[^/])" };

function compile(route) {
  const names = [];
  const source = (API_PREFIX + route.path).replace(/\{(\w+)\}|[^{]+/g, (part, name) => {
    if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    names.push(name);
    return REST_PARAMS[name] ?? "([^/]+)";
  });
  return { ...route, names, regex: new RegExp(`^${source}$`) };
}

const COMPILED = ROUTES.map(compile);

function decodeSegment(text, name) {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ApiError(400, `invalid percent-encoding in path parameter '${name}'`);
  }
}

function decodeParam(name, raw) {
  if (!(name in REST_PARAMS)) return decodeSegment(raw, name);
  return raw
    .split("/")
    .map((segment) => {
      const decoded = decodeSegment(segment, name);
      if (decoded.includes("/")) throw new ApiError(400, `path parameter '${name}' has an encoded '/' inside a segment`);
      return decoded;
    })
    .join("/");
}

/** Finds the route for a method and a raw (still percent-encoded) path: `{ route, rawParams }` or null. */
export function matchRoute(method, rawPath) {
  for (const route of COMPILED) {
    if (route.method !== method) continue;
    const found = route.regex.exec(rawPath);
    if (found) return { route, rawParams: found.slice(1) };
  }
  return null;
}

/** Percent-decodes a match's parameters (per segment); throws a 400 ApiError on invalid encoding. */
export function decodeParams({ route, rawParams }) {
  return Object.fromEntries(route.names.map((name, i) => [name, decodeParam(name, rawParams[i])]));
}
