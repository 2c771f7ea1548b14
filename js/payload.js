// Request bodies, bound from a call's arguments: JSON serialised by the engine (the text is hashed where it is), and
// the multipart bodies of sends with attachments, library uploads and request(..., { files }), with the documented
// send limits checked before anything is read or sent. A body with files is bound at once and read later
// (`read()`): its files hashed (each distinct content once) and the multipart body composed as a Blob of the
// original parts, never copied.
import { isPlainObject, optional, text } from "./checks.js";
import { LuxSciValidationError } from "./errors.js";
import { checkFileName, checkSendLimits, countAddresses, dedupeFiles, defaultContentType, multipartLayout } from "./luxsci.js";
import { sha256, textHash } from "./drive.js";

/** No body: signed with the core's hash of none. */
export const NO_BODY = ready({});

/** A body with nothing left to read: `{ payload }` (a body with files is `{ read() }`, a promise of it). */
function ready(payload) {
  return { payload };
}

/** JSON.stringify(value) and its hash; a string is taken as JSON text already (trimmed, and signed as sent). */
export function stringify(value, what) {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return { text: trimmed, hash: textHash(trimmed) };
  }
  let serialised;
  try {
    serialised = JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: refused below.
  }
  if (typeof serialised !== "string") throw new LuxSciValidationError(`${what} cannot be serialised as JSON`);
  return { text: serialised, hash: textHash(serialised) };
}

/** The payload of a JSON text. */
export function jsonPayload({ text: body, hash }) {
  return { body, contentType: "application/json", hash };
}

/** A JSON body that must be an object. */
export function jsonObject(value, what) {
  if (!isPlainObject(value)) throw new LuxSciValidationError(`${what} must be an object`);
  return ready(jsonPayload(stringify(value, what)));
}

/** `request(..., { body })`. */
export function jsonBody(value) {
  return ready(jsonPayload(stringify(value, "body")));
}

/**
 * The body of sendEmail (`messages`) or sendSecureEmailOrSecureText (one message): limits checked before any file
 * is read, attachment contents hashed, each distinct file sent once, `{ name, hash }` in the JSON.
 */
export function send(id, body, limits) {
  const what = `${id} body`;
  if (!isPlainObject(body)) throw new LuxSciValidationError(`${what} must be an object`);
  const many = id === "sendEmail";
  let messages = [body];
  if (many) {
    if (!Array.isArray(body.messages)) throw new LuxSciValidationError("sendEmail body.messages must be an array of messages");
    messages = [...body.messages];
  }
  const priority = optional(body, "priority", (p) => (typeof p === "number" ? p : undefined), "priority must be an integer from 0 to 9");
  const recipients = [];
  const rawBytes = [];
  const entries = [];
  const batch = new Batch();
  messages.forEach((m, i) => {
    if (!isPlainObject(m)) throw new LuxSciValidationError(`messages[${i}] must be an object`);
    recipients.push(recipientCount(m, (key) => `messages[${i}].${key} must be an array of addresses`));
    const raw = { bytes: limits.smtpSizeLimit === undefined ? 0 : utf8Length(m.subject) + utf8Length(m.body) };
    entries.push(attachments(m, i, batch, raw));
    rawBytes.push(raw.bytes);
  });
  const { maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall, smtpSizeLimit } = limits;
  checkSendLimits([maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall], smtpSizeLimit, recipients, rawBytes, priority);
  if (batch.pending.length === 0) return jsonObject(body, what);
  return batch.body((uploads) => composed(body, many, messages, entries, uploads, what));
}

/** The multipart payload of a send whose files are read: `uploads`, referenced from the entries. */
function composed(body, many, messages, entries, uploads, what) {
  const refs = (list) => list.map((e) => e.ref ?? reference(uploads[e.file]));
  const copy = Object.assign({}, body);
  if (many) copy.messages = messages.map((m, i) => (entries[i] ? Object.assign(Object.assign({}, m), { attachments: refs(entries[i]) }) : m));
  else if (entries[0]) copy.attachments = refs(entries[0]);
  const references = entries.flat().filter((e) => e?.ref).map(({ ref }) => [ref.name, ref.hash]);
  return multipartPayload(copy, uploads, references, what);
}

/**
 * The entries of `message.attachments` (null when it has none), each content entry added to `batch` and its size to
 * `raw.bytes`. An entry is `{ name, hash }`, `{ name?, content, contentType? }`, or a bare File (or other named
 * Uploadable).
 */
function attachments(message, i, batch, raw) {
  const list = message.attachments;
  if (list === undefined) return null;
  if (!Array.isArray(list)) throw new LuxSciValidationError(`messages[${i}].attachments must be an array`);
  return [...list].map((a, j) => {
    const label = `messages[${i}].attachments[${j}]`;
    if (isPlainObject(a) && a.content === undefined) {
      if (typeof a.name !== "string" || typeof a.hash !== "string") {
        throw new LuxSciValidationError(`${label} needs name and hash, or name and content`);
      }
      return { ref: a };
    }
    const [file, size] = batch.add(a, undefined, label);
    raw.bytes += size;
    return { file };
  });
}

/** uploadContentLibraryFile: the file under the last segment of its path, listed in `attachments`. */
export function upload(filePath, file) {
  const name = filePath.replace(/\/+$/, "").split("/").pop();
  const batch = new Batch();
  batch.add(file, name, "file");
  return batch.body((uploads) => multipartPayload({ attachments: uploads.map(reference) }, uploads, [], "upload"));
}

/** `request(..., { body, files })`: the files listed in the body's `attachments` unless it has its own. */
export function withFiles(body, list) {
  if (!Array.isArray(list)) throw new LuxSciValidationError("files must be an array of Uploadables");
  let json = {};
  if (body !== undefined) {
    if (!isPlainObject(body)) throw new LuxSciValidationError("body must be an object when files are sent");
    json = Object.assign({}, body);
  }
  const batch = new Batch();
  [...list].forEach((f, i) => batch.add(f, undefined, `files[${i}]`));
  return batch.body((uploads) => {
    if (json.attachments === undefined) json.attachments = uploads.map(reference);
    return multipartPayload(json, uploads, [], "request body");
  });
}

/**
 * The multipart payload of `json` and the distinct `uploads`; `references` are the `[name, hash]` entries given as
 * such, checked against the uploads for a name used by two different files.
 */
function multipartPayload(json, uploads, references, what) {
  const named = [...uploads.map((u) => [u.name, u.hash]), ...references];
  const distinct = [...dedupeFiles(named.map(([n]) => n), named.map(([, h]) => h))].map((i) => uploads[i]).filter(Boolean);
  const { text: jsonText, hash } = stringify(json, what);
  const [contentType, ...segments] = multipartLayout(
    crypto.getRandomValues(new Uint8Array(16)),
    distinct.map((u) => u.name),
    distinct.map((u) => u.contentType),
  );
  const parts = segments.map((s) => (s === null ? jsonText : typeof s === "number" ? distinct[s].part : s));
  return { body: new Blob(parts), contentType, hash };
}

const reference = (upload) => ({ name: upload.name, hash: upload.hash });

/**
 * to + cc + bcc of a message, an address string counted as the core counts one (sendEmailBatch packs its calls by
 * this count too); a key that holds neither a list nor a string throws a LuxSciValidationError saying `invalid(key)`.
 */
export function recipientCount(message, invalid) {
  let total = 0;
  for (const key of ["to", "cc", "bcc"]) {
    const value = message[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) total += value.length;
    else if (typeof value === "string") total += countAddresses(value);
    else throw new LuxSciValidationError(invalid(key));
  }
  return total;
}

let encoder; // made on the first message measured, then reused for every message of every send
const utf8Length = (value) => (typeof value === "string" ? (encoder ??= new TextEncoder()).encode(value).length : 0);

/**
 * The files of one call (Uploadables: Blob | File | Uint8Array | ArrayBuffer | ArrayBufferView | string |
 * { name?, content, contentType? }), named, typed and measured when added, read when the call starts. Content given
 * more than once (the same Blob, view or string: a logo attached to 1000 messages) is wrapped and hashed once.
 */
class Batch {
  pending = [];
  /** string content → its Blob */
  blobs = new Map();

  /** Adds an Uploadable, named `name` or its own name; returns its index among the files and its size. */
  add(value, name, what) {
    let content = value;
    let own;
    let contentType;
    if (isPlainObject(value)) {
      content = value.content;
      if (content === undefined) throw new LuxSciValidationError(`${what} has no content`);
      own = text(value, "name", `${what}.name`);
      contentType = text(value, "contentType", `${what}.contentType`);
    }
    const [part, size, blobType] = this.part(content, what);
    const fileName = name ?? own ?? (typeof content?.name === "string" && content.name !== "" ? content.name : undefined);
    if (fileName === undefined) throw new LuxSciValidationError(`${what} needs a name: pass a File or { name, content }`);
    checkFileName(fileName, what);
    this.pending.push({ content, part, name: fileName, contentType: defaultContentType(fileName, contentType ?? blobType) });
    return [this.pending.length - 1, size];
  }

  /** The content as a Blob or a Uint8Array view (no copy), its size, and a Blob's own type. */
  part(content, what) {
    if (content instanceof Blob) return [content, content.size, content.type || undefined];
    if (typeof content === "string") {
      let blob = this.blobs.get(content);
      if (blob === undefined) this.blobs.set(content, (blob = new Blob([content])));
      return [blob, blob.size, undefined];
    }
    let bytes;
    if (content instanceof ArrayBuffer) bytes = new Uint8Array(content);
    else if (ArrayBuffer.isView(content)) bytes = new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
    else {
      throw new LuxSciValidationError(
        `${what} must be a Blob, File, Uint8Array, ArrayBuffer, ArrayBufferView, string or { name, content, contentType? }`,
      );
    }
    return [bytes, bytes.length, undefined];
  }

  /** The body whose payload `complete(uploads)` makes once every file is hashed, in the order added. */
  body(complete) {
    return {
      read: async () => {
        const known = new Map();
        const uploads = [];
        for (const p of this.pending) {
          let hash = known.get(p.content);
          if (hash === undefined) {
            try {
              hash = await sha256(p.part);
            } catch {
              throw new LuxSciValidationError("a file could not be read");
            }
            known.set(p.content, hash);
          }
          uploads.push({ part: p.part, name: p.name, hash, contentType: p.contentType });
        }
        return complete(uploads);
      },
    };
  }
}
