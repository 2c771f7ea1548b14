//! One HTTP attempt through `fetch` (the injected one, or the global one called on `globalThis`,
//! never `window`, which Node and workers lack), with its own timeout and the caller's AbortSignal
//! both aborting the fetch itself, and failures classified for the retry policy; plus the waits
//! between attempts and on authentication, which end as soon as the caller's signal fires.

use super::js::{aborted, get};
use crate::error::{Error, ErrorKind};
use crate::retry::Failure;
use js_sys::Function;
use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::Poll;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

/// One request to send.
pub struct Attempt<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'static str, String)],
    pub body: Option<&'a JsValue>,
    pub timeout_ms: f64,
    pub signal: Option<&'a AbortSignal>,
    pub fetch: Option<&'a Function>,
    /// Read the body as text before returning (a relay streams it through instead).
    pub read_body: bool,
}

/// What came back.
pub struct Answer {
    pub status: u16,
    pub response: Response,
    /// The body text, when read.
    pub text: Option<JsValue>,
}

impl Answer {
    /// A response header, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.response.headers().get(name).ok().flatten()
    }

    /// Cancels a body that will not be read (an answer being retried or replayed), so that it does
    /// not hold its connection until garbage collection.
    pub fn discard(&self) {
        if let Some(body) = self.response.body().filter(|_| self.text.is_none()) {
            ignore_rejection(&body.cancel());
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

// The host's timer functions, imported directly: cheaper per attempt than looking them up on `globalThis`.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(callback: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clearTimeout, catch)]
    fn clear_timeout(id: &JsValue) -> Result<JsValue, JsValue>;
}

/// Why no answer came back.
pub enum Failed {
    /// Not worth another attempt (aborted by the caller, unusable URL).
    Fatal(Error),
    /// The attempt failed in a way the retry policy judges.
    Attempt(Failure, Error),
}

/// Sends one attempt.
pub async fn send(a: Attempt<'_>) -> Result<Answer, Failed> {
    if a.signal.is_some_and(AbortSignal::aborted) {
        return Err(Failed::Fatal(aborted()));
    }
    let controller = AbortController::new().map_err(|_| {
        Failed::Fatal(Error::new(
            ErrorKind::Connection,
            "AbortController is unavailable",
        ))
    })?;
    let timed_out = Rc::new(Cell::new(false));
    let (flag, on_timeout, on_abort) = (timed_out.clone(), controller.clone(), controller.clone());
    let alarm = Alarm::arm(
        Some(a.timeout_ms),
        move || {
            flag.set(true);
            on_timeout.abort();
        },
        a.signal,
        move || on_abort.abort(),
    );
    let result = exchange(&a, &controller).await;
    drop(alarm);
    result.map_err(|e| {
        classify(
            &e,
            timed_out.get(),
            a.signal.is_some_and(AbortSignal::aborted),
            a.url,
        )
    })
}

/// Resolves after `ms` milliseconds, or fails with the abort error as soon as `signal` fires; the timer
/// and the listener are removed either way, so nothing keeps the host's event loop alive afterwards.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let (promise, resolve, reject) = settle_later();
    let alarm = Alarm::arm(
        Some(ms),
        move || drop(resolve.call0(&JsValue::UNDEFINED)),
        signal,
        move || drop(reject.call0(&JsValue::UNDEFINED)),
    );
    let outcome = JsFuture::from(promise).await;
    drop(alarm);
    outcome.map(drop).map_err(|_| aborted())
}

/// Awaits `work`, or fails with the abort error as soon as `signal` fires (the work itself is not
/// cancelled: a shared authentication goes on for the other calls waiting on it).
pub async fn abortable<F: Future>(
    work: F,
    signal: Option<&AbortSignal>,
) -> Result<F::Output, Error> {
    let Some(signal) = signal else {
        return Ok(work.await);
    };
    if signal.aborted() {
        return Err(aborted());
    }
    let (promise, _, reject) = settle_later();
    let alarm = Alarm::arm(
        None,
        || {},
        Some(signal),
        move || drop(reject.call0(&JsValue::UNDEFINED)),
    );
    let (mut work, mut abort) = (pin!(work), JsFuture::from(promise));
    let outcome = poll_fn(|cx| match work.as_mut().poll(cx) {
        Poll::Ready(out) => Poll::Ready(Ok(out)),
        Poll::Pending => Pin::new(&mut abort).poll(cx).map(|_| Err(aborted())),
    })
    .await;
    drop(alarm);
    outcome
}

/// A promise and the functions that settle it.
fn settle_later() -> (js_sys::Promise, Function, Function) {
    let mut settle = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    // The executor runs synchronously inside `new Promise`, so `settle` is always filled.
    let (resolve, reject) = settle.unwrap_or_else(|| {
        let none: Function = JsValue::UNDEFINED.unchecked_into();
        (none.clone(), none)
    });
    (promise, resolve, reject)
}

async fn exchange(a: &Attempt<'_>, controller: &AbortController) -> Result<Answer, JsValue> {
    let init = RequestInit::new();
    init.set_method(a.method);
    let headers = Headers::new()?;
    for (name, value) in a.headers {
        headers.set(name, value)?;
    }
    init.set_headers(&headers);
    if let Some(body) = a.body {
        init.set_body(body);
        if body.is_instance_of::<web_sys::ReadableStream>() {
            // Fetch requires `duplex: "half"` for a streamed request body (Node, Deno, browsers).
            js_sys::Reflect::set(&init, &"duplex".into(), &"half".into())?;
        }
    }
    init.set_signal(Some(&controller.signal()));
    let global = js_sys::global();
    let fetch = match a.fetch {
        Some(f) => f.clone(),
        None => get(&global, "fetch").dyn_into::<Function>()?,
    };
    // An injected fetch may answer synchronously or with any thenable: adopt it like `await` would.
    let promise =
        js_sys::Promise::resolve(&fetch.call2(&global, &JsValue::from_str(a.url), &init)?);
    let response: Response = JsFuture::from(promise).await?.dyn_into()?;
    let text = if a.read_body {
        Some(JsFuture::from(response.text()?).await?)
    } else {
        None
    };
    Ok(Answer {
        status: response.status(),
        response,
        text,
    })
}

/// A timer and a listener on the caller's AbortSignal (each optional), both removed when dropped.
struct Alarm {
    timer: Option<(JsValue, Closure<dyn FnMut()>)>,
    on_abort: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl Alarm {
    fn arm(
        ms: Option<f64>,
        on_timer: impl FnMut() + 'static,
        signal: Option<&AbortSignal>,
        on_abort: impl FnMut() + 'static,
    ) -> Alarm {
        let timer = ms.map(|ms| {
            let cb = Closure::<dyn FnMut()>::new(on_timer);
            let id = set_timeout(cb.as_ref().unchecked_ref(), ms).unwrap_or(JsValue::UNDEFINED);
            (id, cb)
        });
        let on_abort = signal.map(|s| {
            let cb = Closure::<dyn FnMut()>::new(on_abort);
            let _ = s.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
            (s.clone(), cb)
        });
        Alarm { timer, on_abort }
    }
}

impl Drop for Alarm {
    fn drop(&mut self) {
        if let Some((id, _)) = &self.timer {
            let _ = clear_timeout(id);
        }
        if let Some((signal, cb)) = &self.on_abort {
            let _ =
                signal.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
        }
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
            Failure::Timeout,
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
        Failed::Attempt(Failure::Refused, error)
    } else if e.is_instance_of::<js_sys::TypeError>() || !cause.is_undefined() {
        Failed::Attempt(Failure::Network, error)
    } else {
        started(error)
    }
}

fn describe(v: &JsValue) -> String {
    get(v, "message").as_string().unwrap_or_default()
}
