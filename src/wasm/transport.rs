//! One HTTP attempt through `fetch` (the injected one, or the global one called on `globalThis`,
//! never `window`, which Node and workers lack), with its own timeout and the caller's AbortSignal
//! both aborting the fetch itself, redirects never followed (and reported as such), and failures
//! classified for the core. The attempt runs in JavaScript (src/wasm/attempt.js); this side starts it
//! and reads what became of it.

use super::js::get;
use crate::error::{Error, ErrorKind};
use crate::retry::Fault;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, Response};

/// One request to send (it always accepts `application/json`).
pub struct Attempt<'a> {
    pub method: &'a str,
    pub url: &'a str,
    /// The `Content-Type` of `body`.
    pub content_type: Option<&'a str>,
    /// The `Cookie` header: `signature=<auth code>:<signature>`.
    pub cookie: Option<&'a str>,
    /// A relay-mode client's mark (header name and value; see [`crate::relay`]).
    pub mark: Option<(&'a str, &'a str)>,
    pub body: Option<&'a JsValue>,
    pub timeout_ms: f64,
    pub signal: Option<&'a AbortSignal>,
    pub fetch: Option<&'a Function>,
    /// Read the body as text, at most this many bytes of it, before returning (`None`: a relay
    /// streams it through instead).
    pub read_limit: Option<u32>,
}

/// What came back.
pub struct Answer {
    pub status: u16,
    pub response: Response,
    /// The body text, when read (`undefined` when it was over the limit).
    pub text: Option<JsValue>,
    /// The body was longer than the read limit: it was cancelled after that many bytes.
    pub oversized: bool,
    /// A redirect its status does not show: a browser's opaque one, or one the fetch followed.
    pub redirect: bool,
}

impl Answer {
    /// A response header, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.response.headers().get(name).ok().flatten()
    }

    /// Cancels a body that will not be read (an answer being retried or replayed), so that it does
    /// not hold its connection until garbage collection.
    pub fn discard(&self) {
        if self.text.is_none() {
            discard(&self.response);
        }
    }
}

// The attempt itself, in JavaScript (src/wasm/attempt.js): its closures cost less per call than wasm ones.
#[wasm_bindgen(module = "/src/wasm/attempt.js")]
extern "C" {
    /// What a settled attempt holds: `{ response, text, oversized }`.
    type Outcome;
    #[wasm_bindgen(method, getter)]
    fn response(this: &Outcome) -> Response;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn oversized(this: &Outcome) -> bool;
    /// Why an attempt failed: `{ error, timedOut }`.
    type Miss;
    #[wasm_bindgen(method, getter)]
    fn error(this: &Miss) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &Miss) -> bool;
    #[wasm_bindgen(js_name = attempt)]
    #[allow(
        clippy::too_many_arguments,
        reason = "one crossing into JavaScript per attempt, flat arguments"
    )]
    fn attempt(
        fetch: Option<&Function>,
        url: &str,
        method: &str,
        content_type: Option<&str>,
        cookie: Option<&str>,
        mark_name: Option<&str>,
        mark_value: Option<&str>,
        body: Option<&JsValue>,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
        read_limit: Option<u32>,
    ) -> Promise;
    fn discard(response: &Response);
    /// Handles a rejection of `value`, when it is a promise, by ignoring it (an unhandled rejection
    /// would end a Node process).
    pub fn quiet(value: &JsValue);
}

/// Why no answer came back.
pub enum Failed {
    /// The caller's signal fired, before the fetch started (`started: false`) or during it.
    Aborted {
        /// Whether the fetch had started: the request may have reached the server.
        started: bool,
    },
    /// The attempt got no answer: how, and the error that describes it.
    Attempt(Fault, Error),
}

/// Starts one attempt: a promise of its outcome; a redirect is answered as it came (it is never
/// followed).
pub fn start(a: Attempt<'_>) -> Promise {
    attempt(
        a.fetch,
        a.url,
        a.method,
        a.content_type,
        a.cookie,
        a.mark.map(|m| m.0),
        a.mark.map(|m| m.1),
        a.body,
        a.timeout_ms,
        a.signal,
        a.read_limit,
    )
}

/// The answer of an attempt whose promise resolved with `outcome` (its body read when `read_body`).
pub fn answer(outcome: JsValue, read_body: bool) -> Answer {
    let outcome: Outcome = outcome.unchecked_into();
    let response = outcome.response();
    // A browser answers `redirect: "manual"` with an opaque redirect; `redirected` is set by a
    // fetch that followed one anyway (an injected fetch may ignore the option).
    let redirect = get(&response, "type").as_string().as_deref() == Some("opaqueredirect")
        || get(&response, "redirected").as_bool() == Some(true);
    Answer {
        status: response.status(),
        response,
        text: read_body.then(|| outcome.text()),
        oversized: outcome.oversized(),
        redirect,
    }
}

/// Judges a fetch that was started and failed: a failure it cannot classify (an injected fetch threw
/// something unknown) may have happened after the request reached the server.
/// `miss` is what the attempt's promise rejected with; `user_aborted`, whether the caller's signal fired.
pub fn classify(miss: &JsValue, user_aborted: bool, url: &str) -> Failed {
    let miss: &Miss = miss.unchecked_ref();
    let (e, timed_out) = (&miss.error(), miss.timed_out());
    if user_aborted {
        return Failed::Aborted { started: true };
    }
    if timed_out {
        return Failed::Attempt(
            Fault::TimedOut,
            Error::new(ErrorKind::Timeout, "the attempt timed out (timeoutMs)"),
        );
    }
    let cause = get(e, "cause");
    let code = get(&cause, "code").as_string().unwrap_or_default();
    let text = format!("{} {}", describe(e), describe(&cause));
    let refused = code == "ECONNREFUSED"
        || contains(&text, "ECONNREFUSED")
        || contains(&text, "Connection refused");
    // `scheme://host[:port]`: up to the third `/`.
    let origin = url
        .match_indices('/')
        .nth(2)
        .and_then(|(end, _)| url.get(..end))
        .unwrap_or(url);
    let reason = if code.is_empty() { describe(e) } else { code };
    let error = Error::new(
        ErrorKind::Connection,
        format!("could not reach {origin}: {reason}"),
    );
    if refused {
        Failed::Attempt(Fault::Refused, error)
    } else if e.is_instance_of::<js_sys::TypeError>() || !cause.is_undefined() {
        Failed::Attempt(Fault::Dropped, error)
    } else {
        Failed::Attempt(Fault::Unclassified, error)
    }
}

/// Whether `needle` occurs in `text`, by plain comparison (core's substring searcher costs ~2 KB of wasm).
fn contains(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn describe(v: &JsValue) -> String {
    get(v, "message").as_string().unwrap_or_default()
}
