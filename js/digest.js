// SHA-256 of the files a call uploads, read in bounded chunks (a file is never held whole): by the runtime's native
// hash where the entry registered one (Node's node:crypto), else by the wasm one.
import { Sha256, useNativeTextHash } from "./luxsci.js";

/** Bytes read (and, without a native hash, copied into wasm memory) at a time. */
const CHUNK = 256 * 1024;
let nativeHash; // () => a hash with update(bytes) and digest("hex")

/**
 * Registers the runtime's SHA-256: `factory()` makes an incremental hash (`update(bytes)`, `digest("hex")`) for
 * files, `oneShot(text)` hashes a JSON text to hex. Node's entry registers node:crypto's. Not part of the public API.
 */
export function useNativeSha256(factory, oneShot) {
  nativeHash = factory;
  useNativeTextHash(oneShot);
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
