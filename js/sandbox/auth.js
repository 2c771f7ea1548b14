// Authentication: the /auth call (account and user scope), signature-cookie verification, auth-code sessions, idle expiry and revocation.
import { createHmac, createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { ApiError } from "./http.js";

/** Allowed distance between the auth body's `date` and the server clock. */
const DATE_WINDOW_SECONDS = 300;

const hmacHex = (secret, message) => createHmac("sha256", secret).update(message, "utf8").digest("hex");
export const sha256Hex = (data) => createHash("sha256").update(data).digest("hex");

const unauthorized = (message) => new ApiError(401, message);

function hexEqual(expectedLowerHex, given) {
  if (typeof given !== "string" || given.length !== expectedLowerHex.length) return false;
  return timingSafeEqual(Buffer.from(expectedLowerHex), Buffer.from(given.toLowerCase()));
}

/** The decimal text of `date` exactly as sent, or null when it is not Unix seconds. */
function dateText(date) {
  if (typeof date === "number" && Number.isSafeInteger(date) && date >= 0) return String(date);
  if (typeof date === "string" && /^\d{1,15}$/.test(date)) return date;
  return null;
}

/** The `<auth>` and `<sig>` of the `signature` cookie (other cookies may share the header), or null. */
function signatureCookie(header) {
  const value = String(header ?? "")
    .split(";")
    .map((pair) => pair.trim())
    .find((pair) => pair.startsWith("signature="))
    ?.slice("signature=".length)
    .replace(/^"(.*)"$/, "$1");
  if (value === undefined) return null;
  const colon = value.lastIndexOf(":");
  return colon < 0 ? { auth: value, sig: "" } : { auth: value.slice(0, colon), sig: value.slice(colon + 1) };
}

export class AuthService {
  /** `clock()` is the server time in ms (real time + configured skew). */
  constructor({ token, secret, username, password, authIdleSeconds }, clock) {
    Object.assign(this, { token, secret, username, password, authIdleSeconds, clock });
    this.sessions = new Map(); // auth code → { id, scope, lastUsed, expired }
    this.nextSessionId = 10_000_000 + randomInt(80_000_000);
  }

  /** Checks an auth body and opens a session; returns the new auth code. */
  authenticate(body) {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ApiError(400, "auth body must be a JSON object with token, date and signature");
    }
    const { token, date, signature, user, pass } = body;
    if (typeof token !== "string" || token === "") throw new ApiError(400, "auth body has no token");
    if (typeof signature !== "string" || signature === "") throw new ApiError(400, "auth body has no signature");
    const text = dateText(date);
    if (text === null) throw new ApiError(400, "auth body 'date' must be Unix seconds (a number or a numeric string)");
    const userScope = user !== undefined || pass !== undefined;
    if (userScope && (typeof user !== "string" || typeof pass !== "string")) {
      throw new ApiError(400, "auth body 'user' and 'pass' must both be strings, given together");
    }
    if (!hexEqual(sha256Hex(token), sha256Hex(this.token))) throw unauthorized("unknown API token");
    const now = Math.floor(this.clock() / 1000);
    if (Math.abs(Number(text) - now) > DATE_WINDOW_SECONDS) {
      throw unauthorized(`date outside the allowed window: ${text} is more than ${DATE_WINDOW_SECONDS} s from the server time ${now}`);
    }
    const toSign = userScope ? `${token}\n${text}\n${user}\n${pass}\n` : `${token}\n${text}\n`;
    if (!hexEqual(hmacHex(this.secret, toSign), signature)) {
      throw unauthorized("bad signature: expected hex HMAC-SHA256(secret, token\\ndate\\n[user\\npass\\n])");
    }
    if (userScope && !(user.toLowerCase() === this.username.toLowerCase() && hexEqual(sha256Hex(pass), sha256Hex(this.password)))) {
      throw unauthorized("wrong user or password");
    }
    const id = this.nextSessionId++;
    const code = `${id}-${now}-${randomBytes(32).toString("hex")}`;
    this.sessions.set(code, { id, scope: userScope ? "user" : "account", lastUsed: this.clock(), expired: false });
    return code;
  }

  /** Finds the live session named by a request's signature cookie, or throws a 401 saying why not. */
  identify(cookieHeader) {
    const cookie = signatureCookie(cookieHeader);
    if (!cookie) throw unauthorized("missing signature cookie");
    if (!cookie.auth || !cookie.sig) throw unauthorized("malformed signature cookie: expected signature=<auth>:<sig>");
    const session = this.sessions.get(cookie.auth);
    if (!session) throw unauthorized("unknown or revoked auth code");
    if (!session.expired && this.clock() - session.lastUsed > this.authIdleSeconds * 1000) session.expired = true;
    if (session.expired) throw unauthorized("auth code expired");
    return { cookie, session };
  }

  /** Checks the cookie's signature over the request (any of `bodyHashes` may be the one signed); refreshes the session. */
  verify({ cookie, session }, method, rawPath, rawQuery, bodyHashes) {
    const signedBy = (bodyHash) =>
      hexEqual(hmacHex(this.secret, `${cookie.auth}\n${method}\n${rawPath}\n${rawQuery}\n${bodyHash}\n`), cookie.sig);
    if (!bodyHashes.some(signedBy)) {
      throw unauthorized("bad request signature: expected hex HMAC-SHA256(secret, auth\\nMETHOD\\npath\\nquery\\nbodyHash\\n)");
    }
    session.lastUsed = this.clock();
    return { scope: session.scope, code: cookie.auth };
  }

  /** Revokes the session an auth code belongs to (every code of it). */
  revoke(code) {
    const { id } = this.sessions.get(code);
    for (const [other, session] of this.sessions) if (session.id === id) this.sessions.delete(other);
  }

  /** Marks every current auth code expired (fault injection). */
  expireAll() {
    for (const session of this.sessions.values()) session.expired = true;
  }
}
