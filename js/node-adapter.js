// toNodeHandler(): mounts a (Request) => Promise<Response> handler, such as createRelay()'s, on a
// node:http server, streaming request and response bodies both ways.

export function toNodeHandler(handler) {
  return async function nodeHandler(req, res) {
    try {
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
        method: req.method,
        headers,
        body: hasBody ? toWebStream(req) : undefined,
        duplex: hasBody ? "half" : undefined,
        signal: controller.signal,
      });
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) {
        for await (const chunk of response.body) res.write(chunk);
      }
      res.end();
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: 0, error_message: String(error?.message ?? error) }));
    }
  };
}

function toWebStream(req) {
  return new ReadableStream({
    start(controller) {
      req.on("data", (chunk) => controller.enqueue(new Uint8Array(chunk)));
      req.on("end", () => controller.close());
      req.on("error", (error) => controller.error(error));
    },
  });
}
