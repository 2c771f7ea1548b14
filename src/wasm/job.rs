//! One method call as JavaScript runs it (js/drive.js): a synchronous object over the core's
//! [`Exchange`] that says which [`Step`] comes next, describes the attempt it asks for, hears what
//! became of it (the answer as js/attempt.js read it: numbers and bounded strings), and says how the
//! call settled. JavaScript does the IO and the waiting: fetch, timers, the caller's signal, an
//! authentication another call leads. Every decision — retries, the replay after a 401, the deadline,
//! a relay's answers, whether a failed call may have been sent — is the core's.

use super::js;
use super::state::{CallLimits, Inner};
use crate::envelope::{self, Flag, Ids};
use crate::error::{Error, ErrorKind};
use crate::exchange::{note_not_repeated, Action, Authentication, Exchange, Request, Resolution};
use crate::prelude::*;
use crate::retry::{self, Fault, Outcome};
use crate::step::{Outgoing, Policy};
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
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
    /// Settled: `settle()` says how.
    Settle,
}

/// How a call settled (`settle()`).
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum Settled {
    /// Resolved with nothing (`undefined`).
    Nothing,
    /// Resolved with the last answer itself, its body unread (a relay's pass-through).
    Answer,
    /// Resolved with the last answer's envelope `data`.
    Data,
    /// Rejected with `error()`.
    Failed,
    /// Rejected with `error()`, which carries the last answer's parsed body (LuxSci's own failure).
    FailedWithBody,
}

/// What the job needs of a call beyond its exchange.
struct Call {
    operation: Option<&'static str>,
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
    /// The action asked for and not yet carried out.
    action: Option<Action>,
    /// The last answer's status, and whether it was a redirect (it decides which errors carry its body).
    last: Option<(u16, bool)>,
    /// The rejection, once `settle()` has reported it.
    error: Option<Error>,
}

impl Job {
    /// A call of `request`, starting now.
    pub(super) fn call(
        inner: Rc<Inner>,
        request: Request,
        ids_due: Option<usize>,
        limits: &CallLimits,
    ) -> Job {
        let call = Call {
            operation: request.operation,
            ids_due,
        };
        let exchange = Exchange::call(request, inner.policy(limits), js::seed());
        Job::new(inner, Run::Exchange(exchange, Some(call)))
    }

    /// An exchange of the session's own (authenticate, revoke), starting now.
    pub(super) fn session(
        inner: Rc<Inner>,
        exchange: fn(Policy, u64) -> Exchange,
        limits: &CallLimits,
    ) -> Job {
        let exchange = exchange(inner.policy(limits), js::seed());
        Job::new(inner, Run::Exchange(exchange, None))
    }

    fn new(inner: Rc<Inner>, run: Run) -> Job {
        Job {
            inner,
            run,
            action: None,
            last: None,
            error: None,
        }
    }

    fn call_of(&self) -> Option<&Call> {
        match &self.run {
            Run::Exchange(_, call) => call.as_ref(),
            Run::Auth(_) => None,
        }
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
    fn tell(&mut self, outcome: Outcome<'_>) -> Step {
        let now = js_sys::Date::now();
        let mut session = self.inner.session.borrow_mut();
        let action = match &mut self.run {
            Run::Exchange(exchange, _) => exchange.on_outcome(&mut session, outcome, now),
            Run::Auth(auth) => auth.on_outcome(&mut session, outcome, now),
        };
        drop(session);
        self.ask(action)
    }
}

#[wasm_bindgen]
impl Job {
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

    /// Takes the attempt asked for, described as `[body, url, method, attempt, timeoutMs, cookie,
    /// json]`: what body it sends (0 none, 1 `json`, 2 the body the call prepared), its URL (the
    /// client's base and the path and query exactly as signed), its HTTP method, its number (1 for the
    /// first, then 2, 3, …), its own timeout in milliseconds, its `Cookie` header
    /// (`signature=<auth code>:<signature>`) if signed, and its JSON body (the authentication's, which
    /// holds the password) if it has one. The cookie and the JSON text are made JavaScript strings
    /// straight from the attempt's copies, which are wiped as it is dropped here. Throws when no
    /// attempt was asked for.
    pub fn send(&mut self) -> Result<Vec<JsValue>, JsValue> {
        let Some(Action::Send(attempt)) = self.action.take() else {
            return Err(js::to_js_error(&unstarted()));
        };
        let (body, json) = match &attempt.body {
            Outgoing::Empty => (0u8, JsValue::UNDEFINED),
            Outgoing::Json(text) => (1, JsValue::from_str(text)),
            Outgoing::Prepared => (2, JsValue::UNDEFINED),
        };
        let mut url = self.inner.config.base.clone();
        url.push_str(&attempt.target);
        let cookie = attempt
            .cookie
            .as_ref()
            .map_or(JsValue::UNDEFINED, |c| JsValue::from_str(c.expose()));
        Ok(vec![
            body.into(),
            url.into(),
            attempt.method.as_str().into(),
            attempt.number.into(),
            attempt.timeout_ms.into(),
            cookie,
            json,
        ])
    }

    /// The table operation the call addresses, if any (what the client's hooks are told).
    #[wasm_bindgen(js_name = operationId)]
    pub fn operation_id(&self) -> Option<String> {
        self.call_of()?.operation.map(str::to_owned)
    }

    /// The attempt was answered, as js/attempt.js read it: `status`; `redirect`, one its status does
    /// not show; `read`, the body was read (a relay passes it on unread); `oversized`, it passed
    /// `maxResponseBytes`; `body`, what it parsed to (0 not JSON, 1 not an object, 2 an object);
    /// that object's `success` (`flag`: 0 missing, 1 boolean, 2 number, 3 string, 4 anything else,
    /// with `flagNumber` (a boolean as 1 or 0) or `flagText`) and `error_message`, each string cut
    /// to its window (`Core.windows()`); the authentication's `auth`; the `Location`,
    /// `luxsci-relay` and `Retry-After` headers, with `Retry-After` as a date (`Date.parse`, NaN when
    /// it is none) and the `Date` header in seconds (an authentication's, which alone reads it).
    #[allow(
        clippy::too_many_arguments,
        reason = "one crossing from JavaScript, flat arguments"
    )]
    pub fn answered(
        &mut self,
        status: u16,
        redirect: bool,
        read: bool,
        oversized: bool,
        body: u8,
        flag: u8,
        flag_number: f64,
        flag_text: Option<String>,
        message: Option<String>,
        auth: Option<String>,
        location: Option<String>,
        mark: Option<String>,
        retry_after: Option<String>,
        retry_after_date: f64,
        date_secs: Option<f64>,
    ) -> Step {
        // The message may echo a credential: its copy in wasm memory is wiped.
        let message = message.map(Zeroizing::new);
        let success = match flag {
            0 => Flag::Missing,
            1 => Flag::Bool(flag_number != 0.0),
            2 => Flag::Number(flag_number),
            3 => Flag::Text(flag_text.as_deref().unwrap_or_default()),
            _ => Flag::Other,
        };
        let body = match body {
            _ if oversized => envelope::Body::NotJson,
            2 => envelope::Body::Object {
                success,
                error_message: message.as_deref().map(String::as_str),
            },
            1 => envelope::Body::NotObject,
            _ => envelope::Body::NotJson,
        };
        let now = js_sys::Date::now();
        let parse_date = |_: &str| Some(retry_after_date).filter(|t| t.is_finite());
        let answer = retry::Answer {
            status,
            body: read.then_some(body),
            retry_after_ms: retry_after
                .as_deref()
                .and_then(|value| retry::retry_after_ms(value, now, parse_date)),
            date_secs,
            location: location.as_deref(),
            auth: auth.as_deref(),
            redirect,
            relay: mark.as_deref(),
            oversized: oversized.then_some(retry::Limit {
                value: u64::from(self.inner.config.max_response_bytes),
                option: "maxResponseBytes",
            }),
        };
        self.last = Some((status, redirect));
        self.tell(Outcome::Answered(answer))
    }

    /// The attempt got no answer: `fault` says how (0 refused: nothing was sent; 1 dropped after it
    /// may have been received; 2 timed out; 3 a failure that cannot be classified) and `reason` in
    /// words (the error's message).
    pub fn failed(&mut self, fault: u8, reason: &str) -> Step {
        let fault = match fault {
            0 => Fault::Refused,
            1 => Fault::Dropped,
            2 => Fault::TimedOut,
            _ => Fault::Unclassified,
        };
        self.tell(Outcome::Failed { fault, reason })
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
        Some(Job::new(self.inner.clone(), Run::Auth(auth)))
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

    /// How the call settled. `ids`: the length of the last answer's `data` when it is an array (else
    /// -1), and `allIds`, whether its every entry is a sendmail id (a non-empty string or a finite
    /// number): a send's success must carry one per message.
    pub fn settle(&mut self, ids: i32, all_ids: bool) -> Settled {
        let error = match self.action.take() {
            Some(Action::Resolve(Resolution::Nothing)) => return Settled::Nothing,
            Some(Action::Resolve(Resolution::Answer)) => return Settled::Answer,
            Some(Action::Resolve(Resolution::Data)) => {
                let ids = match usize::try_from(ids) {
                    Ok(len) => Ids::Array { len, all_ids },
                    Err(_) => Ids::Other,
                };
                let call = self.call_of();
                let Some(Err(message)) = call
                    .and_then(|c| c.ids_due)
                    .map(|due| envelope::check_ids(due, ids))
                else {
                    return Settled::Data;
                };
                // LuxSci said it sent, but not with one id per message: it was sent all the same.
                let mut error = Error::new(ErrorKind::Api, message)
                    .with_status(200)
                    .for_operation(call.and_then(|c| c.operation));
                note_not_repeated(&mut error, true);
                error
            }
            Some(Action::Reject(error)) => error,
            _ => unstarted(),
        };
        // LuxSci's own failures carry the body it answered (not a redirect's, nor a relay's own).
        let shows_body = matches!(
            error.kind,
            ErrorKind::Api | ErrorKind::Auth | ErrorKind::Relay
        ) && self
            .last
            .is_some_and(|(status, redirect)| !redirect && !(300..400).contains(&status));
        self.error = Some(error);
        if shows_body {
            Settled::FailedWithBody
        } else {
            Settled::Failed
        }
    }

    /// The error the call was rejected with (`settle()`): a `LuxSciError`, credentials a server
    /// echoed scrubbed from its message.
    pub fn error(&mut self) -> JsValue {
        let error = self.error.take().unwrap_or_else(unstarted);
        self.inner.js_error(error)
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
