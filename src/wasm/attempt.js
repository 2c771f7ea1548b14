// The transport's JavaScript side (imported by src/wasm/transport.rs as a wasm-bindgen snippet): one fetch attempt
// (its request built here, under its own timeout and the caller's AbortSignal), the cancelling of an unread body,
// the waits between attempts, and the watch on a caller's signal. JavaScript closures here cost far less per call
// than wasm ones; each timer and listener is removed as soon as its promise settles, so nothing keeps the host's
// event loop alive afterwards.

/**
 * Calls `fetch` (or the global fetch) on globalThis with the request's method, headers (a plain object: Headers
 * would cost a lazy load of Node's fetch implementation and a validation per header), body and a signal that
 * aborts when `timeoutMs` passes or `signal` fires. Resolves to { response, text } (text read only when
 * `readBody`); rejects with { error, timedOut }.
 */
export async function attempt(fetch, url, method, contentType, cookie, body, timeoutMs, signal, readBody) {
  const headers = { accept: "application/json" };
  if (contentType !== undefined) headers["content-type"] = contentType;
  if (cookie !== undefined) headers.cookie = cookie;
  const controller = new AbortController();
  // Redirects are never followed: nothing may go anywhere but the configured host (the transport refuses the 3xx).
  const init = { method, headers, signal: controller.signal, redirect: "manual" };
  if (body !== undefined) {
    init.body = body;
    // Fetch requires `duplex: "half"` for a streamed request body (Node, Deno, browsers).
    if (typeof body === "object" && body instanceof ReadableStream) init.duplex = "half";
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort);
  try {
    // An injected fetch may answer synchronously or with any thenable: `await` adopts either.
    const response = await (fetch ?? globalThis.fetch).call(globalThis, url, init);
    if (!isResponse(response)) throw response;
    return { response, text: readBody ? await response.text() : undefined };
  } catch (error) {
    throw { error, timedOut };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
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

/** Resolves after `ms` milliseconds, or rejects as soon as `signal` (optional) fires. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const end = (settle) => () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const onAbort = end(reject);
    const timer = setTimeout(end(resolve), ms);
    signal?.addEventListener("abort", onAbort);
  });
}

/**
 * Watches `signal` and the time (both optional): `promise` rejects once the signal fires and resolves once `ms`
 * milliseconds pass, until stop() removes the listener and the timer.
 */
export function watch(signal, ms) {
  let stop;
  const promise = new Promise((resolve, reject) => {
    const onAbort = () => reject();
    const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
    signal?.addEventListener("abort", onAbort);
    stop = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
  });
  return { promise, stop };
}
