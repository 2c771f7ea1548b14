// toNodeHandler(): mounts a (Request) => Promise<Response> handler, such as createRelay()'s, on a
// node:http server, streaming request and response bodies both ways with backpressure: a slow
// LuxSci pauses the browser's upload, and a slow browser pauses the download. A request body the
// handler did not read (it answered early, e.g. 413) is discarded for a short while, so that the
// caller receives the answer, and then its connection is closed.
// node:stream is loaded on the first relayed response, not at import: it costs every importer about 1 ms of start-up.
const streams = () => Promise.all([import("node:stream"), import("node:stream/promises")]);

// The request body the handler may have queued but not yet read; beyond it the upload is paused.
const QUEUED_BYTES = 256 * 1024;
// How long the unread rest of a request body is read and dropped after the answer, before the connection is closed:
// closing a socket with unread data resets it, which can destroy the answer before the caller has read it.
const LINGER_MS = 2000;

export function toNodeHandler(handler) {
  return async function nodeHandler(req, res) {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    let response;
    let body;
    res.on("finish", () => {
      if (req.complete) return;
      body?.discard();
      req.resume();
      const linger = setTimeout(() => req.destroy(), LINGER_MS);
      req.once("end", () => clearTimeout(linger));
      req.once("close", () => clearTimeout(linger));
    });
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      body = hasBody ? toWebStream(req) : undefined;
      const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
        method: req.method,
        headers,
        body: body?.stream,
        duplex: hasBody ? "half" : undefined,
        signal: controller.signal,
      });
      response = await handler(request);
    } catch {
      // A fixed text: the error's own may say more about this server than its callers should learn.
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: 0, error_message: "the handler failed" }));
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) {
      res.end();
      return;
    }
    // pipeline waits for each write to drain; a browser that went away ends the body stream too.
    const [{ Readable }, { pipeline }] = await streams();
    await pipeline(Readable.fromWeb(response.body), res).catch(() => res.destroy());
  };
}

// Pull-based: `req` is paused while QUEUED_BYTES wait unread, and resumed when the reader pulls.
// Chunks are views of Node's buffers, not copies. Once cancelled or discarded, what still arrives is dropped.
function toWebStream(req) {
  let open = true;
  const settle = (finish) => {
    if (open) {
      open = false;
      finish();
    }
  };
  const discard = () => {
    open = false;
  };
  const stream = new ReadableStream(
    {
      start(controller) {
        req.on("data", (chunk) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if (controller.desiredSize <= 0) req.pause();
        });
        req.once("end", () => settle(() => controller.close()));
        req.once("error", (error) => settle(() => controller.error(error)));
      },
      pull() {
        req.resume();
      },
      cancel: discard,
    },
    { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
  return { stream, discard };
}
