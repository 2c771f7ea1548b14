//! THE endpoint table: one row per LuxSci operation. Methods, paths, argument shapes, TypeScript types,
//! docs and retry safety of every operation are derived from these rows and nowhere else.

/// HTTP methods LuxSci uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Read.
    Get,
    /// Create, send, or an RPC-style call.
    Post,
    /// Full or partial replacement.
    Put,
    /// Removal.
    Delete,
}

impl Method {
    /// The method as it goes on the wire and into the string-to-sign.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(name: &str) -> Option<Method> {
        [Method::Get, Method::Post, Method::Put, Method::Delete]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether repeating a request that may have reached the server is harmless by default.
    pub fn idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }
}

/// How an operation's JavaScript arguments are shaped (after the implicit `accountId` / `username`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `authenticate()` / `revokeAuthentication()`: handled by the auth session, not by the generic call.
    Auth,
    /// `(options?)`
    Options,
    /// `(param, options?)`: one path segment.
    Param,
    /// `(body, options?)`
    Body,
    /// `(param, body, options?)`
    ParamBody,
    /// `(query?, options?)`: a lone object is the query.
    OptQuery,
    /// `(query?, options?)` like [`Shape::OptQuery`], for a report paged by `first_row` / `matches`: the
    /// client also gets an `iterate…` method that walks its pages (js/client.js).
    Report,
    /// `(directory?, options?)`: a string is the directory, a lone object the options.
    OptDir,
    /// `(directory, options?)`: a content-library directory (ends in `/`).
    Dir,
    /// `(filePath, options?)`: a content-library file path (may contain `/`).
    File,
    /// `(filePath, file, options?)`: multipart upload of one file.
    Upload,
    /// `(body, options?)` where messages may carry attachments: sent as multipart when they do.
    Send,
}

/// Whether a public source confirms the HTTP method, or it is our reading of the docs.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Confirmed by working client code or LuxSci's own text.
    Confirmed,
    /// Inferred from the docs; see `reference/endpoints.tsv`.
    Inferred,
    /// Beyond the endpoint reference: path and method from LuxSci's public sample clients, queries from
    /// LuxSci's reporting docs (see `reference/endpoints.tsv`).
    Beyond,
}

/// Whether a request may be repeated after it may have reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// As the method says: GET, PUT and DELETE yes, POST no.
    ByMethod,
    /// An RPC-style POST that only reads: safe to repeat.
    Safe,
}

/// One LuxSci operation.
#[derive(Debug)]
pub struct Endpoint {
    /// The LuxSci operationId, which is also the JavaScript method name.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to `/perl/api/v2`.
    pub path: &'static str,
    /// Argument shape.
    pub shape: Shape,
    /// JavaScript name of the explicit path parameter, if any.
    pub param: Option<&'static str>,
    /// TypeScript type of the body or query argument, if any.
    #[cfg(not(target_arch = "wasm32"))]
    pub input_ts: Option<&'static str>,
    /// TypeScript type the promise resolves to.
    #[cfg(not(target_arch = "wasm32"))]
    pub output_ts: &'static str,
    /// Confirmed or inferred HTTP method.
    #[cfg(not(target_arch = "wasm32"))]
    pub source: Source,
    /// Retry safety.
    pub retry: Retry,
    /// One-line description.
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
}

impl Endpoint {
    /// Whether a failed attempt that may have reached the server can be repeated.
    pub fn idempotent(&self) -> bool {
        match self.retry {
            Retry::Safe => true,
            Retry::ByMethod => self.method.idempotent(),
        }
    }
}

/// Calls `$m!` with every row of the table. Row: `[operationId, Method, "path", Shape(param?, input type?),
/// "output type", Source, Retry, "doc"]`. Used to build [`ENDPOINTS`] and the JavaScript methods.
#[macro_export]
macro_rules! for_each_endpoint {
    ($m:ident) => {
        $m! {
            [authentication, Post, "/auth", Auth(), "void", Confirmed, ByMethod,
             "Authenticates and caches the auth code; later calls reuse it."]
            [revokeAuthentication, Delete, "/auth", Auth(), "void", Inferred, ByMethod,
             "Revokes the authentication session, invalidating every auth code of it."]
            [createContentLibraryDirectory, Post, "/user/{username}/content_library/{directory}", Dir(directory), "unknown", Inferred, ByMethod,
             "Creates a Content Library directory; its parents must exist."]
            [deleteContentLibraryDirectory, Delete, "/user/{username}/content_library/{directory}", Dir(directory), "unknown", Inferred, ByMethod,
             "Deletes an empty Content Library directory."]
            [deleteContentLibraryFile, Delete, "/user/{username}/content_library/{file_path}", File(filePath), "unknown", Inferred, ByMethod,
             "Deletes a Content Library file."]
            [getContentLibraryDirectory, Get, "/user/{username}/content_library/{directory}", OptDir(directory), "ContentLibraryDirectory", Inferred, ByMethod,
             "Lists a Content Library directory (`meta` and `items`); the top level when no directory is given."]
            [getContentLibraryFile, Get, "/user/{username}/content_library/{file_path}", File(filePath), "ContentLibraryFile", Inferred, ByMethod,
             "Gets details of a Content Library file."]
            [uploadContentLibraryFile, Post, "/user/{username}/content_library/{file_path}", Upload(filePath), "unknown", Inferred, ByMethod,
             "Uploads a file to the Content Library (multipart; the SDK computes its SHA-256)."]
            [createDomain, Post, "/account/{accountId}/domains", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Creates a domain (a subdomain or one with client-managed DNS)."]
            [deleteDomain, Delete, "/account/{accountId}/domains/{domainName}", Param(domainName), "unknown", Inferred, ByMethod,
             "Removes a domain that is not in use."]
            [getDomainDetails, Get, "/account/{accountId}/domains/{domainName}", Param(domainName), "Domain", Inferred, ByMethod,
             "Gets one domain, as in the domains report."]
            [getDomainsReport, Get, "/account/{accountId}/domains", Options(), "Domain[]", Confirmed, ByMethod,
             "Lists every domain of the account."]
            [updateDomain, Put, "/account/{accountId}/domains/{domainName}", ParamBody(domainName, "JsonObject"), "unknown", Inferred, ByMethod,
             "Changes selected domain settings; omitted settings are not altered."]
            [createCustomBounceDomain, Post, "/account/{accountId}/bounce_domain", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Adds a Custom Bounce Domain (a subdomain of the from domain, with DKIM and a CNAME in place)."]
            [createDkim, Post, "/account/{accountId}/dkim", Body("CreateDkimBody"), "unknown", Confirmed, ByMethod,
             "Creates a DKIM configuration."]
            [deleteDkim, Delete, "/account/{accountId}/dkim/{domainName}", Param(domainName), "unknown", Inferred, ByMethod,
             "Removes a DKIM definition."]
            [deleteEmailAutoResponder, Delete, "/user/{username}/email/ar/{id}", Param(id), "unknown", Inferred, ByMethod,
             "Deletes an email auto-responder of the user."]
            [getDkimDetails, Get, "/account/{accountId}/dkim/{domainName}", Param(domainName), "Dkim", Confirmed, ByMethod,
             "Gets one DKIM configuration."]
            [getDkimReport, Get, "/account/{accountId}/dkim", Options(), "Dkim[]", Inferred, ByMethod,
             "Lists every DKIM configuration of the account."]
            [getEmailAutoResponders, Get, "/user/{username}/email/ar", Options(), "JsonObject[]", Inferred, ByMethod,
             "Lists the user's email auto-responders."]
            [newEmailAutoResponder, Post, "/user/{username}/email/ar", Body("JsonObject"), "string | number", Inferred, ByMethod,
             "Creates an email auto-responder; resolves to its id."]
            [retrieveSecureLineRecipientListEncryptionData, Post, "/user/{username}/email/compose/secureline/recipients", Body("JsonObject"), "SecureLineRecipients", Confirmed, Safe,
             "Tells which encryption SecureLine would use for each recipient (an RPC-style read, so safe to retry)."]
            [updateEmailForwarding, Put, "/user/{username}/email/forwarding", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Changes the user's email forwarding, denial and deletion settings."]
            [createAlias, Post, "/account/{accountId}/aliases", Body("CreateAliasBody"), "unknown", Confirmed, ByMethod,
             "Creates an email alias (per-domain limit: 100 + 10 per user)."]
            [deleteAlias, Delete, "/account/{accountId}/aliases/{aliasAddress}", Param(aliasAddress), "unknown", Confirmed, ByMethod,
             "Removes an alias."]
            [getAliasDetails, Get, "/account/{accountId}/aliases/{aliasAddress}", Param(aliasAddress), "Alias", Inferred, ByMethod,
             "Gets one alias, as in the aliases report."]
            [getAliasesReport, Get, "/account/{accountId}/aliases", Options(), "Alias[]", Confirmed, ByMethod,
             "Lists aliases, user forwards, catch-alls and WebAide group lists."]
            [updateAlias, Put, "/account/{accountId}/aliases/{aliasAddress}", ParamBody(aliasAddress, "JsonObject"), "unknown", Inferred, ByMethod,
             "Modifies (or enables / disables) a regular alias."]
            [createAccountSuppression, Post, "/account/{accountId}/suppression/", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Adds account-level email suppressions."]
            [createCustomField, Post, "/user/{username}/fields", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Creates a Custom Field (in Teams, Team Administrators only)."]
            [createEmailContentTag, Post, "/user/{username}/content_tags", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Defines a static email content tag."]
            [createEmailTemplate, Post, "/user/{username}/templates", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Creates an email template."]
            [createEmailTemplateGroup, Post, "/user/{username}/template_group", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Creates an email template group (the docs' `{template_group_id}` in this path has no parameter)."]
            [createUserSuppression, Post, "/user/{username}/suppression/", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Adds user-level email suppressions."]
            [deleteAccountSuppression, Delete, "/account/{accountId}/suppression/{email}", Param(email), "unknown", Inferred, ByMethod,
             "Deletes an account-level suppression."]
            [deleteEmailContentTag, Delete, "/user/{username}/content_tags/{tag_id}", Param(tagId), "unknown", Inferred, ByMethod,
             "Deletes a content tag (by numeric id or code_word)."]
            [deleteEmailTemplate, Delete, "/user/{username}/template/{template_id}", Param(templateId), "unknown", Inferred, ByMethod,
             "Deletes a template (by numeric id or code_word)."]
            [deleteEmailTemplateGroup, Delete, "/user/{username}/template_group/{template_group_id}", Param(templateGroupId), "unknown", Inferred, ByMethod,
             "Deletes a template group."]
            [deleteUserSuppression, Delete, "/user/{username}/suppression/{email}", Param(email), "unknown", Inferred, ByMethod,
             "Deletes a user-level suppression."]
            [getAccountSuppression, Get, "/account/{accountId}/suppression/{email}", Param(email), "AccountSuppressionEntry[]", Inferred, ByMethod,
             "Finds account-level suppressions whose address contains `email`."]
            [getAccountSuppressionList, Get, "/account/{accountId}/suppression/", Options(), "AccountSuppressionEntry[]", Inferred, ByMethod,
             "Lists every account-level suppression."]
            [getCustomFields, Get, "/user/{username}/fields", Options(), "unknown", Inferred, ByMethod,
             "Lists the Custom Fields visible to the user."]
            [getDomainSmtpTlsCapability, Get, "/user/{username}/email/compose/secureline/tls/{domain}", Param(domain), "JsonObject", Inferred, ByMethod,
             "Checks whether a domain's MX servers all support good SMTP TLS."]
            [getEmailContentTag, Get, "/user/{username}/content_tags/{tag_id}", Param(tagId), "JsonObject", Inferred, ByMethod,
             "Gets a content tag (by numeric id or code_word)."]
            [getEmailContentTagList, Get, "/user/{username}/content_tags", Options(), "JsonObject[]", Inferred, ByMethod,
             "Lists the content tags accessible to you."]
            [getEmailTemplate, Get, "/user/{username}/template/{template_id}", Param(templateId), "JsonObject", Inferred, ByMethod,
             "Gets a template (by numeric id or code_word)."]
            [getEmailTemplateGroups, Get, "/user/{username}/template_groups", Options(), "JsonObject[]", Inferred, ByMethod,
             "Lists the template groups accessible to you."]
            [getEmailTemplateList, Get, "/user/{username}/templates", OptQuery("EmailTemplateListQuery"), "JsonObject[]", Inferred, ByMethod,
             "Lists the templates accessible to you, optionally only one team member's (`user_id`)."]
            [getUserSuppression, Get, "/user/{username}/suppression/{email}", Param(email), "UserSuppressionEntry[]", Inferred, ByMethod,
             "Finds user-level suppressions whose address contains `email`."]
            [getUserSuppressionList, Get, "/user/{username}/suppression/", Options(), "UserSuppressionEntry[]", Inferred, ByMethod,
             "Lists every user-level suppression."]
            [sendEmail, Post, "/user/{username}/email/send", Send("SendEmailBody"), "string[]", Inferred, ByMethod,
             "Sends 1-1000 messages through the account's SMTP servers; resolves to their sendmail_ids, in message order. Never retried once it may have reached the server."]
            [sendSecureEmailOrSecureText, Post, "/user/{username}/email/compose/secureline/send", Send("SecureLineSendBody"), "unknown", Confirmed, ByMethod,
             "Sends one SecureLine email or SecureText message (deprecated by LuxSci; prefer sendEmail)."]
            [updateEmailContentTag, Put, "/user/{username}/content_tags/{tag_id}", ParamBody(tagId, "JsonObject"), "unknown", Inferred, ByMethod,
             "Replaces ALL fields of a content tag (omitted fields become empty)."]
            [updateEmailTemplate, Put, "/user/{username}/template/{template_id}", ParamBody(templateId, "JsonObject"), "unknown", Inferred, ByMethod,
             "Replaces ALL fields of a template (omitted fields become empty)."]
            [updateEmailTemplateGroup, Put, "/user/{username}/template_group/{template_group_id}", ParamBody(templateGroupId, "JsonObject"), "unknown", Inferred, ByMethod,
             "Renames a template group."]
            [addMarketingCampaign, Post, "/account/{accountId}/marketing/addCampaign", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Creates an email broadcast campaign."]
            [addMarketingContact, Post, "/account/{accountId}/marketing/addContact", Body("JsonObject"), "unknown", Inferred, ByMethod,
             "Adds a marketing contact."]
            [addMarketingContacts, Post, "/account/{accountId}/marketing/addContacts", Body("JsonObject"), "MarketingContactResult[]", Inferred, ByMethod,
             "Adds several marketing contacts (`contacts`); resolves to one result per contact."]
            [addMarketingList, Post, "/account/{accountId}/marketing/addList", Body("JsonObject"), "JsonObject", Inferred, ByMethod,
             "Adds a marketing contact list; resolves to its id and fields."]
            [getUserProfile, Get, "/user/{username}/profile", Options(), "UserProfile", Beyond, ByMethod,
             "Gets the user's profile (contact details, quota and usage, status, services)."]
            [getUsersReport, Get, "/account/{accountId}/users", Report("UsersReportQuery"), "Report", Beyond, ByMethod,
             "Lists the account's users, optionally by `status`, `domain`, `younger_than`, `older_than`; paged."]
            [getAccountSmtpSentReport, Get, "/account/{accountId}/report/email/smtp/sent", Report("ReportQuery"), "Report", Beyond, ByMethod,
             "Reports the email the account sent through SMTP (and the API); paged."]
            [getAccountWebmailSentReport, Get, "/account/{accountId}/report/email/webmail/sent", Report("ReportQuery"), "Report", Beyond, ByMethod,
             "Reports the email the account's users sent through WebMail; paged."]
            [getUserWebmailSentReport, Get, "/user/{username}/report/email/webmail/sent", Report("ReportQuery"), "Report", Beyond, ByMethod,
             "Reports the email the user sent through WebMail; paged."]
        }
    };
}

macro_rules! define_table {
    ($([$id:ident, $method:ident, $path:literal, $shape:ident($($param:ident)? $(,)? $($input:literal)?),
       $out:literal, $src:ident, $retry:ident, $doc:literal])*) => {
        /// Every operation, in the order of the LuxSci endpoint reference, then the ones beyond it.
        pub static ENDPOINTS: &[Endpoint] = &[$(Endpoint {
            id: stringify!($id),
            method: Method::$method,
            path: $path,
            shape: Shape::$shape,
            param: define_table!(@opt $(stringify!($param))?),
            #[cfg(not(target_arch = "wasm32"))]
            input_ts: define_table!(@opt $($input)?),
            #[cfg(not(target_arch = "wasm32"))]
            output_ts: $out,
            #[cfg(not(target_arch = "wasm32"))]
            source: Source::$src,
            retry: Retry::$retry,
            #[cfg(not(target_arch = "wasm32"))]
            doc: $doc,
        }),*];
    };
    (@opt $e:expr) => { Some($e) };
    (@opt) => { None };
}
for_each_endpoint!(define_table);

/// The rows that are client methods (all but the authentication rows, which have their own), in
/// table order: a method's position here is how JavaScript names it to the wasm (js/operations.js).
pub fn operations() -> impl Iterator<Item = &'static Endpoint> {
    ENDPOINTS.iter().filter(|e| e.shape != Shape::Auth)
}

/// The row of an operationId.
pub fn by_id(id: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.id == id)
}

/// The operation that a method and a path (relative to `/perl/api/v2`, already split from its query)
/// address, if any. Content-library parameters take the rest of the path; a directory path ends in `/`.
pub fn match_route(method: Method, path: &str) -> Option<&'static Endpoint> {
    ENDPOINTS
        .iter()
        .filter(|e| e.method == method)
        .find(|e| template_matches(e, path))
}

fn template_matches(e: &Endpoint, path: &str) -> bool {
    let mut rest = path;
    for piece in e.pieces() {
        let (value, ok) = match piece {
            Piece::Text(text) => match rest.strip_prefix(text) {
                Some(after) => {
                    rest = after;
                    continue;
                }
                None => return false,
            },
            Piece::AccountId | Piece::Username | Piece::Param(Param::Segment) => {
                let value = rest.split('/').next().unwrap_or_default();
                (value, !value.is_empty())
            }
            Piece::Param(Param::Directory { top_allowed }) => (
                rest,
                (top_allowed && rest.is_empty()) || rest.ends_with('/'),
            ),
            Piece::Param(Param::File) => (rest, !rest.is_empty() && !rest.ends_with('/')),
        };
        if !ok {
            return false;
        }
        rest = rest.get(value.len()..).unwrap_or_default();
    }
    rest.is_empty()
}

/// A piece of an endpoint's path template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// `{accountId}`: one segment.
    AccountId,
    /// `{username}`: one segment.
    Username,
    /// The operation's own parameter, whatever the docs name its placeholder.
    Param(Param),
}

/// How an operation's own parameter goes into its path, decided by the row's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// One segment.
    Segment,
    /// A content-library directory: the rest of the path, ending in `/` (or empty for the top level
    /// when `top_allowed`).
    Directory {
        /// The top level may be named by no directory at all.
        top_allowed: bool,
    },
    /// A content-library file path: the rest of the path, which may hold `/` but not end in one.
    File,
}

impl Param {
    /// The parameter kind of rows of `shape`.
    pub fn of(shape: Shape) -> Param {
        match shape {
            Shape::OptDir => Param::Directory { top_allowed: true },
            Shape::Dir => Param::Directory { top_allowed: false },
            Shape::File | Shape::Upload => Param::File,
            _ => Param::Segment,
        }
    }
}

impl Endpoint {
    /// The path template read into pieces: the one reader of `{…}` placeholders.
    pub fn pieces(&self) -> impl Iterator<Item = Piece<'static>> {
        let param = Param::of(self.shape);
        let mut template = self.path;
        let mut placeholder: Option<Piece<'static>> = None;
        core::iter::from_fn(move || {
            if let Some(piece) = placeholder.take() {
                return Some(piece);
            }
            if template.is_empty() {
                return None;
            }
            let Some((text, rest)) = template.split_once('{') else {
                return Some(Piece::Text(core::mem::take(&mut template)));
            };
            let (name, rest) = rest.split_once('}').unwrap_or((rest, ""));
            placeholder = Some(match name {
                "accountId" => Piece::AccountId,
                "username" => Piece::Username,
                _ => Piece::Param(param),
            });
            template = rest;
            if text.is_empty() {
                placeholder.take()
            } else {
                Some(Piece::Text(text))
            }
        })
    }
}
