// Fault injection (fail / delay / drop the next N calls of an operation, expire all auth) and the records tests read: request log and sends
// (each the latest `logLimit` entries), auth calls.
import { checkNumber } from "./check.js";
import { ROUTES } from "./routes.js";

const OPERATION_IDS = new Set(ROUTES.map((route) => route.operationId));

export class Faults {
  constructor(enabled, logLimit) {
    this.enabled = enabled;
    this.logLimit = logLimit;
    this.rules = [];
    this.log = [];
    this.sends = [];
    this.authCalls = 0;
  }

  /** Appends `entry` to `records` (the log or the sends), dropping the oldest beyond `logLimit`: the array stays the one tests hold. */
  record(records, entry) {
    records.push(entry);
    if (records.length > this.logLimit) records.splice(0, records.length - this.logLimit);
  }

  /** Adds a rule: kind "fail" | "delay" | "drop" for the next `times` calls of `operationId` ("*" = any). */
  add(kind, operationId, { times = 1, status = 503, retryAfter, ms, body } = {}) {
    this.requireEnabled();
    if (!["fail", "delay", "drop"].includes(kind)) throw new RangeError(`unknown fault kind ${JSON.stringify(kind)}`);
    if (operationId !== "*" && !OPERATION_IDS.has(operationId)) {
      throw new RangeError(`unknown operationId ${JSON.stringify(operationId)} (use "*" for any operation)`);
    }
    const rule = { kind, operationId, remaining: checkNumber(times, "fault 'times'", { integer: true, min: 1 }) };
    if (kind === "fail") {
      rule.status = checkNumber(status, "fault 'status'", { integer: true, min: 400, max: 599 });
      if (retryAfter !== undefined) rule.retryAfter = checkNumber(retryAfter, "fault 'retryAfter'", { integer: true, min: 0 });
      if (body !== undefined && (typeof body !== "object" || body === null)) throw new RangeError("fault 'body' must be an object");
      rule.body = body ?? { success: 0, error_message: `injected fault: HTTP ${rule.status}` };
    }
    if (kind === "delay") rule.ms = checkNumber(ms, "fault 'ms'", { min: 0, max: 600_000 });
    this.rules.push(rule);
  }

  /** Consumes one use of the first matching rule of `kind` for `operationId`; returns it or null. */
  take(kind, operationId) {
    if (!this.enabled || operationId === null) return null;
    const index = this.rules.findIndex(
      (rule) => rule.kind === kind && (rule.operationId === "*" || rule.operationId === operationId),
    );
    if (index < 0) return null;
    const rule = this.rules[index];
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules.splice(index, 1);
    return rule;
  }

  reset() {
    this.requireEnabled();
    this.rules = [];
  }

  requireEnabled() {
    if (!this.enabled) throw new Error("fault injection is disabled: start the sandbox with { faults: true } (CLI: --faults)");
  }

  /** The public `sandbox.faults` object; `expireAllAuth` comes from the auth service. */
  controls(expireAllAuth) {
    return {
      failNext: (operationId, options) => this.add("fail", operationId, options),
      delayNext: (operationId, options) => this.add("delay", operationId, options),
      dropNext: (operationId, options) => this.add("drop", operationId, options),
      expireAllAuth: () => {
        this.requireEnabled();
        expireAllAuth();
      },
      reset: () => this.reset(),
    };
  }
}
