//! One HTTP attempt through `fetch` (the injected one, or the global one called on `globalThis`,
//! never `window`, which Node and workers lack), with its own timeout and the caller's AbortSignal
//! both aborting the fetch itself, redirects never followed (and reported as such), and failures
//! classified for the core; plus the waits between attempts and on authentication, which end as soon as the caller's
//! signal fires (and a wait on authentication when the call's time is up).

use super::js::{aborted, get};
use crate::error::{Error, ErrorKind};
use crate::retry::Fault;
use js_sys::Function;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
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

thread_local! {
    /// The one rejection handler for promises whose failure does not matter, kept for the instance's life.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

/// Handles `promise`'s rejection by ignoring it (an unhandled rejection would end a Node process).
pub fn ignore_rejection(promise: &js_sys::Promise) {
    IGNORE.with(|ignore| drop(promise.catch(ignore)));
}

// The timers and abort listeners, in JavaScript (src/wasm/attempt.js): its closures cost less per call than wasm ones.
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
    /// A watch on the caller's signal and time: `promise` rejects once the signal fires and resolves once
    /// the time is up, until `stop()`.
    type Watch;
    #[wasm_bindgen(method, getter)]
    fn promise(this: &Watch) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn stop(this: &Watch);

    #[wasm_bindgen(js_name = attempt)]
    #[allow(
        clippy::too_many_arguments,
        reason = "one crossing into JavaScript per attempt, flat arguments"
    )]
    fn start(
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
    ) -> js_sys::Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn wait(ms: f64, signal: Option<&AbortSignal>) -> js_sys::Promise;
    fn watch(signal: Option<&AbortSignal>, ms: Option<f64>) -> Watch;
    fn discard(response: &Response);
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

/// Sends one attempt; a redirect is answered as it came (it is never followed).
pub async fn send(a: Attempt<'_>) -> Result<Answer, Failed> {
    if a.signal.is_some_and(AbortSignal::aborted) {
        return Err(Failed::Aborted { started: false });
    }
    let settled = start(
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
    );
    match JsFuture::from(settled).await {
        Ok(outcome) => {
            let outcome: Outcome = outcome.unchecked_into();
            let response = outcome.response();
            // A browser answers `redirect: "manual"` with an opaque redirect; `redirected` is set by a
            // fetch that followed one anyway (an injected fetch may ignore the option).
            let redirect = get(&response, "type").as_string().as_deref() == Some("opaqueredirect")
                || get(&response, "redirected").as_bool() == Some(true);
            Ok(Answer {
                status: response.status(),
                response,
                text: a.read_limit.map(|_| outcome.text()),
                oversized: outcome.oversized(),
                redirect,
            })
        }
        Err(miss) => {
            let miss: Miss = miss.unchecked_into();
            Err(classify(
                &miss.error(),
                miss.timed_out(),
                a.signal.is_some_and(AbortSignal::aborted),
                a.url,
            ))
        }
    }
}

/// Resolves after `ms` milliseconds, or fails with the abort error as soon as `signal` fires.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    JsFuture::from(wait(ms, signal))
        .await
        .map(drop)
        .map_err(|_| aborted())
}

/// Awaits `work`, or stops waiting once `ms` pass, or fails with the abort error as soon as `signal`
/// fires. The work itself is not cancelled: a shared authentication goes on
/// for the other calls waiting on it.
pub async fn abortable<F: Future<Output = ()>>(
    work: F,
    signal: Option<&AbortSignal>,
    ms: Option<f64>,
) -> Result<(), Error> {
    if signal.is_none() && ms.is_none() {
        work.await;
        return Ok(());
    }
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let watch = Watching(watch(signal, ms));
    let (mut work, mut stop) = (pin!(work), JsFuture::from(watch.0.promise()));
    // The watch rejects when the signal fires and resolves when the time is up.
    poll_fn(|cx| match work.as_mut().poll(cx) {
        Poll::Ready(()) => Poll::Ready(Ok(())),
        Poll::Pending => Pin::new(&mut stop)
            .poll(cx)
            .map(|r| r.map(drop).map_err(|_| aborted())),
    })
    .await
}

/// A watch on the caller's signal and time, whose listener and timer are removed when dropped.
struct Watching(Watch);

impl Drop for Watching {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Judges a fetch that was started and failed: a failure it cannot classify (an injected fetch threw
/// something unknown) may have happened after the request reached the server.
fn classify(e: &JsValue, timed_out: bool, user_aborted: bool, url: &str) -> Failed {
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
