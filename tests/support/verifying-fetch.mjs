// A fetch for tests that re-verifies every request the SDK sends with the independent signer
// (tests/support/signer.mjs) before passing it on, and records what it saw.
import { authStringToSign, cookie, hmacHex } from "./signer.mjs";

/** Text of the `json` part of a multipart body, or null. */
export async function jsonPartOf(blob, contentType) {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  const text = await blob.text();
  const start = text.indexOf("\r\n\r\n", text.indexOf(`--${boundary}`));
  const end = text.indexOf(`\r\n--${boundary}`, start);
  return start < 0 || end < 0 ? null : text.slice(start + 4, end);
}

/**
 * fetch(url, init) that checks the auth call's signature and every request's Cookie signature with
 * `secret`, throws (failing the test) on a mismatch, and records { method, path, query, operation }.
 */
export function verifyingFetch(secret, { user, pass } = {}) {
  const seen = [];
  const verifyingFetch = async (url, init = {}) => {
    const u = new URL(url);
    const method = init.method ?? "GET";
    const headers = new Headers(init.headers);
    const path = u.pathname;
    const query = u.search.slice(1);
    if (method === "POST" && path.endsWith("/perl/api/v2/auth")) {
      const body = JSON.parse(init.body);
      const expected = hmacHex(secret, authStringToSign(body.token, body.date, user, pass));
      if (body.signature !== expected) throw new Error("auth signature mismatch");
      if (headers.has("cookie")) throw new Error("the auth call must not carry a cookie");
    } else {
      const match = /^signature=([^:]+):([0-9a-f]{64})$/.exec(headers.get("cookie") ?? "");
      if (!match) throw new Error(`bad cookie on ${method} ${path}`);
      let signedText = init.body;
      if (init.body instanceof Blob) signedText = await jsonPartOf(init.body, headers.get("content-type"));
      const expected = cookie(match[1], secret, method, path, query, signedText);
      if (headers.get("cookie") !== expected) throw new Error(`signature mismatch on ${method} ${path}`);
    }
    seen.push({ method, path, query });
    return fetch(url, init);
  };
  return { fetch: verifyingFetch, seen };
}
