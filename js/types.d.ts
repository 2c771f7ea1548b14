// Hand-written TypeScript types of the public surface: options, errors, uploads, and the request and
// response shapes that LuxSci's documentation (or a confirmed client) gives. Where the docs give no
// fields the type is an open record or `unknown` — no field here is invented.

/** Any JSON object; LuxSci's docs give no schema for it. */
export type JsonObject = Record<string, unknown>;

/** Options of `new LuxSciClient(...)`. */
export interface ClientOptions {
  /** API host; requests go to `https://{host}/perl/api/v2/...`. Default `"rest.luxsci.com"`. */
  host?: string;
  /** Instead of `host`: an origin plus optional prefix, e.g. `"http://127.0.0.1:8787"`; in relay mode, where `createRelay()` is mounted (may be a path such as `"/luxsci"`). */
  baseUrl?: string;
  /** API integration token. Required unless `relay` is true. */
  token?: string;
  /** API integration secret key. Required unless `relay` is true. Never shown by the client. */
  secret?: string;
  /** User login, for user-scope integrations (with `pass`). */
  user?: string;
  /** User password, for user-scope integrations (with `user`). */
  pass?: string;
  /** Default `{accountId}` of account-level operations. */
  accountId?: string | number;
  /** Default `{username}` of user-level operations. */
  username?: string;
  /**
   * Browser mode: send unsigned requests, marked with the `luxsci-relay: 1` header, to `baseUrl`, a `createRelay()`
   * endpoint; holds no credentials. Answers the relay gives itself reject with `LuxSciRelayError`.
   */
  relay?: boolean;
  /**
   * The fetch to use (default: the global one). It is called as `fetch(url, init)` with `init.headers` a plain
   * object of lowercase names, `init.signal` an AbortSignal, and it must resolve to a `Response`.
   */
  fetch?: typeof fetch;
  /** Timeout of each attempt in milliseconds (default 60000). */
  timeoutMs?: number;
  /**
   * A whole call's time in milliseconds, every attempt, wait and the authentication included (default 120000, or
   * `timeoutMs` when that is longer). A wait that would end past it ends the call at once with a `LuxSciTimeoutError`.
   */
  totalTimeoutMs?: number;
  /** Extra attempts after a retryable failure (default 2). */
  maxRetries?: number;
  /**
   * The most bytes of a response body read (counted after decompression), 1 to 536870912 (default 67108864, 64 MiB:
   * above LuxSci's largest answers, report pages cut at about 50 MB). A longer body is cancelled there and the call
   * rejects with a `LuxSciApiError` (for a send answered 2xx, `mayHaveBeenSent: true`).
   */
  maxResponseBytes?: number;
  /** sendEmail limits, for dedicated servers that raise them (defaults 1000 / 100 / 1000). */
  sendLimits?: SendLimits;
  /** The sender's SMTP message size limit in bytes: when set, a message whose raw subject + body + attachments exceed 66% of it is refused before upload. */
  smtpSizeLimit?: number;
  /** Called before each attempt, retries and replays included; never given headers. May be async; a throw or rejection is ignored. */
  onRequest?: (info: RequestInfo) => void | Promise<void>;
  /** Called after each attempt that got an HTTP answer. May be async; a throw or rejection is ignored. */
  onResponse?: (info: ResponseInfo) => void | Promise<void>;
}

/** sendEmail limits. */
export interface SendLimits {
  maxMessages?: number;
  maxRecipientsPerMessage?: number;
  maxRecipientsPerCall?: number;
}

/** What `onRequest` receives. */
export interface RequestInfo {
  operationId?: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What `onResponse` receives. */
export interface ResponseInfo extends RequestInfo {
  status: number;
}

/** Per-call options, the last argument of every operation. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `totalTimeoutMs` for this call. */
  totalTimeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Overrides the client's `accountId` for this call. */
  accountId?: string | number;
  /** Overrides the client's `username` for this call. */
  username?: string;
}

/** `client.request(method, path, init)`. */
export interface RequestOptions {
  /** An object (serialised in key order) or a raw query string. */
  query?: Record<string, string | number | boolean | null | undefined | Array<string | number | boolean>> | string;
  /** A JSON body: an object, or JSON text. */
  body?: unknown;
  /** Files sent as multipart parts (named), listed in the body's `attachments` unless it has its own. */
  files?: Uploadable[];
  signal?: AbortSignal;
  timeoutMs?: number;
  totalTimeoutMs?: number;
  maxRetries?: number;
}

/** A file: its content, with a name where the content has none (a File has one). */
export type Uploadable =
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | string
  | { name?: string; content: Blob | ArrayBuffer | ArrayBufferView | string; contentType?: string };

/** An attachment: a reference to a file sent in the same call, or its content (the SDK hashes and uploads it),
 * named by `name` or, for a File, by its own name. */
export type Attachment =
  | { name: string; hash: string }
  | { name: string; content: Blob | ArrayBuffer | ArrayBufferView | string; contentType?: string }
  | { name?: string; content: File; contentType?: string }
  | File;

/** The fields of one message, as LuxSci's SecureLine send documents them; extra fields pass through. */
export interface MessageFields {
  cc?: string[];
  bcc?: string[];
  /** Required, at most 1000 characters. */
  subject: string;
  /** Required: plain text or an HTML fragment. */
  body: string;
  body_type?: "text" | "html";
  /** A plain-text alternative, with `body_type: "html"`. */
  body_text?: string;
  from_address?: string;
  /** At most 100 characters. */
  from_name?: string;
  reply_address?: string;
  /** Up to 10 custom headers. */
  headers?: unknown[];
  attachments?: Attachment[];
  [field: string]: unknown;
}

/** One sendEmail message (the same field names as the SecureLine send; inferred, the docs give only limits). */
export interface Message extends MessageFields {
  to: string[];
}

/** sendEmail body: 1–1000 messages, ≤ 100 recipients each, ≤ 1000 in all; `priority` 0 (lowest) to 9 (default 4). */
export interface SendEmailBody {
  messages: Message[];
  priority?: number;
  [field: string]: unknown;
}

/** sendSecureEmailOrSecureText body (documented fields). */
export interface SecureLineSendBody extends MessageFields {
  to?: string[];
  receipt?: 0 | 1;
  no_tls_only?: 0 | 1;
}

/** createAlias body (fields used by LuxSci's own samples). */
export interface CreateAliasBody {
  user: string;
  domain: string;
  dest?: string;
  /** "bounce" or "email". */
  action?: "bounce" | "email";
  bounce?: string;
  [field: string]: unknown;
}

/** An alias, as in the aliases report (keys seen in public clients). */
export interface Alias {
  user?: string;
  domain?: string;
  dest?: string;
  action?: string;
  status?: string;
  type?: string;
  created?: string;
  [field: string]: unknown;
}

/** A domain, as in the domains report (keys seen in public clients). */
export interface Domain {
  id?: number | string;
  gid?: number | string;
  domain?: string;
  is_enabled?: number | boolean;
  is_verified?: number | boolean;
  is_hipaa?: number | boolean;
  users?: number;
  [field: string]: unknown;
}

/** createDkim body. */
export interface CreateDkimBody {
  domain: string;
  [field: string]: unknown;
}

/** A DKIM configuration (no documented fields). */
export type Dkim = JsonObject;

/** Account-level suppression: `[email, expires (days, 0 = never), account_id, domain_id, user_id]`. */
export type AccountSuppressionEntry = [email: string, expires: number, account_id: number, domain_id: number, user_id: number];

/** User-level suppression: account fields plus `date_time_created` (GMT) and `notes`. */
export type UserSuppressionEntry = [
  email: string,
  expires: number,
  account_id: number,
  domain_id: number,
  user_id: number,
  date_time_created: string,
  notes: string,
];

/** getEmailTemplateList query. */
export interface EmailTemplateListQuery {
  /** Only the templates of this team member. */
  user_id?: number;
}

/** A report date: `"YYYY-MM-DD HH:MM:SS"` in GMT, as LuxSci's reporting docs give it. */
export type ReportDate = string;

/** The query of every report (LuxSci's reporting docs). */
export interface ReportQuery {
  /** Only rows dated after this (exclusive). */
  after_date?: ReportDate;
  /** Only rows dated before this (exclusive). */
  before_date?: ReportDate;
  /** Only rows dated on or after this (inclusive). */
  from_date?: ReportDate;
  /** The first row to return, counting from 0 (default 0). */
  first_row?: number;
  /** At most this many rows, 0 to 50000 (default 50000); 0 returns only the counts. */
  matches?: number;
}

/** getUsersReport query: the report query plus the filters a public client sends. */
export interface UsersReportQuery extends ReportQuery {
  status?: string;
  domain?: string;
  younger_than?: string | number;
  older_than?: string | number;
}

/** One page of a report. LuxSci's docs name only `header`, which describes the columns; the sandbox (and the
 * iterators) read it as the column names of `rows`, with the number of all matches in `total_matches`. */
export interface Report {
  header?: string[];
  [field: string]: unknown;
}

/** One row of a report as the iterators yield it: an object keyed by the `header`'s column names. */
export type ReportRow = JsonObject;

/** An iterator's query: the report's, without `matches` (the page size is `pageSize`); `first_row` is where to start. */
export type IterateQuery<Q> = Omit<Q, "matches">;

/** Options of the `iterate…` report methods. */
export interface IterateOptions extends CallOptions {
  /** Rows per request, 1 to 50000 (default 50000). */
  pageSize?: number;
}

/** getUserProfile result: the fields of LuxSci's own C# sample; anything else is open. */
export interface UserProfile {
  user?: string;
  uid?: string;
  contact?: string;
  company?: string;
  status?: string;
  email1?: string;
  email2?: string;
  phone1?: string;
  phone2?: string;
  fax?: string;
  sms?: string;
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  domainname?: string;
  disk_quota?: number;
  disk_usage?: string | number;
  over_quota?: number;
  last_access_date?: string;
  created?: string;
  modified?: string;
  custom1?: string;
  custom2?: string;
  custom3?: string;
  flags?: string[];
  services?: string[];
  [field: string]: unknown;
}

/** getContentLibraryDirectory result: `meta` describes the directory, `items` its files and directories. */
export interface ContentLibraryDirectory {
  meta: JsonObject;
  items: JsonObject[];
}

/** getContentLibraryFile result (no documented fields). */
export type ContentLibraryFile = JsonObject;

/** retrieveSecureLineRecipientListEncryptionData result: one list per queried recipient. */
export interface SecureLineRecipients {
  recipients: unknown[][];
}

/** One entry of addMarketingContacts' result, in contact order. */
export interface MarketingContactResult {
  success: 0 | 1;
  data?: unknown;
  error_message?: string;
}

/** Base class of every error the SDK produces; `name` is the subclass name. */
export declare class LuxSciError extends Error {
  /** HTTP status, when LuxSci answered. */
  status?: number;
  /** The operation that failed. */
  operationId?: string;
  /** For calls that are not safe to repeat (sends, creates): whether the request may have reached LuxSci. */
  mayHaveBeenSent?: boolean;
  /** LuxSci's parsed response body, when it answered with JSON. */
  body?: unknown;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  retryAfterMs?: number;
}
/** LuxSci answered with a failure (non-2xx, or `success: 0`). */
export declare class LuxSciApiError extends LuxSciError {
  readonly name: "LuxSciApiError";
}
/** LuxSci refused the credentials, or a request after a fresh re-authentication. */
export declare class LuxSciAuthError extends LuxSciError {
  readonly name: "LuxSciAuthError";
}
/** An attempt exceeded `timeoutMs`, or the call its `totalTimeoutMs` (also when a wait before a retry would pass it). */
export declare class LuxSciTimeoutError extends LuxSciError {
  readonly name: "LuxSciTimeoutError";
}
/** The call's `signal` fired. */
export declare class LuxSciAbortError extends LuxSciError {
  readonly name: "LuxSciAbortError";
}
/** The connection failed (refused, reset, DNS, dropped). */
export declare class LuxSciConnectionError extends LuxSciError {
  readonly name: "LuxSciConnectionError";
}
/** A report page came back with fewer rows than asked and than remain (LuxSci caps a response at ~50 MB): rows
 * from `nextRow` on were not received. Resume with `first_row: nextRow` and a smaller `pageSize`. */
export declare class LuxSciReportTruncatedError extends LuxSciError {
  readonly name: "LuxSciReportTruncatedError";
  /** The first row that was not received. */
  nextRow: number;
  /** How many rows match in all. */
  totalMatches: number;
}
/**
 * A relay-mode client's relay answered instead of LuxSci: it refused the call (`status` 401 from your `authorize`,
 * 403 off-scope or cross-site, 400 a bad path, 413 over a size limit, 415 a body type it does not take) or failed
 * (502 LuxSci unreachable, 504 its timeout), or the relay's address answered without being a relay (it did not
 * load, or is not mounted there). `message` is the relay's own text; `body` its answer, when JSON.
 */
export declare class LuxSciRelayError extends LuxSciError {
  readonly name: "LuxSciRelayError";
}
/** Bad input, found before anything was sent. */
export declare class LuxSciValidationError extends LuxSciError {
  readonly name: "LuxSciValidationError";
}
