// DKIM configurations (createDkim, getDkimReport, getDkimDetails, deleteDkim) and custom bounce domains (createCustomBounceDomain); keyed by `domain`.
import { createHash } from "node:crypto";
import { conflict, domainName, findOr404, gmt, objectBody, removeOr404 } from "./validate.js";

const byName = (name) => (record) => record.domain === name.toLowerCase();
const missing = (name) => `no DKIM configuration for domain ${name}`;

// Synthetic: a stable fake public key derived from the domain name, so responses are deterministic.
const fakePublicKey = (domain) => createHash("sha512").update(`dkim:${domain}`).digest("base64");

export function create({ store, body, now }) {
  const input = objectBody(body);
  const domain = domainName(input.domain);
  return store.update((state) => {
    if (state.dkim.some(byName(domain))) throw conflict(`DKIM is already configured for domain ${domain}`);
    const record = { selector: "luxsci", status: "pending", ...input, domain, public_key: fakePublicKey(domain), created: gmt(now) };
    state.dkim.push(record);
    return { data: record };
  });
}

export const list = ({ store }) => ({ data: store.state.dkim });

export const get = ({ store, params }) => ({ data: findOr404(store.state.dkim, byName(params.domainName), missing(params.domainName)) });

export const remove = ({ store, params }) =>
  store.update((state) => removeOr404(state.dkim, byName(params.domainName), missing(params.domainName)));

export function createBounceDomain({ store, body, now }) {
  const input = objectBody(body);
  const domain = domainName(input.domain);
  return store.update((state) => {
    if (state.bounceDomains.some(byName(domain))) throw conflict(`bounce domain ${domain} already exists`);
    const record = { ...input, domain, created: gmt(now) };
    state.bounceDomains.push(record);
    return { data: record };
  });
}
