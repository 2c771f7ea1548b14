// Email aliases: createAlias (domain must exist; limit 100 + 10 per domain user), getAliasesReport, getAliasDetails, updateAlias (partial), deleteAlias; keyed by `user@domain`.
import { conflict, findOr404, gmt, invalid, objectBody, removeOr404, text } from "./validate.js";

const ACTIONS = ["bounce", "email"];
const STATUSES = ["enabled", "disabled"];
const MUTABLE = ["dest", "action", "bounce", "status"];

const byAddress = (address) => (alias) => `${alias.user}@${alias.domain}` === address.toLowerCase();
const missing = (address) => `no such alias: ${address}`;

/** The documented per-domain alias limit: 100 + 10 per user of the domain. */
const aliasLimit = (domain) => 100 + 10 * domain.users;

function checkSettings(alias) {
  if (!ACTIONS.includes(alias.action)) throw invalid(`'action' must be one of ${ACTIONS.join(", ")}`);
  if (alias.action === "email") text(alias.dest, "dest");
  if (alias.bounce !== undefined && typeof alias.bounce !== "string") throw invalid("'bounce' must be a string (the bounce message)");
  if (!STATUSES.includes(alias.status)) throw invalid(`'status' must be one of ${STATUSES.join(", ")}`);
}

export function create({ store, body, now }) {
  const input = objectBody(body);
  const user = text(input.user, "user", { max: 64 }).toLowerCase();
  if (/[@\s]/.test(user)) throw invalid("'user' is the local part of the alias address (no '@' or spaces)");
  const domainText = text(input.domain, "domain").toLowerCase();
  const alias = { status: "enabled", type: "alias", ...input, user, domain: domainText, created: gmt(now) };
  checkSettings(alias);
  return store.update((state) => {
    const domain = state.domains.find((d) => d.domain === domainText);
    if (!domain) throw invalid(`domain ${domainText} is not in this account; create it first`);
    const count = state.aliases.filter((existing) => existing.domain === domain.domain).length;
    if (count >= aliasLimit(domain)) {
      throw invalid(`alias limit reached for domain ${domain.domain}: ${aliasLimit(domain)} (100 + 10 per user, ${domain.users} users)`);
    }
    if (state.aliases.some(byAddress(`${user}@${domainText}`))) throw conflict(`alias ${user}@${domainText} already exists`);
    state.aliases.push(alias);
    return { data: alias };
  });
}

export const list = ({ store }) => ({ data: store.state.aliases });

export const get = ({ store, params }) => ({
  data: findOr404(store.state.aliases, byAddress(params.aliasAddress), missing(params.aliasAddress)),
});

export function update({ store, params, body }) {
  const input = objectBody(body);
  const fixed = Object.keys(input).filter((key) => !MUTABLE.includes(key));
  if (fixed.length > 0) throw invalid(`updateAlias can change only ${MUTABLE.join(", ")}; not ${fixed.join(", ")}`);
  return store.update((state) => {
    const alias = findOr404(state.aliases, byAddress(params.aliasAddress), missing(params.aliasAddress));
    Object.assign(alias, input);
    checkSettings(alias);
  });
}

export const remove = ({ store, params }) =>
  store.update((state) => removeOr404(state.aliases, byAddress(params.aliasAddress), missing(params.aliasAddress)));
