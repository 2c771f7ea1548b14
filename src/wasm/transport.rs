//! One HTTP attempt through `fetch` (the injected one, or the global one called on `globalThis`,
//! never `window`, which Node and workers lack), with its own timeout and the caller's AbortSignal
//! both aborting the fetch itself, and failures classified for the retry policy.

use super::js::{aborted, get};
use crate::error::{Error, ErrorKind};
use crate::retry::Failure;
use js_sys::Function;
use std::cell::Cell;
use std::rc::Rc;
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
    let guard = Guard::arm(&controller, a.timeout_ms, a.signal);
    let result = exchange(&a, &controller).await;
    let timed_out = guard.timed_out.get();
    drop(guard);
    result.map_err(|e| {
        classify(
            &e,
            timed_out,
            a.signal.is_some_and(AbortSignal::aborted),
            a.url,
        )
    })
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
    let promise: js_sys::Promise = fetch
        .call2(&global, &JsValue::from_str(a.url), &init)?
        .dyn_into()?;
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

/// The attempt's timer and the caller's abort listener, both removed when the attempt ends.
struct Guard {
    timed_out: Rc<Cell<bool>>,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
    on_abort: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl Guard {
    fn arm(controller: &AbortController, timeout_ms: f64, signal: Option<&AbortSignal>) -> Guard {
        let timed_out = Rc::new(Cell::new(false));
        let (flag, ctl) = (timed_out.clone(), controller.clone());
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            ctl.abort();
        });
        let global = js_sys::global();
        let timer = get(&global, "setTimeout")
            .dyn_into::<Function>()
            .and_then(|f| f.call2(&global, on_timeout.as_ref(), &JsValue::from_f64(timeout_ms)))
            .unwrap_or(JsValue::UNDEFINED);
        let on_abort = signal.map(|s| {
            let ctl = controller.clone();
            let cb = Closure::<dyn FnMut()>::new(move || ctl.abort());
            let _ = s.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
            (s.clone(), cb)
        });
        Guard {
            timed_out,
            timer,
            _on_timeout: on_timeout,
            on_abort,
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Ok(clear) = get(&global, "clearTimeout").dyn_into::<Function>() {
            let _ = clear.call1(&global, &self.timer);
        }
        if let Some((signal, cb)) = &self.on_abort {
            let _ =
                signal.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
        }
    }
}

fn classify(e: &JsValue, timed_out: bool, user_aborted: bool, url: &str) -> Failed {
    if user_aborted {
        return Failed::Fatal(aborted());
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
        Failed::Fatal(error)
    }
}

fn describe(v: &JsValue) -> String {
    get(v, "message").as_string().unwrap_or_default()
}
