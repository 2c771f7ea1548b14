// The plain-JS baseline: a minimal hand-written LuxSci signer (node:crypto + fetch) that the SDK is measured against.
import { createHash, createHmac } from "node:crypto";

const API = "/perl/api/v2";
const hmac = (key, text) => createHmac("sha256", key).update(text).digest("hex");

/** Authenticates once, then signs and sends each request; resolves to the envelope's `data`. */
export class PlainClient {
  constructor({ baseUrl, token, secret, fetch = globalThis.fetch }) {
    Object.assign(this, { baseUrl, token, secret, fetch, auth: null });
  }

  async authenticate() {
    const date = Math.floor(Date.now() / 1000);
    const signature = hmac(this.secret, `${this.token}\n${date}\n`);
    const response = await this.fetch(`${this.baseUrl}${API}/auth`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ token: this.token, date, signature }),
    });
    return (this.auth = (await envelope(response)).auth);
  }

  /** `path` relative to /perl/api/v2, already encoded; `body` an object sent as JSON. */
  async request(method, path, body) {
    const auth = this.auth ?? (await this.authenticate());
    const text = body === undefined ? undefined : JSON.stringify(body);
    const hash = text === undefined ? "" : createHash("sha256").update(text).digest("hex");
    const signature = hmac(this.secret, `${auth}\n${method}\n${API}${path}\n\n${hash}\n`);
    const headers = { accept: "application/json", cookie: `signature=${auth}:${signature}` };
    if (text !== undefined) headers["content-type"] = "application/json";
    const response = await this.fetch(`${this.baseUrl}${API}${path}`, { method, headers, body: text });
    return (await envelope(response)).data;
  }
}

async function envelope(response) {
  const parsed = JSON.parse(await response.text());
  if (!response.ok || !parsed.success) throw new Error(parsed.error_message ?? `HTTP ${response.status}`);
  return parsed;
}
