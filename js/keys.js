// The journal's rule for a message key (and a worker's owner name): a string of 1 to MAX_KEY_LENGTH characters.
// Shared by the batch sender and the fleet's engines without either loading the other.
import { LuxSciValidationError } from "./errors.js";

export const MAX_KEY_LENGTH = 512;

/** A message key as the journal takes it, or the LuxSciValidationError that keeps the message from being sent. */
export function checkKey(key, index) {
  if (typeof key === "string" && key !== "" && key.length <= MAX_KEY_LENGTH) return key;
  return new LuxSciValidationError(`message ${index} needs a key (a string of 1 to ${MAX_KEY_LENGTH} characters) to be sent through a journal; got ${typeof key === "string" ? JSON.stringify(key.slice(0, 40)) : typeof key}`);
}
