// Option checks shared by the SDK's JavaScript parts (the batch sender, the relay, the fleet limiter and journal),
// so that an unknown option reads the same wherever it is given.
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
