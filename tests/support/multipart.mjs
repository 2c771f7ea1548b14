// A multipart/form-data builder for tests: a `json` part then `files` parts, with an injectable boundary.
import { sha256Hex } from "./signer.mjs";

/**
 * Builds `{ body: Buffer, contentType }` from the JSON text and files `[{ name, content (string|Buffer), contentType? }]`.
 * `quote` puts the boundary in quotes in the Content-Type; extra raw parts: `extraParts: [{ headers, content }]`.
 */
export function buildMultipart(jsonText, files = [], { boundary = "luxsci-test-boundary-7f3a", quote = false, extraParts = [] } = {}) {
  const chunks = [];
  const part = (headers, content) => chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from("\r\n"));
  if (jsonText !== null) part('Content-Type: application/json\r\nContent-Disposition: form-data; name="json"; filename="json.js"', jsonText);
  for (const file of files) {
    part(`Content-Type: ${file.contentType ?? "application/octet-stream"}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"`, file.content);
  }
  for (const extra of extraParts) part(extra.headers, extra.content);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${quote ? `"${boundary}"` : boundary}` };
}

/** `{ name, hash }` for an attachment reference to a file given to buildMultipart. */
export const attachmentRef = (file) => ({ name: file.name, hash: sha256Hex(file.content) });
