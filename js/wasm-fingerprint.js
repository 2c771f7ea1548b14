// The fingerprint of the .wasm's bytes that the Node entry checks a luxsci_bg.wasm beside it against: its length and a
// hash of ~64 bytes spread over it (code of another build shifts; hashing every byte, or even every 61st, would cost
// more of the start-up than the file read saves). A file that passes and still does not instantiate is not used
// either. scripts/build.sh computes the expected one; it is not shipped on its own.
export function wasmFingerprint(bytes) {
  const step = Math.max(1, Math.floor(bytes.length / 64));
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i += step) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return `${bytes.length}:${hash}`;
}
