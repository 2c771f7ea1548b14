// Runs a method's job (src/wasm/job.rs) to its end. The job decides every step — what to send, how long to wait,
// whether to retry, replay or give up — and this loop does the IO it asks for (each attempt through attempt.js) and
// the waiting: on the attempt's fetch, on timers, on the caller's signal, and on an authentication another call of
// the same client leads. It also holds the package's SHA-256 in JavaScript: of the JSON texts a call sends (signed
// by their hash) and of the files it uploads (read in bounded chunks: a file is never held whole), by the runtime's
// native hash where the entry registered one (Node's node:crypto, several times faster, nothing copied into wasm
// memory), else by the wasm's.
import { Settled, Sha256, Step, textSha256 } from "./luxsci.js";
import { attempt as fetchAttempt, classify, discard, hook, seen } from "./attempt.js";

/** Bytes read (and, without a native hash, copied into wasm memory) at a time. */
const CHUNK = 256 * 1024;
let nativeHash; // () => a hash with update(bytes) and digest("hex")
let nativeTextHash; // (text) => hex

/** Per client, the wakers of its calls that wait for an authentication to settle. */
const waiting = new WeakMap();

/** What an authentication is, as a call: no signal (others may be waiting on it), no hooks, no relay mark. */
const AUTHENTICATION = { auth: true };

const isId = (id) => (typeof id === "string" && id !== "") || (typeof id === "number" && Number.isFinite(id));

/**
 * The job's result: its value, or a rejection with its LuxSciError. The job is freed at the end. `state` is its
 * client's (its core, fetch, hooks, relay mark and the core's reading windows; the calls of one client share its
 * authentications); `call`, what the job does not hold of the call: `{ signal, body, contentType, readBody, hooked }`
 * (`hooked`: the client's onRequest and onResponse see its attempts).
 */
export async function run(state, job, call) {
  const run = { state, job, call, last: undefined };
  try {
    for (let step = job.next(); ;) {
      switch (step) {
        case Step.Send:
          step = await send(run);
          break;
        case Step.Wait:
          step = await pause(job, call.signal);
          break;
        case Step.Authenticate:
          authenticate(state, job.lead()).catch(() => {}); // it settles its flight whatever happens
        // falls through: the call waits for the authentication it leads as for another call's
        case Step.AwaitAuthentication:
          step = (await authenticated(state, job, call.signal)) ? job.next() : job.abort(true);
          break;
        default:
          return settle(run);
      }
    }
  } finally {
    job.free();
  }
}

/**
 * The step after sending the attempt the job asks for (unless the call's signal has fired) and telling the job what
 * became of it; the answer is kept as the run's `last` (`{ response, text, parsed }`).
 */
async function send(run) {
  const { state, job, call } = run;
  const signal = call.signal;
  if (signal?.aborted) return job.abort(false);
  const [body, url, method, number, timeoutMs, cookie, json] = job.send();
  drop(run.last); // the answer before it (one being retried or replayed) will not be read
  run.last = undefined;
  let info; // what the hooks are told of the attempt (never its headers)
  if (call.hooked && (state.onRequest ?? state.onResponse) !== undefined) {
    const operationId = job.operationId();
    info = { ...(operationId === undefined ? {} : { operationId }), method, url, attempt: number };
    hook(state.onRequest, info);
  }
  const headers = { accept: "application/json" };
  let content;
  if (body === 1) {
    content = json;
    headers["content-type"] = "application/json";
  } else if (body === 2) {
    content = call.body;
    if (call.contentType !== undefined) headers["content-type"] = call.contentType;
  }
  if (cookie !== undefined) headers.cookie = cookie;
  if (state.relay && !call.auth) headers[state.relayHeader] = state.relayMark;
  const read = call.readBody !== false;
  let outcome;
  try {
    outcome = await fetchAttempt(state.fetch, url, method, headers, content, timeoutMs, signal, read ? state.windows[0] : undefined);
  } catch (miss) {
    return signal?.aborted ? job.abort(true) : job.failed(...classify(miss, url));
  }
  const { response, text } = outcome;
  if (info) hook(state.onResponse, { ...info, status: response.status });
  let parsed;
  // A foreign Response's text() may resolve to anything: only a string is JSON text.
  if (typeof text === "string") {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the core judges it so.
    }
  }
  run.last = { response, text, parsed };
  return job.answered(...seen(outcome, parsed, read, state, call.auth === true));
}

/** How the job settled: its value, or (thrown) its LuxSciError, with LuxSci's answer as its body when it has one. */
function settle({ state, job, last }) {
  const data = last?.parsed?.data;
  const ids = Array.isArray(data) ? data.length : -1;
  const settled = job.settle(ids, ids >= 0 && data.every(isId));
  if (settled === Settled.Nothing) return undefined;
  if (settled === Settled.Answer) return last?.response;
  if (settled === Settled.Data) return data;
  const error = job.error();
  const body = settled === Settled.FailedWithBody && last?.parsed !== undefined ? redacted(state.core, last.parsed) : undefined;
  if (body !== undefined) error.body = body;
  else drop(last);
  throw error;
}

/** Cancels the body of an answer that was not read and will not be passed on, if there is one. */
function drop(last) {
  if (last !== undefined && last.text === undefined) discard(last.response);
}

/**
 * `body` (parsed JSON) with every credential of the client, raw or JSON-escaped, replaced; undefined in the unlikely
 * case that the replacement broke the JSON, and for a body nested too deeply to be written out again (which
 * JSON.parse still read): what cannot be checked is left out.
 */
function redacted(core, body) {
  let text;
  try {
    text = JSON.stringify(body);
  } catch {
    return undefined;
  }
  const clean = core.redact(text);
  if (clean === text) return body;
  try {
    return JSON.parse(clean);
  } catch {
    return undefined;
  }
}

/** The step after the wait `job` asks for, or its abort if `signal` fires first. */
async function pause(job, signal) {
  return (await settled(signal, job.waitMs())) ? job.next() : job.abort(true);
}

/**
 * Runs an authentication detached from the call that leads it (a call that gives up does not abandon the others
 * waiting on it); once it has settled, or failed to, it is freed (a flight left unsettled is abandoned, failing
 * its followers) and the client's waiting calls are woken.
 */
async function authenticate(state, auth) {
  const run = { state, job: auth, call: AUTHENTICATION, last: undefined };
  try {
    // The auth call has no signal: it only sends and waits until it has settled.
    for (let step = auth.next(); step === Step.Send || step === Step.Wait;) {
      step = await (step === Step.Send ? send(run) : pause(auth));
    }
  } catch {
    // Nothing to report here: the flight is abandoned below, and its calls fail with that.
  } finally {
    try {
      auth.free();
    } finally {
      for (const wake of waiting.get(state) ?? []) wake();
    }
  }
}

/** Whether the authentication `job` waits for has settled, or its time is up (true), or its signal fired (false). */
function authenticated(state, job, signal) {
  if (signal?.aborted) return Promise.resolve(false);
  if (!job.waiting()) return Promise.resolve(true);
  const until = job.untilMs();
  return settled(signal, until === undefined ? undefined : Math.max(0, until - Date.now()), (done) => {
    const wakers = waiting.get(state) ?? new Set();
    waiting.set(state, wakers);
    const wake = () => {
      if (!job.waiting()) done();
    };
    wakers.add(wake);
    return () => wakers.delete(wake);
  });
}

/**
 * Resolves to true once `ms` milliseconds pass (never, when undefined) or `arm`'s `done` is called, to false as soon
 * as `signal` fires; the timer, the listener and what `arm` set up (its returned disarm) are removed then.
 */
function settled(signal, ms, arm) {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    let disarm;
    const end = (ok) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      disarm?.();
      resolve(ok);
    };
    const onAbort = () => end(false);
    const timer = ms === undefined ? undefined : setTimeout(() => end(true), ms);
    signal?.addEventListener("abort", onAbort);
    disarm = arm?.(() => end(true));
  });
}

/**
 * Registers the runtime's SHA-256: `factory()` makes an incremental hash (`update(bytes)`, `digest("hex")`) for
 * files, `oneShot(text)` hashes a JSON text to hex. Node's entry registers node:crypto's. Not part of the public API.
 */
export function useNativeSha256(factory, oneShot) {
  nativeHash = factory;
  nativeTextHash = oneShot;
}

/** The hash signed for a JSON body text: SHA-256 hex of exactly the text sent (trimmed already). */
export function textHash(text) {
  return nativeTextHash?.(text) ?? textSha256(text);
}

/** Lowercase hex SHA-256 of a Blob or a Uint8Array. */
export async function sha256(part) {
  const native = nativeHash?.();
  const hash = native ?? new Sha256();
  try {
    if (part instanceof Blob) {
      for (let at = 0; at < part.size; at += CHUNK) hash.update(new Uint8Array(await part.slice(at, at + CHUNK).arrayBuffer()));
    } else {
      for (let at = 0; at < part.length; at += CHUNK) hash.update(part.subarray(at, at + CHUNK));
    }
    return native ? native.digest("hex") : hash.digest();
  } finally {
    if (!native) hash.free();
  }
}
