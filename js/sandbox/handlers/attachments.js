// Matching `attachments` references ({name, hash}) against the uploaded multipart `files` parts, both ways.
import { sha256Hex } from "../auth.js";
import { invalid } from "./validate.js";

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** Collects `[label, ref]` pairs from an optional `attachments` array, or throws a 400. */
export function attachmentRefs(value, label) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`'${label}' must be an array of {name, hash}`);
  return value.map((ref, i) => [`${label}[${i}]`, ref]);
}

/**
 * Checks that every reference names a `files` part by filename AND SHA-256 of its bytes, and that every part is
 * referenced; returns the parts as `{ name, hash, size, contentType }` in upload order.
 */
export function verifyAttachments(refs, files) {
  const uploaded = files.map((part) => ({ name: part.filename, hash: sha256Hex(part.data), size: part.data.length, contentType: part.contentType }));
  const used = new Set();
  for (const [label, ref] of refs) {
    if (typeof ref !== "object" || ref === null || typeof ref.name !== "string" || typeof ref.hash !== "string" || !HEX64.test(ref.hash)) {
      throw invalid(`${label} must be {name, hash} with the SHA-256 hex of an uploaded 'files' part`);
    }
    const file = uploaded.find((candidate) => candidate.name === ref.name);
    if (!file) throw invalid(`${label}: no 'files' part named ${JSON.stringify(ref.name)} was uploaded`);
    if (file.hash !== ref.hash.toLowerCase()) {
      throw invalid(`${label}: the 'files' part ${JSON.stringify(ref.name)} has SHA-256 ${file.hash}, not ${ref.hash}`);
    }
    used.add(file);
  }
  const unused = uploaded.find((file) => !used.has(file));
  if (unused) throw invalid(`the 'files' part ${JSON.stringify(unused.name)} is not referenced by any attachment`);
  return uploaded;
}
