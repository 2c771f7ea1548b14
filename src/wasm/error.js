// What the wasm imports to make its errors (a wasm-bindgen snippet): an instance of the package's LuxSciError class
// of that name, found in the registry js/errors.js keeps on globalThis, so that every copy of the package in a realm
// shares the classes. Without the registry (Rust's own wasm tests load no package JavaScript) it is a plain Error of
// the same name and fields.
export function coreError(name, message, status, operationId, mayHaveBeenSent, retryAfterMs) {
  const props = {};
  if (status !== undefined) props.status = status;
  if (operationId !== undefined) props.operationId = operationId;
  if (mayHaveBeenSent !== undefined) props.mayHaveBeenSent = mayHaveBeenSent;
  if (retryAfterMs !== undefined) props.retryAfterMs = retryAfterMs;
  const Class = globalThis[Symbol.for("luxsci.errors")]?.[name];
  if (typeof Class === "function") return new Class(message, props);
  return Object.assign(Object.defineProperty(new Error(message), "name", { value: name }), props);
}
