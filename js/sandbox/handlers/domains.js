// Domains: createDomain, getDomainsReport, getDomainDetails, updateDomain (partial merge), deleteDomain; keyed by lowercase `domain`.
import { newId } from "../store.js";
import { conflict, domainName, findOr404, gmt, integer, invalid, objectBody } from "./validate.js";

const byName = (name) => (domain) => domain.domain === name.toLowerCase();

/** The domain record named `name`, or a 404. */
const findDomain = (state, name) => findOr404(state.domains, byName(name), `no such domain: ${name}`);

export function create({ store, body, now }) {
  const input = objectBody(body);
  const domain = domainName(input.domain);
  const users = integer(input.users, "users", { fallback: 0 });
  return store.update((state) => {
    if (state.domains.some(byName(domain))) throw conflict(`domain ${domain} already exists`);
    const record = { id: newId(state), is_enabled: 1, is_verified: 0, is_hipaa: 0, ...input, domain, users, created: gmt(now) };
    state.domains.push(record);
    return { data: record };
  });
}

export const list = ({ store }) => ({ data: store.state.domains });

export const get = ({ store, params }) => ({ data: findDomain(store.state, params.domainName) });

export function update({ store, params, body }) {
  const input = objectBody(body);
  if (input.users !== undefined) integer(input.users, "users");
  return store.update((state) => {
    const record = findDomain(state, params.domainName);
    for (const fixed of ["id", "domain", "created"]) {
      if (fixed in input && input[fixed] !== record[fixed]) throw invalid(`'${fixed}' of a domain cannot be changed`);
    }
    Object.assign(record, input);
  });
}

export function remove({ store, params }) {
  return store.update((state) => {
    const record = findDomain(state, params.domainName);
    const aliases = state.aliases.filter((alias) => alias.domain === record.domain).length;
    if (aliases > 0) throw conflict(`domain ${record.domain} is in use by ${aliases} alias(es); delete them first`);
    state.domains.splice(state.domains.indexOf(record), 1);
  });
}
