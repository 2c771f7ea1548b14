// User mail settings: auto-responders (new / list / delete by id), forwarding (PUT only), and the synthetic SecureLine TLS and recipient-encryption lookups.
import { newId } from "../store.js";
import { domainName, emailAddress, gmt, invalid, objectBody, removeOr404 } from "./validate.js";

export function createAutoResponder({ store, body, now }) {
  const input = objectBody(body);
  return store.update((state) => {
    const id = newId(state);
    state.autoResponders.push({ ...input, id, created: gmt(now) });
    return { data: id };
  });
}

export const listAutoResponders = ({ store }) => ({ data: store.state.autoResponders });

export const deleteAutoResponder = ({ store, params }) =>
  store.update((state) =>
    removeOr404(state.autoResponders, (ar) => String(ar.id) === params.id, `no such auto-responder: ${params.id}`),
  );

export function updateForwarding({ store, body, now }) {
  const input = objectBody(body);
  store.update((state) => {
    state.forwarding = { ...input, updated: gmt(now) };
  });
}

// Synthetic (no DNS is consulted): a domain whose first label starts with "notls" lacks TLS, every other one has it.
const hasTls = (domain) => !domain.startsWith("notls");

export function tlsCapability({ params }) {
  const domain = domainName(params.domain);
  const tls = hasTls(domain) ? 1 : 0;
  const mx = [1, 2].map((n) => ({
    host: `mx${n}.${domain}`,
    preference: 10 * n,
    tls,
    tls_version: tls ? "TLSv1.3" : null,
    cipher: tls ? "TLS_AES_256_GCM_SHA384" : null,
  }));
  return { data: { domain, tls, mx } };
}

export function recipientEncryption({ body }) {
  const { recipients } = objectBody(body);
  if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > 1000) {
    throw invalid("'recipients' must be an array of 1 to 1000 email addresses");
  }
  const rows = recipients.map((recipient, i) => {
    const address = emailAddress(recipient, `recipients[${i}]`);
    return [address, hasTls(address.slice(address.lastIndexOf("@") + 1)) ? "tls" : "escrow"];
  });
  return { data: { recipients: rows } };
}
