// The fingerprint of the .wasm's bytes that the Node entry checks a luxsci_bg.wasm beside it against: its length and
// a hash of every 61st byte (a stale or foreign file of another build differs in both; hashing every byte would cost
// the start-up the file read saves). scripts/build.sh computes the expected one; it is not shipped on its own.
export function wasmFingerprint(bytes) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i += 61) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return `${bytes.length}:${hash}`;
}
