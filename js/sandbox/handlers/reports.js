// Beyond the endpoint reference: the user profile, the users report (seeded users) and the sent-mail reports (fed by
// the sandbox's own accepted sendEmail calls; it has no WebMail, so those are empty), paged by first_row / matches.
import { gmt, invalid } from "./validate.js";

const MAX_MATCHES = 50000;
const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The seeded users of the account: the sandbox user first, then users of several statuses and domains. */
export function seededUsers(config, createdAt) {
  const others = [
    ["alice@clinic.example.test", "active"],
    ["bob@clinic.example.test", "suspended"],
    ["carol@lab.example.test", "active"],
    ["dave@lab.example.test", "disabled"],
    ["erin@billing.example.test", "active"],
  ];
  return [[config.username, "active"], ...others].map(([user, status], i) => ({
    user,
    uid: String(20001 + i),
    contact: user.split("@")[0],
    status,
    email1: user,
    domainname: user.slice(user.lastIndexOf("@") + 1),
    created: createdAt,
    services: ["email", "smtp"],
  }));
}

function dateParam(query, name) {
  const value = query.get(name);
  if (value === null) return null;
  const parts = DATE.exec(value);
  const ms = parts && Date.UTC(parts[1], parts[2] - 1, parts[3], parts[4], parts[5], parts[6]);
  if (!parts || gmt(ms) !== value) throw invalid(`query parameter '${name}' must be a date "YYYY-MM-DD HH:MM:SS" (GMT)`);
  return value;
}

function intParam(query, name, { max, fallback }) {
  const value = query.get(name);
  if (value === null) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) > max) throw invalid(`query parameter '${name}' must be an integer from 0 to ${max}`);
  return Number(value);
}

/** One page of `records` (already filtered, in report order) as a report: header, rows, total_matches. */
function page(records, header, query, config) {
  const first = intParam(query, "first_row", { max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  const matches = intParam(query, "matches", { max: MAX_MATCHES, fallback: MAX_MATCHES });
  const rows = [];
  let bytes = 0;
  for (const record of records.slice(first, first + matches)) {
    const row = header.map((column) => record[column] ?? "");
    bytes += JSON.stringify(row).length + 1;
    // Like LuxSci past ~50 MB, a response stops early (config.reportByteLimit); at least one row is always sent.
    if (rows.length > 0 && bytes > config.reportByteLimit) break;
    rows.push(row);
  }
  return { data: { header, rows, total_matches: records.length } };
}

/** Keeps the records whose `date` passes after_date (exclusive), before_date (exclusive) and from_date (inclusive). */
function byDate(records, query) {
  const after = dateParam(query, "after_date");
  const before = dateParam(query, "before_date");
  const from = dateParam(query, "from_date");
  // Same fixed-width format throughout: string order is time order.
  return records.filter(
    (r) => (after === null || r.date > after) && (before === null || r.date < before) && (from === null || r.date >= from),
  );
}

const SENT_HEADER = ["sendmail_id", "date", "from", "to", "subject"];

export const profile = ({ store, config, session, now }) => ({
  data: {
    ...seededUsers(config, store.state.library.directories[""].created)[0],
    company: "Sandbox Clinic",
    disk_quota: 1073741824,
    disk_usage: "0",
    over_quota: 0,
    flags: [],
    last_access_date: gmt(now),
  },
  // One production integration shows LuxSci answering this call with an `auth` key next to `success`.
  fields: { auth: session.code },
});

export function users({ store, config, query, now }) {
  const status = query.get("status");
  const domain = query.get("domain")?.toLowerCase() ?? null;
  const days = (name) => intParam(query, name, { max: 100000, fallback: null });
  const younger = days("younger_than");
  const older = days("older_than");
  const ageDays = (user) => (now - Date.parse(`${user.created.replace(" ", "T")}Z`)) / 86400000;
  const records = seededUsers(config, store.state.library.directories[""].created).filter(
    (u) =>
      (status === null || u.status === status) &&
      (domain === null || u.domainname === domain) &&
      (younger === null || ageDays(u) < younger) &&
      (older === null || ageDays(u) > older),
  );
  return page(records, ["user", "uid", "contact", "status", "email1", "domainname", "created"], query, config);
}

export const smtpSent = ({ store, query, config }) => page(byDate(store.state.sent ?? [], query), SENT_HEADER, query, config);

export const webmailSent = ({ query, config }) => page(byDate([], query), SENT_HEADER, query, config);
