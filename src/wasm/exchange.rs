//! The wasm driver of the core's [`Exchange`]: it sends the attempts the exchange asks for through
//! fetch, keeps its waits on the JavaScript clock (ended by the caller's signal), runs the
//! authentication a call leads detached from it, and shapes what came back into JavaScript values.
//! Every decision — retries, the replay after a 401, the deadline, a relay's answers, whether a
//! failed call may have been sent — is the core's.

use super::call::Call;
use super::client::{Fail, Inner};
use super::js::{self, get, is_plain_object};
use super::options::CallOptions;
use super::transport::{self, Answer, Failed};
use crate::envelope::{self, Body, Flag, Ids};
use crate::error::{Error, ErrorKind};
use crate::exchange::{note_not_repeated, Action, Authentication, Exchange, Request, Resolution};
use crate::relay;
use crate::retry::{self, Fault, Outcome};
use crate::session::{self, FlightId};
use crate::step::{Deadline, Outgoing, Policy};
use js_sys::{Object, Promise};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;
use zeroize::Zeroizing;

/// What a call settled with.
pub(super) enum Settled {
    /// The envelope's `data` (undefined when it has none), or nothing.
    Data(JsValue),
    /// LuxSci's answer itself, its body unread (a relay's pass-through).
    Answer(Answer),
}

impl Settled {
    /// The JavaScript value the call resolves to.
    pub(super) fn into_js(self) -> JsValue {
        match self {
            Settled::Data(data) => data,
            Settled::Answer(answer) => answer.response.into(),
        }
    }
}

/// An answer as read for the core: its parsed body and the bounded copies of the strings the core
/// judges it by.
struct Read {
    answer: Answer,
    parsed: JsValue,
    /// The window of `error_message` that a message can show; it may echo a credential, so it is wiped.
    message: Option<Zeroizing<String>>,
    flag: Option<String>,
    auth: Option<String>,
    location: Option<String>,
    mark: Option<String>,
    retry_after_ms: Option<f64>,
    date_secs: Option<f64>,
    limit: u32,
}

impl Read {
    fn new(inner: &Inner, answer: Answer, auth: bool) -> Read {
        let parsed = answer
            .text
            .as_ref()
            .map_or(JsValue::UNDEFINED, js::parse_json);
        let window = inner.with_secrets(envelope::text_window);
        let message = js::string_prefix(&get(&parsed, "error_message"), window).map(Zeroizing::new);
        // Only "1" and "0" mean anything as text, so two characters tell them from any other string.
        let flag = js::string_prefix(&get(&parsed, "success"), 2);
        let code = auth
            .then(|| js::string_prefix(&get(&parsed, "auth"), session::MAX_AUTH_CODE + 1))
            .flatten();
        let retry_after_ms = answer.header("retry-after").and_then(|value| {
            retry::retry_after_ms(&value, js_sys::Date::now(), |d| {
                Some(js_sys::Date::parse(d)).filter(|t| t.is_finite())
            })
        });
        let date_secs = answer
            .header("date")
            .map(|d| js_sys::Date::parse(&d) / 1000.0);
        Read {
            location: answer.header("location"),
            mark: answer.header(relay::HEADER),
            limit: inner.config.max_response_bytes,
            answer,
            parsed,
            message,
            flag,
            auth: code,
            retry_after_ms,
            date_secs,
        }
    }

    /// The core's view of it.
    fn seen(&self) -> retry::Answer<'_> {
        let body = if self.answer.oversized || self.parsed.is_undefined() {
            Body::NotJson
        } else if !is_plain_object(&self.parsed) {
            Body::NotObject
        } else {
            let success = get(&self.parsed, "success");
            let flag = if success.is_undefined() {
                Flag::Missing
            } else if let Some(b) = success.as_bool() {
                Flag::Bool(b)
            } else if let Some(n) = success.as_f64() {
                Flag::Number(n)
            } else if let Some(t) = &self.flag {
                Flag::Text(t)
            } else {
                Flag::Other
            };
            Body::Object {
                success: flag,
                error_message: self.message.as_deref().map(String::as_str),
            }
        };
        retry::Answer {
            status: self.answer.status,
            body: self.answer.text.is_some().then_some(body),
            retry_after_ms: self.retry_after_ms,
            date_secs: self.date_secs,
            location: self.location.as_deref(),
            auth: self.auth.as_deref(),
            redirect: self.answer.redirect,
            relay: self.mark.as_deref(),
            oversized: self.answer.oversized.then_some(retry::Limit {
                value: u64::from(self.limit),
                option: "maxResponseBytes",
            }),
        }
    }
}

impl Inner {
    /// The limits of a call with `options`, starting now.
    pub(super) fn policy(&self, options: &CallOptions) -> Policy {
        let limits = self.config.limits(options);
        Policy {
            timeout_ms: limits.timeout_ms,
            max_retries: limits.max_retries,
            deadline: Some(Deadline::starting(
                js_sys::Date::now(),
                limits.total_ms,
                "totalTimeoutMs",
            )),
        }
    }

    /// Runs `call` to its end.
    pub(super) async fn execute(self: &Rc<Self>, call: &Call) -> Result<Settled, Fail> {
        let request = Request {
            operation: call.operation,
            method: call.method,
            path: call.path.clone(),
            query: call.query.clone(),
            body_hash: call.payload.hash().to_owned(),
            idempotent: call.idempotent,
            resendable: call.resendable,
            decode: call.read_body,
        };
        let exchange = Exchange::call(request, self.policy(&call.options), js::seed());
        self.drive(exchange, Some(call), call.options.signal.as_ref())
            .await
    }

    /// Runs `exchange` (of `call`, when it is one) to its end: sends what it asks, waits what it
    /// asks, tells it what happened; gives up as soon as `signal` fires.
    pub(super) async fn drive(
        self: &Rc<Self>,
        mut exchange: Exchange,
        call: Option<&Call>,
        signal: Option<&AbortSignal>,
    ) -> Result<Settled, Fail> {
        let mut action = exchange.next(&mut self.session.borrow_mut(), js_sys::Date::now());
        let mut last: Option<Read> = None;
        loop {
            action = match action {
                Action::Send(attempt) => {
                    let url = format!("{}{}", self.config.base, attempt.target);
                    if let Some(call) = call {
                        self.hook(&self.config.on_request, call, &url, None, attempt.number);
                    }
                    let (content_type, body) = match &attempt.body {
                        Outgoing::Prepared => call.map_or((None, None), |c| {
                            (c.payload.content_type(), c.payload.body())
                        }),
                        Outgoing::Empty | Outgoing::Json(_) => (None, None),
                    };
                    let sent = transport::Attempt {
                        method: attempt.method.as_str(),
                        url: &url,
                        content_type,
                        cookie: attempt.cookie.as_ref().map(session::Cookie::expose),
                        mark: self.relay.then_some((relay::HEADER, relay::REQUEST_MARK)),
                        body,
                        timeout_ms: attempt.timeout_ms,
                        signal,
                        fetch: self.config.fetch.as_ref(),
                        read_limit: call
                            .is_none_or(|c| c.read_body)
                            .then_some(self.config.max_response_bytes),
                    };
                    if let Some(previous) = last.take() {
                        previous.answer.discard();
                    }
                    match transport::send(sent).await {
                        Ok(answer) => {
                            if let Some(call) = call {
                                let status = Some(answer.status);
                                self.hook(
                                    &self.config.on_response,
                                    call,
                                    &url,
                                    status,
                                    attempt.number,
                                );
                            }
                            let read = Read::new(self, answer, false);
                            let now = js_sys::Date::now();
                            let outcome = Outcome::Answered(read.seen());
                            let next =
                                exchange.on_outcome(&mut self.session.borrow_mut(), outcome, now);
                            last = Some(read);
                            next
                        }
                        Err(Failed::Attempt(fault, error)) => {
                            self.failed(&mut exchange, fault, &error)
                        }
                        Err(Failed::Aborted { started }) => {
                            if !started {
                                exchange.unsent();
                            }
                            return Err(exchange.abort(&mut self.session.borrow_mut()).into());
                        }
                    }
                }
                Action::Wait { ms } => {
                    if transport::sleep(ms, signal).await.is_err() {
                        return Err(exchange.abort(&mut self.session.borrow_mut()).into());
                    }
                    exchange.next(&mut self.session.borrow_mut(), js_sys::Date::now())
                }
                // The authentication this call leads runs within the call's time: it needs no timer.
                Action::Authenticate { auth, .. } => {
                    let flight = auth.flight();
                    wasm_bindgen_futures::spawn_local(authenticate(self.clone(), auth));
                    self.await_flight(&mut exchange, flight, None, signal)
                        .await?
                }
                Action::AwaitAuthentication { flight, until_ms } => {
                    self.await_flight(&mut exchange, flight, until_ms, signal)
                        .await?
                }
                Action::Resolve(Resolution::Nothing) => {
                    return Ok(Settled::Data(JsValue::UNDEFINED))
                }
                Action::Resolve(Resolution::Answer) => match last {
                    Some(read) => return Ok(Settled::Answer(read.answer)),
                    None => return Ok(Settled::Data(JsValue::UNDEFINED)),
                },
                Action::Resolve(Resolution::Data) => {
                    let parsed = last.map_or(JsValue::UNDEFINED, |read| read.parsed);
                    let data = get(&parsed, "data");
                    let Some(due) = call.and_then(|c| c.ids_due) else {
                        return Ok(Settled::Data(data));
                    };
                    let Err(message) = envelope::check_ids(due, ids(&data)) else {
                        return Ok(Settled::Data(data));
                    };
                    // LuxSci said it sent, but not with one id per message: it was sent all the same.
                    let mut error = Error::new(ErrorKind::Api, message)
                        .with_status(200)
                        .for_operation(call.and_then(|c| c.operation));
                    note_not_repeated(&mut error, true);
                    return Err(Fail {
                        error,
                        body: Some(parsed),
                    });
                }
                Action::Reject(error) => {
                    let body = match (&last, error.kind) {
                        (Some(read), ErrorKind::Api | ErrorKind::Auth | ErrorKind::Relay)
                            if !read.answer.redirect
                                && !(300..400).contains(&read.answer.status) =>
                        {
                            Some(read.parsed.clone()).filter(|p| !p.is_undefined())
                        }
                        _ => None,
                    };
                    if let Some(read) = last {
                        if body.is_none() {
                            read.answer.discard();
                        }
                    }
                    return Err(Fail { error, body });
                }
            };
        }
    }

    /// Tells `exchange` that its attempt got no answer (`error` says why).
    fn failed(&self, exchange: &mut Exchange, fault: Fault, error: &Error) -> Action {
        let outcome = Outcome::Failed {
            fault,
            reason: &error.message,
        };
        exchange.on_outcome(&mut self.session.borrow_mut(), outcome, js_sys::Date::now())
    }

    /// Waits until `flight` has settled, or until `until_ms`; then asks `exchange` what next. Fails
    /// with the exchange's abort error as soon as `signal` fires.
    async fn await_flight(
        self: &Rc<Self>,
        exchange: &mut Exchange,
        flight: FlightId,
        until_ms: Option<f64>,
        signal: Option<&AbortSignal>,
    ) -> Result<Action, Fail> {
        let settled = FlightSettled {
            inner: self.clone(),
            flight,
        };
        let ms = until_ms.map(|until| (until - js_sys::Date::now()).max(0.0));
        // Settled or out of time alike, the exchange says what follows.
        if transport::abortable(settled, signal, ms).await.is_err() {
            return Err(exchange.abort(&mut self.session.borrow_mut()).into());
        }
        Ok(exchange.next(&mut self.session.borrow_mut(), js_sys::Date::now()))
    }

    /// Calls an observability hook with the attempt (headers never included) and ignores its failures,
    /// a thrown error or a rejected promise alike (an unhandled rejection would end a Node process).
    fn hook(
        &self,
        hook: &Option<js_sys::Function>,
        call: &Call,
        url: &str,
        status: Option<u16>,
        attempt: u32,
    ) {
        if let Some(f) = hook {
            let info = Object::new();
            if let Some(op) = call.operation {
                js::set(&info, "operationId", &JsValue::from_str(op));
            }
            js::set(&info, "method", &JsValue::from_str(call.method.as_str()));
            js::set(&info, "url", &JsValue::from_str(url));
            js::set(&info, "attempt", &JsValue::from(attempt));
            if let Some(s) = status {
                js::set(&info, "status", &JsValue::from(s));
            }
            if let Ok(returned) = f.call1(&JsValue::UNDEFINED, &info) {
                if let Ok(promise) = returned.dyn_into::<Promise>() {
                    transport::ignore_rejection(&promise);
                }
            }
        }
    }

    /// Wakes every call waiting on an authentication.
    fn flight_settled(&self) {
        for waker in self.waiting.borrow_mut().drain(..) {
            waker.wake();
        }
    }
}

/// Resolves once `flight` is no longer in flight.
struct FlightSettled {
    inner: Rc<Inner>,
    flight: FlightId,
}

impl Future for FlightSettled {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.inner.session.borrow().in_flight() != Some(self.flight) {
            return Poll::Ready(());
        }
        let mut waiting = self.inner.waiting.borrow_mut();
        if !waiting.iter().any(|w| w.will_wake(cx.waker())) {
            waiting.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Runs one authentication, detached from the call that leads it (a call that gives up does not
/// abandon the others); its flight is abandoned, failing its followers, if it is dropped unfinished.
async fn authenticate(inner: Rc<Inner>, mut auth: Authentication) {
    struct Settle(Rc<Inner>, FlightId);
    impl Drop for Settle {
        fn drop(&mut self) {
            self.0.session.borrow_mut().abandon(self.1);
            self.0.flight_settled();
        }
    }
    let _settle = Settle(inner.clone(), auth.flight());
    let url = format!("{}{}", inner.config.base, crate::path::AUTH_PATH);
    let mut action = auth.next(&mut inner.session.borrow_mut(), js_sys::Date::now());
    loop {
        action = match action {
            Action::Send(attempt) => {
                // The body holds the password: the copy in wasm memory is wiped once it is in JavaScript.
                let text = match &attempt.body {
                    Outgoing::Json(json) => JsValue::from_str(json),
                    Outgoing::Prepared | Outgoing::Empty => JsValue::UNDEFINED,
                };
                drop(attempt.body);
                let sent = transport::Attempt {
                    method: attempt.method.as_str(),
                    url: &url,
                    content_type: Some("application/json"),
                    cookie: None,
                    mark: None,
                    body: Some(&text),
                    timeout_ms: attempt.timeout_ms,
                    signal: None,
                    fetch: inner.config.fetch.as_ref(),
                    read_limit: Some(inner.config.max_response_bytes),
                };
                let result = transport::send(sent)
                    .await
                    .map(|a| Read::new(&inner, a, true));
                let now = js_sys::Date::now();
                let mut session = inner.session.borrow_mut();
                match result {
                    Ok(read) => auth.on_outcome(&mut session, Outcome::Answered(read.seen()), now),
                    Err(Failed::Attempt(fault, error)) => {
                        let outcome = Outcome::Failed {
                            fault,
                            reason: &error.message,
                        };
                        auth.on_outcome(&mut session, outcome, now)
                    }
                    // The auth call has no signal.
                    Err(Failed::Aborted { .. }) => return,
                }
            }
            Action::Wait { ms } => {
                // A wait without a signal only ends with its timer.
                let _ = transport::sleep(ms, None).await;
                auth.next(&mut inner.session.borrow_mut(), js_sys::Date::now())
            }
            // Settled: the flight's result is in the session; `_settle` wakes the waiting calls.
            _ => return,
        };
    }
}

/// What a success's `data` holds, for the one-id-per-message check.
fn ids(data: &JsValue) -> Ids {
    if !js_sys::Array::is_array(data) {
        return Ids::Other;
    }
    let list = js_sys::Array::from(data);
    Ids::Array {
        len: list.length() as usize,
        all_ids: list.iter().all(|id| {
            id.as_string().is_some_and(|s| !s.is_empty()) || id.as_f64().is_some_and(f64::is_finite)
        }),
    }
}
