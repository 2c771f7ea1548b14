//! One HTTP attempt through `fetch` (the injected one, or the global one called on `globalThis`,
//! never `window`, which Node and workers lack), with its own timeout and the caller's AbortSignal
//! both aborting the fetch itself, redirects never followed, and failures classified for the retry
//! policy; plus the waits between attempts and on authentication, which end as soon as the caller's
//! signal fires (and a wait on authentication when the call's time is up).

use super::js::{aborted, get};
use crate::error::{Error, ErrorKind};
use crate::exchange::redirect_error;
use crate::retry::{self, Fault};
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
    /// Not worth another attempt (aborted by the caller, unusable URL).
    Fatal(Error),
    /// The attempt failed (no answer, or a redirect that is not one to use): the outcome the retry
    /// rule judges, and the error that describes it.
    Attempt(retry::Outcome<'static>, Error),
}

/// Sends one attempt; a redirect answer is a failure (it is never followed).
pub async fn send(a: Attempt<'_>) -> Result<Answer, Failed> {
    if a.signal.is_some_and(AbortSignal::aborted) {
        return Err(Failed::Fatal(aborted()));
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
            let location = response.headers().get("location").ok().flatten();
            let seen = retry::Answer {
                status: response.status(),
                location: location.as_deref(),
                redirect: get(&response, "type").as_string().as_deref() == Some("opaqueredirect")
                    || get(&response, "redirected").as_bool() == Some(true),
                ..retry::Answer::default()
            };
            if let Some(error) = redirect_error(&seen) {
                if a.read_limit.is_none() {
                    discard(&response);
                }
                let outcome = retry::Outcome::Answered(retry::Answer {
                    status: seen.status,
                    redirect: seen.redirect,
                    ..retry::Answer::default()
                });
                return Err(Failed::Attempt(outcome, error));
            }
            Ok(Answer {
                status: response.status(),
                response,
                text: a.read_limit.map(|_| outcome.text()),
                oversized: outcome.oversized(),
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

/// Awaits `work`, or fails with the abort error as soon as `signal` fires, or with `late`'s error once
/// its milliseconds pass (the work itself is not cancelled: a shared authentication goes on for the
/// other calls waiting on it).
pub async fn abortable<F: Future>(
    work: F,
    signal: Option<&AbortSignal>,
    late: Option<(f64, Error)>,
) -> Result<F::Output, Error> {
    if signal.is_none() && late.is_none() {
        return Ok(work.await);
    }
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let (ms, late) = late.map_or((None, None), |(ms, e)| (Some(ms), Some(e)));
    let watch = Watching(watch(signal, ms));
    let (mut work, mut stop) = (pin!(work), JsFuture::from(watch.0.promise()));
    // The watch rejects when the signal fires and resolves when the time is up.
    poll_fn(|cx| match work.as_mut().poll(cx) {
        Poll::Ready(out) => Poll::Ready(Ok(out)),
        Poll::Pending => Pin::new(&mut stop).poll(cx).map(|r| Err(r.is_ok())),
    })
    .await
    .map_err(|time_up| match (time_up, late) {
        (true, Some(late)) => late,
        _ => aborted(),
    })
}

/// A watch on the caller's signal and time, whose listener and timer are removed when dropped.
struct Watching(Watch);

impl Drop for Watching {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Judges a fetch that was started and failed. Fatal errors carry `may_have_been_sent`: the request
/// may have reached the server before the caller's signal (or an unrecognised failure) ended it.
fn classify(e: &JsValue, timed_out: bool, user_aborted: bool, url: &str) -> Failed {
    let started = |mut error: Error| {
        error.may_have_been_sent = Some(true);
        Failed::Fatal(error)
    };
    if user_aborted {
        return started(aborted());
    }
    if timed_out {
        return Failed::Attempt(
            fault(Fault::TimedOut),
            Error::new(ErrorKind::Timeout, "the attempt timed out (timeoutMs)"),
        );
    }
    let cause = get(e, "cause");
    let code = get(&cause, "code").as_string().unwrap_or_default();
    let text = format!("{} {}", describe(e), describe(&cause));
    let refused = code == "ECONNREFUSED"
        || text.contains("ECONNREFUSED")
        || text.contains("Connection refused");
    let origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let reason = if code.is_empty() { describe(e) } else { code };
    let error = Error::new(
        ErrorKind::Connection,
        format!("could not reach {origin}: {reason}"),
    );
    if refused {
        Failed::Attempt(fault(Fault::Refused), error)
    } else if e.is_instance_of::<js_sys::TypeError>() || !cause.is_undefined() {
        Failed::Attempt(fault(Fault::Dropped), error)
    } else {
        started(error)
    }
}

/// An attempt that got no answer, described by its error rather than `reason`.
fn fault(fault: Fault) -> retry::Outcome<'static> {
    retry::Outcome::Failed { fault, reason: "" }
}

fn describe(v: &JsValue) -> String {
    get(v, "message").as_string().unwrap_or_default()
}
