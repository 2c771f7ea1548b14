// Sending: sendEmail (1–1000 messages, 1–100 recipients each, ≤ 1000 in all, priority 0–9) and sendSecureEmailOrSecureText (one message); both recorded for sends().
import { newId } from "../store.js";
import { attachmentRefs, verifyAttachments } from "./attachments.js";
import { gmt, integer, invalid, objectBody, stringList, text } from "./validate.js";

const LIMITS = { messages: 1000, recipientsPerMessage: 100, recipientsPerCall: 1000, subject: 1000, fromName: 100, headers: 10 };

/** Checks one message; appends its attachment references to `refs`; returns its recipient count. */
function checkMessage(message, label, refs) {
  if (typeof message !== "object" || message === null || Array.isArray(message)) throw invalid(`${label} must be an object`);
  const count = ["to", "cc", "bcc"].reduce((sum, field) => sum + stringList(message[field], `${label}.${field}`).length, 0);
  if (count < 1 || count > LIMITS.recipientsPerMessage) {
    throw invalid(`${label} has ${count} recipients; a message needs 1 to ${LIMITS.recipientsPerMessage} (to + cc + bcc)`);
  }
  text(message.subject, `${label}.subject`, { max: LIMITS.subject });
  if (typeof message.body !== "string") throw invalid(`'${label}.body' is required and must be a string`);
  refs.push(...attachmentRefs(message.attachments, `${label}.attachments`));
  return count;
}

export function sendEmail({ store, config, body, files, now }) {
  const input = objectBody(body);
  const { messages } = input;
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > LIMITS.messages) {
    throw invalid(`'messages' must be an array of 1 to ${LIMITS.messages} messages`);
  }
  integer(input.priority, "priority", { min: 0, max: 9, fallback: 4 });
  const refs = [];
  const total = messages.reduce((sum, message, i) => sum + checkMessage(message, `messages[${i}]`, refs), 0);
  if (total > LIMITS.recipientsPerCall) {
    throw invalid(`the call has ${total} recipients in all; at most ${LIMITS.recipientsPerCall} are allowed`);
  }
  const uploaded = verifyAttachments(refs, files);
  const sendmailIds = store.update((state) => {
    const ids = messages.map(() => `sm-${newId(state)}`);
    // One row per message of the SMTP sent report, in send order, dated by the server clock; the latest `logLimit`
    // rows are kept (they are persisted with the data file, which would otherwise grow with every send).
    state.sent ??= [];
    const date = gmt(now);
    messages.forEach((m, i) => {
      const to = [...(m.to ?? []), ...(m.cc ?? []), ...(m.bcc ?? [])].join(", ");
      state.sent.push({ sendmail_id: ids[i], date, from: m.from_address ?? config.username, to, subject: m.subject });
    });
    if (state.sent.length > config.logLimit) state.sent.splice(0, state.sent.length - config.logLimit);
    return ids;
  });
  return { data: sendmailIds, send: { sendmailIds, messages, files: uploaded.map(({ name, hash, size }) => ({ name, hash, size })) } };
}

export function sendSecure({ body, files }) {
  const message = objectBody(body);
  const refs = [];
  checkMessage(message, "message", refs);
  if (message.body_type !== undefined && !["text", "html"].includes(message.body_type)) throw invalid("'body_type' must be \"text\" or \"html\"");
  if (message.from_name !== undefined) text(message.from_name, "from_name", { max: LIMITS.fromName });
  if (message.headers !== undefined && (!Array.isArray(message.headers) || message.headers.length > LIMITS.headers)) {
    throw invalid(`'headers' must be an array of at most ${LIMITS.headers} custom headers`);
  }
  for (const flag of ["receipt", "no_tls_only"]) {
    if (message[flag] !== undefined && message[flag] !== 0 && message[flag] !== 1) throw invalid(`'${flag}' must be 0 or 1`);
  }
  const uploaded = verifyAttachments(refs, files);
  return { send: { sendmailIds: [], messages: [message], files: uploaded.map(({ name, hash, size }) => ({ name, hash, size })) } };
}
