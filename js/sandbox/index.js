// startSandbox(): option defaults and generated credentials, the HTTP server's lifecycle, and the public Sandbox object.
import http from "node:http";
import { randomBytes, randomInt } from "node:crypto";
import { AuthService } from "./auth.js";
import { checkNumber } from "./check.js";
import { Faults } from "./faults.js";
import { CORS_HEADERS, errorEnvelope } from "./http.js";
import { requestListener } from "./server.js";
import { emptyState, readDataFile, removeStaleTemps, Store } from "./store.js";
import { gmt } from "./handlers/validate.js";

const MiB = 1024 * 1024;

function checkString(value, name) {
  if (typeof value !== "string" || value === "") throw new TypeError(`startSandbox: '${name}' must be a non-empty string`);
  return value;
}

/** Credentials: given options win, then the ones saved in the data file, then freshly generated ones. */
function credentialsFrom(options, saved = {}) {
  const pick = (name, generate) => options[name] ?? saved[name] ?? generate();
  return {
    token: checkString(pick("token", () => randomBytes(16).toString("hex")), "token"),
    secret: checkString(pick("secret", () => randomBytes(32).toString("hex")), "secret"),
    accountId: checkString(String(pick("accountId", () => String(randomInt(10001, 100000)))), "accountId"),
    username: checkString(pick("username", () => "user@example.test"), "username"),
    password: checkString(pick("password", () => randomBytes(12).toString("base64url")), "password"),
  };
}

// Node's parser rejected the bytes: answer a JSON 4xx and close (or just close if a response was already started).
function onClientError(error, socket) {
  if (error.code === "ECONNRESET" || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const body = JSON.stringify(errorEnvelope(`malformed HTTP request (${error.code ?? "parse error"})`));
  const headers = { ...CORS_HEADERS, "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${head}\r\n${body}`);
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
}

/**
 * Starts a local LuxSci sandbox server.
 * @param {object} [options] port (0 = any free), host, token, secret, accountId, username, password, dataFile,
 *   faults, authIdleSeconds (1800), clockSkewSeconds (0), maxBodyBytes (64 MiB),
 *   clock (() => ms, default Date.now), reportByteLimit (50 MiB), logLimit (10,000 entries of the log, of sends and
 *   of the SMTP sent report's rows)
 * @returns {Promise<object>} { url, token, secret, accountId, username, password, close(), log, authCalls(), sends(), faults }
 */
export async function startSandbox(options = {}) {
  const port = checkNumber(options.port ?? 0, "startSandbox option 'port'", { integer: true, min: 0, max: 65535 });
  const host = options.host ?? "127.0.0.1";
  const skewMs = checkNumber(options.clockSkewSeconds ?? 0, "startSandbox option 'clockSkewSeconds'") * 1000;
  if (options.clock !== undefined && typeof options.clock !== "function") throw new TypeError("startSandbox: 'clock' must be a function returning milliseconds");
  const realClock = options.clock ?? Date.now;
  const clock = () => realClock() + skewMs;
  const logLimit = checkNumber(options.logLimit ?? 10_000, "startSandbox option 'logLimit'", { integer: true, min: 0 });
  if (options.dataFile) removeStaleTemps(options.dataFile);
  const saved = options.dataFile ? readDataFile(options.dataFile) : null;
  const credentials = credentialsFrom(options, saved?.credentials);
  const config = {
    ...credentials,
    authIdleSeconds: checkNumber(options.authIdleSeconds ?? 1800, "startSandbox option 'authIdleSeconds'", { min: 0 }),
    maxBodyBytes: checkNumber(options.maxBodyBytes ?? 64 * MiB, "startSandbox option 'maxBodyBytes'", { integer: true, min: 0 }),
    reportByteLimit: checkNumber(options.reportByteLimit ?? 50 * MiB, "startSandbox option 'reportByteLimit'", { integer: true, min: 0 }),
    logLimit,
  };
  const store = new Store(saved?.state ?? emptyState(gmt(clock())), options.dataFile, credentials);
  store.save();
  const auth = new AuthService(config, clock);
  const faults = new Faults(options.faults === true, logLimit);
  const controls = faults.controls(() => auth.expireAll());
  const timers = new Set();
  const sleep = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const server = http.createServer(requestListener({ config, store, auth, faults, controls, clock, sleep }));
  server.on("clientError", onClientError);
  await listen(server, port, host);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing = null;
  return {
    url: `http://${urlHost}:${server.address().port}`,
    ...credentials,
    log: faults.log,
    authCalls: () => faults.authCalls,
    sends: () => [...faults.sends],
    faults: controls,
    close() {
      closing ??= new Promise((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
