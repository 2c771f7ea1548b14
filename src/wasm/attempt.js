// The transport's JavaScript side (imported by src/wasm/transport.rs as a wasm-bindgen snippet): one fetch attempt
// (its request built here, under its own timeout and the caller's AbortSignal, which also cover a body passed on
// unread until it ends; a body read here is read up to a byte limit), the cancelling of an unread body, and the
// quieting of a hook's rejected promise. JavaScript closures here cost far less per call than wasm ones; each timer
// and listener is removed as soon as its promise settles (or its body ends), so nothing keeps the host's event loop
// alive afterwards.

/**
 * Calls `fetch` (or the global fetch) on globalThis with the request's method, headers (a plain object: Headers
 * would cost a lazy load of Node's fetch implementation and a validation per header), body and a signal that
 * aborts when `timeoutMs` passes or `signal` fires. Resolves to { response, text, oversized }: the body is read
 * only when `readLimit` (bytes) is given, and `oversized` when it had more (text is then undefined); rejects
 * with { error, timedOut }.
 */
export async function attempt(fetch, url, method, contentType, cookie, markName, markValue, body, timeoutMs, signal, readLimit) {
  const headers = { accept: "application/json" };
  if (contentType !== undefined) headers["content-type"] = contentType;
  if (cookie !== undefined) headers.cookie = cookie;
  if (markName !== undefined) headers[markName] = markValue;
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

/** Handles a rejection of `value`, when it is a promise, by ignoring it (an unhandled rejection would end a Node process). */
export function quiet(value) {
  if (value instanceof Promise) value.catch(() => {});
}
