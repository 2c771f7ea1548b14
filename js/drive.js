// Runs a method's job (src/wasm/job.rs) to its end. The job decides every step — what to send, how long to wait,
// whether to retry, replay or give up — and this loop only waits: on the attempt's fetch, on timers, on the caller's
// signal, and on an authentication another call of the same client leads. It also holds the package's SHA-256 in
// JavaScript: of the JSON texts a call sends (signed by their hash) and of the files it uploads (read in bounded
// chunks: a file is never held whole), by the runtime's native hash where the entry registered one (Node's
// node:crypto, several times faster, nothing copied into wasm memory), else by the wasm's.
import { Sha256, Step, bodyHash } from "./luxsci.js";

/** Bytes read (and, without a native hash, copied into wasm memory) at a time. */
const CHUNK = 256 * 1024;
let nativeHash; // () => a hash with update(bytes) and digest("hex")
let nativeTextHash; // (text) => hex

/** Per client, the wakers of its calls that wait for an authentication to settle. */
const waiting = new WeakMap();

/**
 * The job's result: its value, or a rejection with its LuxSciError. The job is freed at the end. `client` is any
 * object that stands for the job's client (the calls of one client share its authentications).
 */
export async function run(client, job) {
  try {
    const signal = job.signal;
    for (let step = job.next(); ;) {
      switch (step) {
        case Step.Send:
          step = await attempt(job, signal);
          break;
        case Step.Wait:
          step = await pause(job, signal);
          break;
        case Step.Authenticate:
          authenticate(client, job.lead()).catch(() => {}); // it settles its flight whatever happens
        // falls through: the call waits for the authentication it leads as for another call's
        case Step.AwaitAuthentication:
          step = (await authenticated(client, job, signal)) ? job.next() : job.abort(true);
          break;
        default:
          return job.result();
      }
    }
  } finally {
    job.free();
  }
}

/** The step after sending the attempt `job` asks for (unless `signal` has fired) and hearing what became of it. */
async function attempt(job, signal) {
  if (signal?.aborted) return job.abort(false);
  let outcome;
  try {
    outcome = await job.send();
  } catch (miss) {
    return job.failed(miss, signal?.aborted === true);
  }
  return job.answered(outcome);
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
async function authenticate(client, auth) {
  try {
    // The auth call has no signal: it only sends and waits until it has settled.
    for (let step = auth.next(); step === Step.Send || step === Step.Wait;) {
      step = await (step === Step.Send ? attempt(auth) : pause(auth));
    }
  } catch {
    // Nothing to report here: the flight is abandoned below, and its calls fail with that.
  } finally {
    try {
      auth.free();
    } finally {
      for (const wake of waiting.get(client) ?? []) wake();
    }
  }
}

/** Whether the authentication `job` waits for has settled, or its time is up (true), or its signal fired (false). */
function authenticated(client, job, signal) {
  if (signal?.aborted) return Promise.resolve(false);
  if (!job.waiting()) return Promise.resolve(true);
  const until = job.untilMs();
  return settled(signal, until === undefined ? undefined : Math.max(0, until - Date.now()), (done) => {
    const wakers = waiting.get(client) ?? new Set();
    waiting.set(client, wakers);
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

/** The hash signed for a JSON text that JSON.stringify made (nothing to trim). */
export function textHash(text) {
  return nativeTextHash?.(text) ?? bodyHash(text);
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
