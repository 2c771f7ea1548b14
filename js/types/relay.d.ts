// Type declarations of the signing relay: createRelay() (js/relay.js) and its node:http adapter toNodeHandler() (js/node-adapter.js, Node entry only).

/** A LuxSci HTTP method. */
export type RelayMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Options of {@link createRelay}. The credentials stay on the server that runs the relay. */
export type RelayOptions = RelayBaseOptions & RelayScope;

/** The account and user a relay serves; given none (nor `user`), whatever the integration itself may reach. */
export interface RelayScope {
  /** Only `/account/{accountId}/...` paths of this account are forwarded (403 otherwise); without it, none when a user is set. */
  accountId?: string | number;
  /**
   * Only `/user/{username}/...` paths of this user are forwarded (403 otherwise). Default: `user`, for a user-scope
   * integration; without either, user paths of any user (an account integration's reach).
   */
  username?: string;
}

/** The options of {@link createRelay} besides its scope. */
export interface RelayBaseOptions {
  /** API host; requests go to `https://{host}/perl/api/v2/...`. Default `"rest.luxsci.com"`. */
  host?: string;
  /** Instead of `host`: an origin plus optional prefix, e.g. `"http://127.0.0.1:8787"`. */
  baseUrl?: string;
  /** API integration token. */
  token: string;
  /** API integration secret key; never sent to the browser. */
  secret: string;
  /** User login, for user-scope integrations (with `pass`). */
  user?: string;
  /** User password, for user-scope integrations (with `user`). */
  pass?: string;
  /** Decides who may use this relay, e.g. by the app's own session cookie; false answers 401. */
  authorize(request: Request): boolean | Promise<boolean>;
  /**
   * When given, the only operations forwarded: operationIds from the endpoint table, and
   * `"METHOD /path/{param}"` patterns for endpoints beyond it. Default: every table operation.
   */
  allow?: readonly (string | `${RelayMethod} /${string}`)[];
  /** The path the relay is mounted at, stripped before forwarding (default `""`). */
  prefix?: string;
  /**
   * Origins (`"https://app.example.com"`) of pages on other origins that may use this relay: they alone get CORS
   * preflights and headers. Default none: only same-origin pages (checked by `Sec-Fetch-Site` / `Origin`).
   */
  allowedOrigins?: readonly string[];
  /** The largest JSON body, or `json` part of an upload, in bytes (default 1 MiB); larger ones are answered 413. */
  maxJsonBytes?: number;
  /** The largest multipart upload in bytes (default 100 MiB), counted as it streams; larger ones are answered 413. */
  maxUploadBytes?: number;
  /**
   * Called with the error behind an answer the caller gets as a fixed text (an exception of `authorize`, LuxSci
   * unreachable, a timeout), for the app's own logs.
   */
  onError?: (error: unknown, request: Request) => void;
  /** The fetch to use towards LuxSci (default: the global one). */
  fetch?: typeof fetch;
  /** Timeout of each attempt towards LuxSci in milliseconds, until the end of its answer's body (default 60 s). */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure (never for streamed bodies). */
  maxRetries?: number;
}

/** A fetch-style handler: Cloudflare Workers, Deno.serve, and Node through {@link toNodeHandler}. */
export type RelayHandler = (request: Request) => Promise<Response>;

/**
 * A signing relay for browsers: refuses cross-site requests and any without the relay-mode client's
 * `luxsci-relay` header, authorises the caller with `authorize`, forwards only LuxSci operations (and
 * `allow`ed ones) of its account and user to the configured host, signs them with the secret, streams
 * multipart bodies through within its limits, redacts its credentials from LuxSci's answers, and drops
 * the caller's `Cookie` and `Authorization`. Throws `LuxSciValidationError` for unknown or bad options,
 * or a missing `authorize`.
 */
export declare function createRelay(options: RelayOptions): RelayHandler;

/** What {@link toNodeHandler} reads of a `node:http` IncomingMessage. */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  on(event: string, listener: (...args: any[]) => void): unknown;
}

/** What {@link toNodeHandler} uses of a `node:http` ServerResponse. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  write(chunk: Uint8Array): unknown;
  end(chunk?: string): unknown;
  on(event: "close", listener: () => void): unknown;
}

/**
 * Mounts a fetch-style handler (such as {@link createRelay}'s) on a `node:http` server:
 * `http.createServer(toNodeHandler(relay))`. Exported by the Node entry only.
 */
export declare function toNodeHandler(handler: RelayHandler): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;
