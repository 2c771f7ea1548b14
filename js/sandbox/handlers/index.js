// The handler registry: maps the route table's handler names ("area.function") to functions; a missing one fails at load.
import { ROUTES } from "../routes.js";
import * as aliases from "./aliases.js";
import * as dkim from "./dkim.js";
import * as domains from "./domains.js";
import * as fields from "./fields.js";
import * as library from "./library.js";
import * as mailbox from "./mailbox.js";
import * as marketing from "./marketing.js";
import * as reports from "./reports.js";
import * as send from "./send.js";
import * as auth from "./session.js";
import * as suppressions from "./suppressions.js";
import * as templates from "./templates.js";

const AREAS = { aliases, auth, dkim, domains, fields, library, mailbox, marketing, reports, send, suppressions, templates };

/** handler name → function({ store, config, auth, session, params, query, body, files, now }). */
export const HANDLERS = Object.fromEntries(
  ROUTES.map(({ handler }) => {
    const [area, name] = handler.split(".");
    const fn = AREAS[area]?.[name];
    if (typeof fn !== "function") throw new Error(`routes.js names handler ${handler}, which does not exist`);
    return [handler, fn];
  }),
);
