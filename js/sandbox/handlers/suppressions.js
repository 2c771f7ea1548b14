// Suppressions at account and user level: create ({email} or {emails:[...]}), list, substring get, exact delete; entries are LuxSci's lists.
import { conflict, gmt, integer, invalid, objectBody, removeOr404, text } from "./validate.js";

// Synthetic ids of the sandbox user (LuxSci puts them in user-level entries).
export const SANDBOX_USER_ID = 20001;
const SANDBOX_USER_DOMAIN_ID = 30001;

const LEVELS = {
  account: {
    collection: "accountSuppressions",
    // [email, expires, account_id, domain_id, user_id]
    entry: (record, config) => [record.email, record.expires, Number(config.accountId), 0, 0],
  },
  user: {
    collection: "userSuppressions",
    // [email, expires, account_id, domain_id, user_id, date_time_created, notes]
    entry: (record, config) => [
      record.email,
      record.expires,
      Number(config.accountId),
      SANDBOX_USER_DOMAIN_ID,
      SANDBOX_USER_ID,
      record.created,
      record.notes,
    ],
  },
};

function parseCreate(body) {
  const input = objectBody(body);
  const emails = input.emails === undefined ? [input.email] : input.emails;
  if (!Array.isArray(emails) || emails.length === 0 || emails.length > 1000) {
    throw invalid("give 'email' (a string) or 'emails' (an array of 1 to 1000 strings)");
  }
  const expires = integer(input.expires, "expires", { fallback: 0 });
  const notes = input.notes === undefined ? "" : text(input.notes, "notes", { max: 1000 });
  return emails.map((email, i) => ({ email: text(email, input.emails ? `emails[${i}]` : "email", { max: 320 }).toLowerCase(), expires, notes }));
}

function handlers({ collection, entry }) {
  const matches = (email) => (record) => record.email === email.toLowerCase();
  return {
    create({ store, body, now }) {
      const records = parseCreate(body);
      store.update((state) => {
        for (const record of records) {
          if (state[collection].some(matches(record.email))) throw conflict(`${record.email} is already suppressed`);
          state[collection].push({ ...record, created: gmt(now) });
        }
      });
    },
    list: ({ store, config }) => ({ data: store.state[collection].map((record) => entry(record, config)) }),
    find: ({ store, config, params }) => ({
      data: store.state[collection]
        .filter((record) => record.email.includes(params.email.toLowerCase()))
        .map((record) => entry(record, config)),
    }),
    remove: ({ store, params }) =>
      store.update((state) => removeOr404(state[collection], matches(params.email), `no suppression for ${params.email}`)),
  };
}

const account = handlers(LEVELS.account);
const user = handlers(LEVELS.user);

export const createAccount = account.create;
export const listAccount = account.list;
export const findAccount = account.find;
export const removeAccount = account.remove;
export const createUser = user.create;
export const listUser = user.list;
export const findUser = user.find;
export const removeUser = user.remove;
