// The in-process stub fetch that the SDK and the baseline both call in the benchmarks: answers at once, records when it was called.
const AUTH = JSON.stringify({ success: 1, auth: "1-1700000000-" + "ab".repeat(32) });

/**
 * A fetch that answers `/auth` with an auth code, a send (`…/email/send`) with one sendmail id per message, as
 * LuxSci does (the SDK refuses an answer with another count), and everything else with `{ success: 1, data }`. Each call
 * sets `calledAt` (performance.now()) and runs `onCall(url, init)` before answering; `busyMs` adds up the time
 * spent inside it (the server's share, which includes Node's lazy load of undici for the first Response).
 */
export function stubFetch(data = []) {
  const ok = JSON.stringify({ success: 1, data });
  const headers = { "content-type": "application/json" };
  const fetch = async (url, init) => {
    const calledAt = (fetch.calledAt = performance.now());
    fetch.calls += 1;
    fetch.onCall?.(String(url), init);
    const path = String(url);
    const response = path.endsWith("/auth")
      ? new Response(AUTH, { status: 201, headers })
      : new Response(path.endsWith("/email/send") ? sent(init.body) : ok, { status: 200, headers });
    fetch.busyMs += performance.now() - calledAt;
    return response;
  };
  fetch.calls = 0;
  fetch.calledAt = 0;
  fetch.busyMs = 0;
  fetch.onCall = null;
  return fetch;
}

function sent(body) {
  const { messages } = JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body));
  return JSON.stringify({ success: 1, data: messages.map((_, i) => `bench-${i}`) });
}

/** The credentials every benchmark client uses (the stub checks nothing). */
export const CREDENTIALS = { token: "bench-token", secret: "bench-secret-0123456789", accountId: "1001", username: "bench@example.test" };
