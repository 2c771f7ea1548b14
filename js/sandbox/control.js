// The HTTP control API under /__sandbox/ (fault injection, log, sends, auth-call count); 404 unless faults are enabled.
import { ApiError, successEnvelope } from "./http.js";

export const CONTROL_PREFIX = "/__sandbox/";

/** Answers one control request; returns the envelope to send (throws ApiError on rejection). */
export function controlRequest({ faults, controls }, method, rawPath, body) {
  if (!faults.enabled) throw new ApiError(404, "the sandbox control API is disabled: start the sandbox with faults enabled");
  const action = `${method} ${rawPath.slice(CONTROL_PREFIX.length)}`;
  const run = (fn) => {
    try {
      return fn();
    } catch (error) {
      throw new ApiError(400, error.message);
    }
  };
  switch (action) {
    case "POST faults": {
      const input = run(() => JSON.parse(body.toString("utf8") || "null"));
      if (typeof input !== "object" || input === null) throw new ApiError(400, "fault must be a JSON object");
      const { kind, operationId, ...options } = input;
      run(() => faults.add(kind, operationId, options));
      return successEnvelope();
    }
    case "POST expire-auth":
      controls.expireAllAuth();
      return successEnvelope();
    case "POST reset-faults":
      controls.reset();
      return successEnvelope();
    case "GET log":
      return successEnvelope(faults.log);
    case "GET sends":
      return successEnvelope(faults.sends);
    case "GET auth-calls":
      return successEnvelope(faults.authCalls);
    default:
      throw new ApiError(404, `no sandbox control endpoint ${method} ${rawPath}`);
  }
}
