// One HTTP attempt, the IO half of a call's step (js/drive.js runs the steps a call's job asks for): the fetch
// (under its own timeout and the caller's AbortSignal, which also cover a body passed on unread until it ends; a body
// read here is read up to a byte limit), the answer read into what the core judges it by, a failure classified, the
// client's hooks called, and the cancelling of an unread body. Each timer and listener is removed as soon as its promise settles (or its body
// ends), so nothing keeps the host's event loop alive afterwards.

/**
 * Calls `fetch` (or the global fetch) on globalThis with the request's method, `headers` (a plain object: Headers
 * would cost a lazy load of Node's fetch implementation and a validation per header), body and a signal that
 * aborts when `timeoutMs` passes or `signal` fires. Resolves to { response, text, oversized }: the body is read
 * only when `readLimit` (bytes) is given, and `oversized` when it had more (text is then undefined); rejects
 * with { error, timedOut }.
 */
export async function attempt(fetch, url, method, headers, body, timeoutMs, signal, readLimit) {
  const controller = new AbortController();
  // Redirects are never followed: nothing may go anywhere but the configured host (the transport refuses the 3xx).
  const init = { method, headers, signal: controller.signal, redirect: "manual" };
  if (body !== undefined) {
    init.body = body;
    // Fetch requires `duplex: "half"` for a streamed request body (Node, Deno, browsers).
    if (typeof body === "object" && body instanceof ReadableStream) init.duplex = "half";
  }
  let timedOut = false;
  let streamed = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort);
  const finish = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  try {
    // An injected fetch may answer synchronously or with any thenable: `await` adopts either.
    const response = await (fetch ?? globalThis.fetch).call(globalThis, url, init);
    if (!isResponse(response)) throw response;
    if (readLimit !== undefined) {
      const text = await readText(response, readLimit);
      return { response, text: text ?? undefined, oversized: text === null };
    }
    // A body that is not a web stream (a foreign Response class's) cannot be passed on, nor watched.
    if (typeof response.body?.getReader !== "function") return { response, text: undefined, oversized: false };
    streamed = true;
    return { response: timed(response, finish, () => timedOut), text: undefined, oversized: false };
  } catch (error) {
    throw { error, timedOut };
  } finally {
    if (!streamed) finish();
  }
}

/**
 * The body as text (UTF-8, as Response.text() decodes it), or null as soon as it passes `limit` bytes (counted
 * after any decompression by fetch), when the rest is cancelled unread. A Response without a WHATWG body stream
 * (that of some injected fetch) is read whole and judged by its length.
 */
async function readText(response, limit) {
  if (typeof response.body?.getReader !== "function") {
    const text = await response.text();
    return text.length > limit ? null : text;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let [text, size] = ["", 0];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * The response with its body under the attempt's timer and signal until the body ends (for a caller that passes
 * the body on unread, the relay): a body that stalls after the headers errors with a "TimeoutError" DOMException
 * once `timeoutMs` has passed, rather than hanging.
 */
function timed(response, finish, timedOut) {
  const reader = response.body.getReader();
  const body = new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        finish();
        controller.error(timedOut() ? new DOMException("the answer did not end within timeoutMs", "TimeoutError") : error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 }); // read only when its reader reads: nothing is pulled ahead of the caller
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Whether a fetch's answer can be read as a Response: not only the global class, since the fetch of the npm undici
 * package (used for proxies) and node-fetch answer with Response classes of their own.
 */
function isResponse(answer) {
  return typeof answer?.status === "number" && typeof answer.text === "function" && typeof answer.headers?.get === "function";
}

/**
 * Cancels the body of a response that will not be read (one being retried or replayed), so that it does not hold
 * its connection until garbage collection; a body without cancel() (a Node stream) or a failing cancel is ignored.
 */
export function discard(response) {
  try {
    response.body?.cancel?.()?.catch?.(() => {});
  } catch {
    // Nothing is lost: the response is dropped either way.
  }
}

/** Calls an observability hook with `info` and ignores its failures, a thrown error or a rejected promise alike. */
export function hook(f, info) {
  if (f === undefined) return;
  try {
    const returned = f(info);
    // An unhandled rejection would end a Node process.
    if (returned instanceof Promise) returned.catch(() => {});
  } catch {
    // A hook cannot fail the call it observes.
  }
}

/** `value[key]`, or undefined when `value` is not an object or the getter throws (a foreign error may be anything). */
function prop(value, key) {
  try {
    return (typeof value === "object" && value !== null) || typeof value === "function" ? value[key] : undefined;
  } catch {
    return undefined;
  }
}

const describe = (value) => {
  const message = prop(value, "message");
  return typeof message === "string" ? message : "";
};

/**
 * What became of an attempt that got no answer (what attempt() rejected with), for the core: `[fault, reason]`,
 * fault 0 refused (nothing was sent), 1 dropped (the request may have been received), 2 timed out, 3 a failure that
 * cannot be classified (an injected fetch threw something unknown: it may have happened after the request arrived).
 */
export function classify({ error, timedOut }, url) {
  if (timedOut) return [2, "the attempt timed out (timeoutMs)"];
  const cause = prop(error, "cause");
  const code = prop(cause, "code");
  const text = `${describe(error)} ${describe(cause)}`;
  const refused = code === "ECONNREFUSED" || text.includes("ECONNREFUSED") || text.includes("Connection refused");
  // `scheme://host[:port]`: up to the third `/`.
  const parts = url.split("/");
  const origin = parts.length > 3 ? parts.slice(0, 3).join("/") : url;
  const reason = `could not reach ${origin}: ${typeof code === "string" && code !== "" ? code : describe(error)}`;
  return [refused ? 0 : error instanceof TypeError || cause !== undefined ? 1 : 3, reason];
}

/**
 * What the core judges an answer by (an attempt's outcome, its body `parsed` as JSON.parse made it, undefined when
 * it is not JSON, and whether it was `read`), as its job's `answered()` takes it: the status, a redirect its status
 * does not show (a browser's opaque one, or one an injected fetch followed), `read`, whether the body passed its
 * limit, what the body parsed to (0 not JSON, 1 not an object, 2 an object) and that object's `success` flag (0
 * missing, 1 boolean, 2 number, 3 string, 4 anything else) and `error_message` string and, for an authentication
 * (`auth`), its `auth` string, each cut to its window in `windows` (the core's: `[bytes, message, auth]`), and the
 * headers it reads, the relay's mark under `relayHeader` (and, for an authentication, `Date`, which only its clock
 * correction reads).
 */
export function seen({ response, oversized }, parsed, read, { windows, relayHeader }, auth) {
  const object = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  const success = object ? parsed.success : undefined;
  const flag = !object || success === undefined ? 0 : typeof success === "boolean" ? 1 : typeof success === "number" ? 2 : typeof success === "string" ? 3 : 4;
  const cut = (key, max) => (object && typeof parsed[key] === "string" ? parsed[key].slice(0, max) : undefined);
  // A Response of an injected fetch may be anything that passed isResponse(): a header that cannot be read, or is not
  // a string, is not there.
  const header = (name) => {
    try {
      const value = response.headers.get(name);
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const retryAfter = header("retry-after");
  const date = auth ? header("date") : undefined;
  return [
    response.status,
    prop(response, "type") === "opaqueredirect" || prop(response, "redirected") === true,
    read,
    oversized,
    parsed === undefined ? 0 : object ? 2 : 1,
    flag,
    flag === 1 || flag === 2 ? Number(success) : 0,
    // Only "1" and "0" mean anything as text, so two characters tell them from any other string.
    flag === 3 ? success.slice(0, 2) : undefined,
    cut("error_message", windows[1]),
    auth ? cut("auth", windows[2]) : undefined,
    header("location"),
    header(relayHeader),
    retryAfter,
    retryAfter === undefined ? NaN : Date.parse(retryAfter.trim()),
    date === undefined ? undefined : Date.parse(date) / 1000,
  ];
}
