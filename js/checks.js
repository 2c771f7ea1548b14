// Option checks shared by the SDK's JavaScript parts (the client's binding, the batch sender, the relay, the fleet
// limiter and journal), so that an unknown or mistyped option reads the same wherever it is given.
import { LuxSciValidationError } from "./errors.js";

/** An object that is not null, an array, a Blob or binary data: the rule the client applies to its options and bodies. */
export function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Blob)
    && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value);
}

/** Throws a LuxSciValidationError naming the first key of `object` that `allowed` does not list. */
export function checkKeys(object, what, allowed) {
  const unknown = Object.keys(object).find((k) => !allowed.includes(k));
  if (unknown !== undefined) throw new LuxSciValidationError(`unknown ${what} option "${unknown}"; known: ${allowed.join(", ")}`);
}

/** `obj[key]` unless it is undefined, then `accept(value)`, else a LuxSciValidationError saying `invalid`. */
export function optional(obj, key, accept, invalid) {
  const value = obj?.[key];
  if (value === undefined) return undefined;
  const taken = accept(value);
  if (taken === undefined) throw new LuxSciValidationError(invalid);
  return taken;
}

export const text = (obj, key, what = key) =>
  optional(obj, key, (v) => (typeof v === "string" && v !== "" ? v : undefined), `${what} must be a non-empty string`);
