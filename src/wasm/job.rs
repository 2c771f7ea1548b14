//! One method call as JavaScript runs it (js/drive.js): a synchronous object over the core's
//! [`Exchange`] that says which [`Step`] comes next, starts the attempts it asks for through fetch,
//! hears what became of them, and shapes the result into JavaScript values. JavaScript does only the
//! waiting: on fetch, on timers, on the caller's signal, on an authentication another call leads.
//! Every decision — retries, the replay after a 401, the deadline, a relay's answers, whether a failed
//! call may have been sent — is the core's.

use super::js::{self, get};
use super::state::{CallLimits, Fail, Inner};
use super::transport::{self, Answer, Failed};
use crate::endpoints::Method;
use crate::envelope::{self, Flag, Ids};
use crate::error::{Error, ErrorKind};
use crate::exchange::{note_not_repeated, Action, Authentication, Exchange, Request, Resolution};
use crate::relay;
use crate::retry::{self, Outcome};
use crate::session;
use crate::step::{Outgoing, Policy};
use js_sys::{Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;
use zeroize::Zeroizing;

/// What the driver does next (the core's [`Action`], as JavaScript sees it).
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum Step {
    /// Start the attempt (`send()`), then report it (`answered()` / `failed()`).
    Send,
    /// Wait `waitMs()`, then `next()`.
    Wait,
    /// Run `lead()`'s authentication detached, then wait as for `AwaitAuthentication`.
    Authenticate,
    /// While `waiting()`, wait for an authentication to settle (at most until `untilMs()`), then `next()`.
    AwaitAuthentication,
    /// Settled: `result()` resolves or throws.
    Settle,
}

/// A call's request body, ready to send: a JSON text, a multipart Blob or a stream (`undefined` for
/// none), its `Content-Type`, and the hash that is signed (empty for none).
pub(super) struct Payload {
    pub body: JsValue,
    pub content_type: Option<String>,
    pub hash: String,
}

impl Payload {
    /// A body, its type and its hash (`None`: no body, signed with the empty hash).
    pub fn new(body: JsValue, content_type: Option<String>, hash: Option<String>) -> Payload {
        Payload {
            body,
            content_type,
            hash: hash.unwrap_or_default(),
        }
    }
}

/// What the job needs of a call beyond its exchange.
struct Call {
    operation: Option<&'static str>,
    method: Method,
    payload: Payload,
    /// Read and decode the body (a relay passes the Response through instead).
    read_body: bool,
    /// sendEmail's message count: its success must carry one sendmail id per message.
    ids_due: Option<usize>,
}

/// Where the job stands.
#[allow(
    clippy::large_enum_variant,
    reason = "one per call, held in place on the heap where wasm-bindgen keeps the job"
)]
enum Run {
    /// A call's exchange (or the session's own: `call` is then `None`).
    Exchange(Exchange, Option<Call>),
    /// An authentication, detached from the call that leads it; its flight is abandoned, failing the
    /// calls that follow it, if the job is freed unfinished.
    Auth(Authentication),
}

/// One method call (or one authentication) under way.
#[wasm_bindgen]
pub struct Job {
    inner: Rc<Inner>,
    run: Run,
    signal: Option<AbortSignal>,
    /// The action asked for and not yet carried out.
    action: Option<Action>,
    /// The URL and number of the attempt in flight (what the hooks are told).
    sent: (String, u32),
    /// The last answer (its body read, or passed on unread).
    last: Option<Read>,
}

impl Job {
    /// A call of `request` with its body, starting now.
    pub(super) fn call(
        inner: Rc<Inner>,
        request: Request,
        payload: Payload,
        ids_due: Option<usize>,
        limits: &CallLimits,
        signal: Option<AbortSignal>,
    ) -> Job {
        let call = Call {
            operation: request.operation,
            method: request.method,
            payload,
            read_body: request.decode,
            ids_due,
        };
        let exchange = Exchange::call(request, inner.policy(limits), js::seed());
        Job::new(inner, Run::Exchange(exchange, Some(call)), signal)
    }

    /// An exchange of the session's own (authenticate, revoke), starting now.
    pub(super) fn session(
        inner: Rc<Inner>,
        exchange: fn(Policy, u64) -> Exchange,
        limits: &CallLimits,
        signal: Option<AbortSignal>,
    ) -> Job {
        let exchange = exchange(inner.policy(limits), js::seed());
        Job::new(inner, Run::Exchange(exchange, None), signal)
    }

    fn new(inner: Rc<Inner>, run: Run, signal: Option<AbortSignal>) -> Job {
        Job {
            inner,
            run,
            signal,
            action: None,
            sent: (String::new(), 0),
            last: None,
        }
    }

    fn call_of(&self) -> Option<&Call> {
        match &self.run {
            Run::Exchange(_, call) => call.as_ref(),
            Run::Auth(_) => None,
        }
    }

    /// Whether an answer's body is read and decoded (a relay's forward passes it on unread).
    fn reads_body(&self) -> bool {
        self.call_of().is_none_or(|c| c.read_body)
    }

    /// Records `action` and says which step it is.
    fn ask(&mut self, action: Action) -> Step {
        let step = match &action {
            Action::Send(_) => Step::Send,
            Action::Wait { .. } => Step::Wait,
            Action::Authenticate { .. } => Step::Authenticate,
            Action::AwaitAuthentication { .. } => Step::AwaitAuthentication,
            Action::Resolve(_) | Action::Reject(_) => Step::Settle,
        };
        self.action = Some(action);
        step
    }

    /// The outcome of the attempt, told to the exchange or the authentication.
    fn tell(&mut self, outcome: Outcome<'_>) -> Action {
        let now = js_sys::Date::now();
        let mut session = self.inner.session.borrow_mut();
        match &mut self.run {
            Run::Exchange(exchange, _) => exchange.on_outcome(&mut session, outcome, now),
            Run::Auth(auth) => auth.on_outcome(&mut session, outcome, now),
        }
    }
}

#[wasm_bindgen]
impl Job {
    /// The caller's signal, if the call has one.
    #[wasm_bindgen(getter)]
    pub fn signal(&self) -> Option<AbortSignal> {
        self.signal.clone()
    }

    /// The first step, and the next one after a wait.
    #[wasm_bindgen(js_name = next)]
    pub fn next_step(&mut self) -> Step {
        let now = js_sys::Date::now();
        let mut session = self.inner.session.borrow_mut();
        let action = match &mut self.run {
            Run::Exchange(exchange, _) => exchange.next(&mut session, now),
            Run::Auth(auth) => auth.next(&mut session, now),
        };
        drop(session);
        self.ask(action)
    }

    /// Starts the attempt asked for: a promise of `{ response, text, oversized }` that rejects with
    /// `{ error, timedOut }`.
    pub fn send(&mut self) -> Promise {
        let Some(Action::Send(attempt)) = self.action.take() else {
            return Promise::reject(&unstarted_js());
        };
        let auth = matches!(self.run, Run::Auth(_));
        if let Some(previous) = self.last.take() {
            previous.answer.discard();
        }
        let config = &self.inner.config;
        let url = format!("{}{}", config.base, attempt.target);
        if let Some(call) = self.call_of() {
            hook(&config.on_request, call, &url, None, attempt.number);
        }
        self.sent = (url, attempt.number);
        // The auth call's body holds the password: the copy in wasm memory is wiped once it is in JavaScript.
        let json = match &attempt.body {
            Outgoing::Json(text) => Some(JsValue::from_str(text)),
            Outgoing::Prepared | Outgoing::Empty => None,
        };
        let call = self.call_of();
        let (content_type, body) = match (&attempt.body, call) {
            (Outgoing::Json(_), _) => (Some("application/json"), json.as_ref()),
            (Outgoing::Prepared, Some(c)) => (
                c.payload.content_type.as_deref(),
                Some(&c.payload.body).filter(|b| !b.is_undefined()),
            ),
            _ => (None, None),
        };
        let read_body = self.reads_body();
        transport::start(transport::Attempt {
            method: attempt.method.as_str(),
            url: &self.sent.0,
            content_type,
            cookie: attempt.cookie.as_ref().map(session::Cookie::expose),
            mark: (self.inner.relay && !auth).then_some((relay::HEADER, relay::REQUEST_MARK)),
            body,
            timeout_ms: attempt.timeout_ms,
            // The auth call has no signal: others may be waiting on it.
            signal: if auth { None } else { self.signal.as_ref() },
            fetch: config.fetch.as_ref(),
            read_limit: read_body.then_some(config.max_response_bytes),
        })
    }

    /// The attempt's fetch settled with `outcome` (what `send()`'s promise resolved to).
    pub fn answered(&mut self, outcome: JsValue) -> Step {
        let answer = transport::answer(outcome, self.reads_body());
        if let Some(call) = self.call_of() {
            let (url, number) = &self.sent;
            let status = Some(answer.status);
            hook(&self.inner.config.on_response, call, url, status, *number);
        }
        let read = Read::new(&self.inner, answer, matches!(self.run, Run::Auth(_)));
        let action = self.tell(Outcome::Answered(read.seen()));
        self.last = Some(read);
        self.ask(action)
    }

    /// The attempt's fetch failed with `miss` (what `send()`'s promise rejected with); `aborted`: the
    /// caller's signal had fired.
    pub fn failed(&mut self, miss: JsValue, aborted: bool) -> Step {
        match transport::classify(&miss, aborted, &self.sent.0) {
            Failed::Aborted { started } => self.abort(started),
            Failed::Attempt(fault, error) => {
                let action = self.tell(Outcome::Failed {
                    fault,
                    reason: &error.message,
                });
                self.ask(action)
            }
        }
    }

    /// The caller's signal fired: before the attempt asked for was started (`started: false`), or
    /// while the call was sending or waiting. (An authentication has no signal.)
    pub fn abort(&mut self, started: bool) -> Step {
        let error = match &mut self.run {
            Run::Exchange(exchange, _) => {
                if !started {
                    exchange.unsent();
                }
                exchange.abort(&mut self.inner.session.borrow_mut())
            }
            Run::Auth(_) => unstarted(),
        };
        self.ask(Action::Reject(error))
    }

    /// How long the wait asked for lasts, in milliseconds.
    #[wasm_bindgen(js_name = waitMs)]
    pub fn wait_ms(&self) -> f64 {
        match self.action {
            Some(Action::Wait { ms }) => ms,
            _ => 0.0,
        }
    }

    /// The authentication this call leads, to run detached (free it when it has settled).
    pub fn lead(&mut self) -> Option<Job> {
        let action = self.action.take()?;
        let Action::Authenticate { auth, .. } = action else {
            self.action = Some(action);
            return None;
        };
        // The call waits for it with no timer of its own: the authentication runs within the call's time.
        let flight = auth.flight();
        self.action = Some(Action::AwaitAuthentication {
            flight,
            until_ms: None,
        });
        Some(Job::new(self.inner.clone(), Run::Auth(auth), None))
    }

    /// Until when the call waits for an authentication (its deadline), if it has one.
    #[wasm_bindgen(js_name = untilMs)]
    pub fn until_ms(&self) -> Option<f64> {
        match self.action {
            Some(Action::AwaitAuthentication { until_ms, .. }) => until_ms,
            _ => None,
        }
    }

    /// Whether the authentication the call waits for is still in flight.
    pub fn waiting(&self) -> bool {
        match self.action {
            Some(Action::AwaitAuthentication { flight, .. }) => {
                self.inner.session.borrow().in_flight() == Some(flight)
            }
            _ => false,
        }
    }

    /// What the call settled with: its value, or (thrown) its `LuxSciError`.
    pub fn result(&mut self) -> Result<JsValue, JsValue> {
        let settled = match self.action.take() {
            Some(Action::Resolve(resolution)) => self.resolved(resolution),
            Some(Action::Reject(error)) => Err(self.rejected(error)),
            _ => Err(Fail::from(unstarted())),
        };
        settled.map_err(|fail| fail.into_js(&self.inner))
    }
}

impl Job {
    fn resolved(&mut self, resolution: Resolution) -> Result<JsValue, Fail> {
        let last = self.last.take();
        match resolution {
            Resolution::Nothing => Ok(JsValue::UNDEFINED),
            Resolution::Answer => {
                Ok(last.map_or(JsValue::UNDEFINED, |read| read.answer.response.into()))
            }
            Resolution::Data => {
                let parsed = last.map_or(JsValue::UNDEFINED, |read| read.parsed);
                let data = get(&parsed, "data");
                let call = self.call_of();
                let Some(due) = call.and_then(|c| c.ids_due) else {
                    return Ok(data);
                };
                let Err(message) = envelope::check_ids(due, ids(&data)) else {
                    return Ok(data);
                };
                // LuxSci said it sent, but not with one id per message: it was sent all the same.
                let mut error = Error::new(ErrorKind::Api, message)
                    .with_status(200)
                    .for_operation(call.and_then(|c| c.operation));
                note_not_repeated(&mut error, true);
                Err(Fail {
                    error,
                    body: Some(parsed),
                })
            }
        }
    }

    fn rejected(&mut self, error: Error) -> Fail {
        let last = self.last.take();
        let body = match (&last, error.kind) {
            (Some(read), ErrorKind::Api | ErrorKind::Auth | ErrorKind::Relay)
                if !read.answer.redirect && !(300..400).contains(&read.answer.status) =>
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
        Fail { error, body }
    }
}

impl Drop for Job {
    /// An authentication freed unfinished abandons its flight (settling it, failing its followers).
    fn drop(&mut self) {
        if let Run::Auth(auth) = &self.run {
            self.inner.session.borrow_mut().abandon(auth.flight());
        }
    }
}

/// The error of a step asked out of turn (the driver's own mistake, never the caller's).
fn unstarted() -> Error {
    Error::validation("the call is not at that step")
}

fn unstarted_js() -> JsValue {
    js::to_js_error(&unstarted(), None)
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
            envelope::Body::NotJson
        } else if !self.parsed.is_object() || js_sys::Array::is_array(&self.parsed) {
            // JSON.parse made it: anything but an array or a primitive is a plain object.
            envelope::Body::NotObject
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
            envelope::Body::Object {
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

/// Calls an observability hook with the attempt (headers never included) and ignores its failures,
/// a thrown error or a rejected promise alike (an unhandled rejection would end a Node process).
fn hook(
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
            transport::quiet(&returned);
        }
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
