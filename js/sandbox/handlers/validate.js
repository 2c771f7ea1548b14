// Shared input checks and lookups for the handlers; every failure is a 400/404/409 ApiError with a precise message.
import { ApiError } from "../http.js";

export const invalid = (message) => new ApiError(400, message);
export const notFound = (message) => new ApiError(404, message);
export const conflict = (message) => new ApiError(409, message);

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** The request body as a plain object, or a 400. */
export function objectBody(body) {
  if (!isObject(body)) throw invalid("request body must be a JSON object");
  return body;
}

/** `value` as a non-empty string (at most `max` characters), or a 400 naming `field`. */
export function text(value, field, { max = 1000 } = {}) {
  if (typeof value !== "string" || value.trim() === "") throw invalid(`'${field}' is required and must be a non-empty string`);
  if (value.length > max) throw invalid(`'${field}' must be at most ${max} characters`);
  return value;
}

/** `value` as an integer in [min, max] (or `fallback` when undefined), or a 400 naming `field`. */
export function integer(value, field, { min = 0, max = Number.MAX_SAFE_INTEGER, fallback } = {}) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`'${field}' must be an integer from ${min} to ${max}`);
  return value;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A lowercase domain name, or a 400. */
export function domainName(value, field = "domain") {
  const name = text(value, field, { max: 253 }).toLowerCase();
  if (!HOSTNAME.test(name)) throw invalid(`'${field}' is not a valid domain name: ${JSON.stringify(value)}`);
  return name;
}

/** A lowercase email address (local@domain), or a 400. */
export function emailAddress(value, field = "email") {
  const address = text(value, field, { max: 320 }).toLowerCase();
  const at = address.lastIndexOf("@");
  if (at < 1 || /\s/.test(address) || !HOSTNAME.test(address.slice(at + 1))) {
    throw invalid(`'${field}' is not a valid email address: ${JSON.stringify(value)}`);
  }
  return address;
}

/** An optional array of strings (undefined → []), or a 400. */
export function stringList(value, field) {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string" || item.trim() === "")) {
    throw invalid(`'${field}' must be an array of non-empty strings`);
  }
  return value;
}

/** The first item matching `predicate`, or a 404 with `message`. */
export function findOr404(list, predicate, message) {
  const item = list.find(predicate);
  if (!item) throw notFound(message);
  return item;
}

/** Removes the first item matching `predicate` from `list`, or throws a 404 with `message`. */
export function removeOr404(list, predicate, message) {
  const index = list.findIndex(predicate);
  if (index < 0) throw notFound(message);
  list.splice(index, 1);
}

/** Server time as LuxSci prints it: "YYYY-MM-DD HH:MM:SS" in GMT. */
export const gmt = (ms) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
