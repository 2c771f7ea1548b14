// Type declarations of the sandbox's public API (startSandbox and the Sandbox object it resolves to).

/** Options of {@link startSandbox}; every one is optional. */
export interface SandboxOptions {
  /** TCP port; 0 (default) picks any free port. */
  port?: number;
  /** Interface to listen on (default "127.0.0.1"). */
  host?: string;
  /** API token (generated when missing, or taken from the data file). */
  token?: string;
  /** API secret (generated when missing, or taken from the data file). */
  secret?: string;
  /** Account id for `{accountId}` paths (generated: a 5-digit number as a string). */
  accountId?: string | number;
  /** The one user for `{username}` paths and user-scope auth (default "user@example.test"). */
  username?: string;
  /** That user's password (generated when missing). */
  password?: string;
  /** JSON file to load state from and write (atomically) after every change. */
  dataFile?: string;
  /** Enables `sandbox.faults` and the `/__sandbox/` HTTP control API (default false). */
  faults?: boolean;
  /** Idle seconds after which an auth code expires (default 1800). */
  authIdleSeconds?: number;
  /** How far the server clock runs ahead of the real one, in seconds (default 0). */
  clockSkewSeconds?: number;
  /** Largest accepted request body; larger ones get 413 (default 64 MiB). */
  maxBodyBytes?: number;
  /** The server's clock in milliseconds (default `Date.now`); `clockSkewSeconds` is added to it. Auth dates are
   * checked against it, so keep it within minutes of real time. */
  clock?: () => number;
  /** A report page stops early once its rows exceed this many bytes, as LuxSci's do past ~50 MB (default 50 MiB). */
  reportByteLimit?: number;
  /** How many of the latest entries `log` and `sends()` keep, and rows the SMTP sent report (persisted with
   * `dataFile`); older ones are dropped (default 10000). */
  logLimit?: number;
}

/** One API request as the sandbox saw it. */
export interface SandboxLogEntry {
  /** The routed operation, or null for an unknown route. */
  operationId: string | null;
  method: string;
  /** The raw path, without the query string. */
  path: string;
  /** The HTTP status sent, or "dropped" when a drop fault closed the connection instead. */
  status: number | "dropped";
  /** When the request arrived: milliseconds since the epoch, on the sandbox machine's clock (without `clockSkewSeconds`). */
  at: number;
  /** Whether the call succeeded (2xx), also for dropped calls. */
  ok: boolean;
}

/** One accepted sendEmail / sendSecureEmailOrSecureText call. */
export interface SandboxSend {
  operationId: "sendEmail" | "sendSecureEmailOrSecureText";
  /** The sendmail_ids returned (empty for sendSecureEmailOrSecureText). */
  sendmailIds: string[];
  /** The messages as received (one for sendSecureEmailOrSecureText). */
  messages: Record<string, unknown>[];
  /** The multipart `files` parts received in that call, in order. */
  files: { name: string; hash: string; size: number }[];
}

/** Fault-injection controls; every method throws unless the sandbox was started with `faults: true`. */
export interface SandboxFaults {
  /** Fail the next `times` calls of `operationId` ("*" = any) with `status`, an optional Retry-After and body. */
  failNext(operationId: string, options?: { times?: number; status?: number; retryAfter?: number; body?: object }): void;
  /** Delay the next `times` calls by `ms` before processing them. */
  delayNext(operationId: string, options: { times?: number; ms: number }): void;
  /** Process the next `times` calls fully, then close the connection without a response. */
  dropNext(operationId: string, options?: { times?: number }): void;
  /** Expire every auth code issued so far. */
  expireAllAuth(): void;
  /** Remove every pending fail / delay / drop rule. */
  reset(): void;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  token: string;
  secret: string;
  accountId: string;
  username: string;
  password: string;
  /** Stops the server and closes every connection. */
  close(): Promise<void>;
  /** The latest `logLimit` API requests, oldest first (a live array). */
  log: SandboxLogEntry[];
  /** How many authentication requests were received (any outcome). */
  authCalls(): number;
  /** The latest `logLimit` accepted sends, oldest first. */
  sends(): SandboxSend[];
  faults: SandboxFaults;
}

/** Starts a local LuxSci sandbox server speaking the real wire protocol. */
export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
