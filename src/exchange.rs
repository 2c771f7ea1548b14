//! One call's exchange with LuxSci, without IO: a state machine fed with what became of each attempt
//! ([`Outcome`]) that answers with what its driver does next ([`Action`]): send this signed request,
//! wait, authenticate (or wait for the authentication in flight), resolve, reject. It owns the rules —
//! authentication first, signing of the exact bytes, retries only where [`verdict`] allows, one replay
//! after a 401 with a fresh code, no redirect ever followed, the whole-call deadline, a relay's own
//! answer taken as final (relay mode), and whether a failed call may have been sent. A driver (wasm, native) only moves bytes and keeps time.

use crate::endpoints::{self, Endpoint, Method};
use crate::envelope::{self, Body};
use crate::error::{Error, ErrorKind};
use crate::path::{API_PREFIX, AUTH_PATH};
use crate::prelude::*;
use crate::relay;
use crate::retry::{verdict, Next, Outcome};
use crate::session::{judged, skew_correction, usable_code, Acquire, FlightId, Session};
use crate::step::{fault_error, redirect_error, Attempt, Deadline, Outgoing, Policy, Retries};
use crate::text::text;
use alloc::sync::Arc;
use core::fmt;

/// A request of a call, as it goes on the wire for every attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The table operation, when it is one (errors carry it).
    pub operation: Option<&'static str>,
    /// The method.
    pub method: Method,
    /// The encoded absolute path (`/perl/api/v2/...`).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    /// The hash of the body that is signed (see `signing::body_hash`; empty when there is no body).
    pub body_hash: String,
    /// Whether a request that may have reached LuxSci may be repeated.
    pub idempotent: bool,
    /// Whether the body can be sent again (false for a stream): no retry and no replay otherwise.
    pub resendable: bool,
    /// Whether the answer is decoded as an envelope (false: a relay hands it back as it is).
    pub decode: bool,
}

impl Request {
    /// A request of the table operation `endpoint` at `path` (built by `path::build`).
    pub fn operation(
        endpoint: &'static Endpoint,
        path: String,
        query: String,
        body_hash: String,
    ) -> Request {
        Request {
            operation: Some(endpoint.id),
            method: endpoint.method,
            path,
            query,
            body_hash,
            idempotent: endpoint.idempotent(),
            resendable: true,
            decode: true,
        }
    }

    /// A request of `request()`: any `path` (absolute, from `path::split_custom`), named after the
    /// table operation it addresses, if any, and as repeatable as that operation (else its method).
    pub fn custom(method: Method, path: String, query: String, body_hash: String) -> Request {
        let relative = path.strip_prefix(API_PREFIX).unwrap_or(&path);
        let endpoint = endpoints::match_route(method, relative);
        Request {
            operation: endpoint.map(|e| e.id),
            method,
            idempotent: endpoint.map_or(method.idempotent(), Endpoint::idempotent),
            path,
            query,
            body_hash,
            resendable: true,
            decode: true,
        }
    }
}

/// What a settled call resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The last answer's envelope `data` (nothing when it has none).
    Data,
    /// Nothing (authenticated; revoked, or nothing to revoke).
    Nothing,
    /// The last answer itself, undecoded (a relay's pass-through).
    Answer,
}

/// What the driver does next.
#[derive(Debug)]
pub enum Action {
    /// Send this attempt, then report its outcome to `on_outcome`.
    Send(Attempt),
    /// Wait this long, then call `next`.
    Wait {
        /// Milliseconds.
        ms: f64,
    },
    /// Run this authentication (detached from the call: others may wait on it), then call `next`
    /// once it has settled, or at `until_ms` if that comes first.
    Authenticate {
        /// The auth call's exchange.
        auth: Authentication,
        /// The call's deadline.
        until_ms: Option<f64>,
    },
    /// Another call is authenticating: call `next` once that flight has settled, or at `until_ms`.
    AwaitAuthentication {
        /// The flight waited on.
        flight: FlightId,
        /// The call's deadline.
        until_ms: Option<f64>,
    },
    /// Settled: resolve.
    Resolve(Resolution),
    /// Settled: reject with this error (credentials already redacted from its message).
    Reject(Error),
}

#[derive(Debug, PartialEq)]
enum Kind {
    Call(Request),
    Authenticate,
    Revoke,
}

/// One call's exchange.
pub struct Exchange {
    kind: Kind,
    retries: Retries,
    number: u32,
    replayed: bool,
    arrived: bool,
    sending: bool,
    settled: bool,
    code: Option<Arc<str>>,
    waited: Option<FlightId>,
    follows: bool,
}

impl fmt::Debug for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchange")
            .field("kind", &self.kind)
            .field("attempts", &self.number)
            .field("replayed", &self.replayed)
            .field("may_have_arrived", &self.arrived)
            .field("settled", &self.settled)
            .finish_non_exhaustive()
    }
}

impl Exchange {
    /// A call of `request`. `seed` feeds the backoff's jitter.
    pub fn call(request: Request, policy: Policy, seed: u64) -> Exchange {
        Exchange::new(Kind::Call(request), policy, seed)
    }

    /// `authenticate()`: settles once the session holds a code (at once in relay mode).
    pub fn authenticate(policy: Policy, seed: u64) -> Exchange {
        Exchange::new(Kind::Authenticate, policy, seed)
    }

    /// `revokeAuthentication()`: `DELETE /auth` with the cached code (or the one of the authentication
    /// in flight), then the code is dropped; nothing is sent when there is none.
    pub fn revoke(policy: Policy, seed: u64) -> Exchange {
        Exchange::new(Kind::Revoke, policy, seed)
    }

    fn new(kind: Kind, policy: Policy, seed: u64) -> Exchange {
        Exchange {
            kind,
            retries: Retries::new(policy, seed),
            number: 0,
            replayed: false,
            arrived: false,
            sending: false,
            settled: false,
            code: None,
            waited: None,
            follows: false,
        }
    }

    /// The first action, and the next one after a `Wait` or an authentication.
    pub fn next(&mut self, session: &mut Session, now_ms: f64) -> Action {
        if self.settled {
            return self.reject(session, Error::validation("this call has already settled"));
        }
        let policy = self.retries.policy;
        if let Some(spent) = self.retries.spent(now_ms) {
            let option = policy.deadline.map_or("", |d| d.option);
            let error = if self.follows && session.in_flight() == self.waited {
                Error::new(
                    ErrorKind::Timeout,
                    text!(
                        "the call's ",
                        option,
                        " ran out while it waited for an authentication another call started"
                    ),
                )
            } else {
                spent
            };
            return self.reject(session, error);
        }
        let until_ms = policy.deadline.map(|d| d.at_ms);
        if self.kind == Kind::Revoke {
            if self.code.is_none() {
                self.code = session.code();
            }
            if self.code.is_none() {
                return match session.in_flight() {
                    Some(flight) if self.waited != Some(flight) => {
                        self.waited = Some(flight);
                        Action::AwaitAuthentication { flight, until_ms }
                    }
                    _ => self.resolve(Resolution::Nothing),
                };
            }
        } else if session.signs() {
            // The authentication this call leads runs within what is left of the call's time.
            let auth_policy = Policy {
                deadline: policy
                    .deadline
                    .map(|d| Deadline::starting(now_ms, d.at_ms - now_ms, d.option)),
                ..policy
            };
            match session.acquire(self.waited) {
                Acquire::Ready(code) => {
                    self.code = Some(code);
                    self.waited = None;
                }
                Acquire::Lead(flight) => {
                    let auth = Authentication::new(flight, auth_policy, self.retries.seed());
                    self.waited = Some(flight);
                    self.follows = false;
                    return Action::Authenticate { auth, until_ms };
                }
                Acquire::Follow(flight) => {
                    self.waited = Some(flight);
                    self.follows = true;
                    return Action::AwaitAuthentication { flight, until_ms };
                }
                Acquire::Failed(error) => return self.reject(session, error),
            }
        }
        let (method, path, query, hash, body) = match &self.kind {
            Kind::Authenticate => return self.resolve(Resolution::Nothing),
            Kind::Revoke => (Method::Delete, AUTH_PATH, "", "", Outgoing::Empty),
            Kind::Call(r) => (
                r.method,
                r.path.as_str(),
                r.query.as_str(),
                r.body_hash.as_str(),
                Outgoing::Prepared,
            ),
        };
        let cookie = self
            .code
            .as_deref()
            .and_then(|code| session.cookie(code, method, path, query, hash));
        let target = if query.is_empty() {
            path.to_owned()
        } else {
            text!(path, "?", query)
        };
        let timeout_ms = self.retries.attempt_timeout(now_ms);
        self.number += 1;
        self.sending = true;
        Action::Send(Attempt {
            method,
            target,
            cookie,
            body,
            timeout_ms,
            number: self.number,
        })
    }

    /// What the outcome of the attempt just sent means.
    pub fn on_outcome(
        &mut self,
        session: &mut Session,
        outcome: Outcome<'_>,
        now_ms: f64,
    ) -> Action {
        self.sending = false;
        let idempotent = self.idempotent();
        let judged_outcome = verdict(idempotent, &outcome);
        self.arrived |= judged_outcome.may_have_arrived;
        if let Some(error) = self.retries.cut_short(&outcome) {
            return self.reject(session, error);
        }
        let resendable = match &self.kind {
            Kind::Call(r) => r.resendable,
            Kind::Authenticate | Kind::Revoke => true,
        };
        if judged_outcome.next == Next::Reauthenticate
            && resendable
            && !self.replayed
            && matches!(self.kind, Kind::Call(_))
        {
            if let Some(code) = self.code.take() {
                session.invalidate(&code);
                self.replayed = true;
                return self.next(session, now_ms);
            }
        }
        // A relay's own answer is final: the relay already retried what it could.
        let from_relay = !session.signs()
            && matches!(&outcome, Outcome::Answered(a) if relay::own_answer(a.relay));
        if resendable && !from_relay {
            match self.retries.next(&outcome, idempotent, now_ms) {
                Ok(Some(ms)) => return Action::Wait { ms },
                Ok(None) => {}
                Err(error) => return self.reject(session, error),
            }
        }
        let answer = match outcome {
            Outcome::Failed { fault, reason } => {
                return self.reject(session, fault_error(fault, reason));
            }
            Outcome::Answered(answer) => answer,
        };
        if let Some(error) = redirect_error(&answer) {
            return self.reject(session, error);
        }
        let decode = match &self.kind {
            Kind::Call(r) => r.decode,
            Kind::Authenticate => true,
            Kind::Revoke => {
                if let Some(code) = &self.code {
                    session.invalidate(code);
                }
                if answer.status == 401 {
                    // The session had already ended (expired or revoked elsewhere): nothing to revoke.
                    return self.resolve(Resolution::Nothing);
                }
                true
            }
        };
        if !decode {
            return self.resolve(Resolution::Answer);
        }
        if !session.signs() {
            // A relay-mode client: an answer that is not LuxSci's, passed through, is the relay's failure.
            let message = match answer.body {
                Some(Body::Object { error_message, .. }) => {
                    error_message.map(|m| envelope::server_text(m, &[]))
                }
                _ => None,
            };
            if let Some(failure) = relay::failure(answer.status, answer.relay, message.as_deref()) {
                let mut error = Error::new(ErrorKind::Relay, failure).with_status(answer.status);
                error.retry_after_ms = answer.retry_after_ms;
                return self.reject(session, error);
            }
        }
        let Some(message) = judged(session, &answer) else {
            return self.resolve(Resolution::Data);
        };
        let kind = if answer.status == 401 {
            ErrorKind::Auth
        } else {
            ErrorKind::Api
        };
        let mut error = Error::new(kind, message).with_status(answer.status);
        error.retry_after_ms = answer.retry_after_ms;
        self.reject(session, error)
    }

    /// The caller gave up (its signal fired): the error to reject with. An attempt in flight may
    /// have reached LuxSci.
    pub fn abort(&mut self, session: &mut Session) -> Error {
        self.arrived |= self.sending;
        self.sending = false;
        self.rejection(
            session,
            Error::new(ErrorKind::Abort, "the call was aborted by its signal"),
        )
    }

    /// The attempt asked for was never started (the caller's signal had already fired): it did not
    /// reach LuxSci.
    pub fn unsent(&mut self) {
        self.sending = false;
    }

    /// Whether the exchange has settled.
    pub fn settled(&self) -> bool {
        self.settled
    }

    fn idempotent(&self) -> bool {
        match &self.kind {
            Kind::Call(r) => r.idempotent,
            Kind::Authenticate | Kind::Revoke => true,
        }
    }

    fn resolve(&mut self, resolution: Resolution) -> Action {
        self.settled = true;
        Action::Resolve(resolution)
    }

    /// Settles with `error`, marked with the operation and, on a call that is not safe to repeat,
    /// whether it may have reached LuxSci.
    fn reject(&mut self, session: &Session, error: Error) -> Action {
        Action::Reject(self.rejection(session, error))
    }

    fn rejection(&mut self, session: &Session, error: Error) -> Error {
        self.settled = true;
        let operation = match &self.kind {
            Kind::Call(r) => r.operation,
            Kind::Authenticate => Some("authentication"),
            Kind::Revoke => Some("revokeAuthentication"),
        };
        let mut error = error.for_operation(operation);
        error.message = session.redact(&error.message);
        error.may_have_been_sent = None;
        if !self.idempotent() {
            note_not_repeated(&mut error, self.arrived);
        }
        error
    }
}

/// Records on the error of a call that is not safe to repeat whether its request may have reached
/// LuxSci, and says so in the message when it may: it was not repeated, so it must be checked.
pub fn note_not_repeated(error: &mut Error, may_have_been_sent: bool) {
    error.may_have_been_sent = Some(may_have_been_sent);
    if may_have_been_sent {
        error.message.push_str(
            " — the request may have reached LuxSci, so it was not repeated; check before sending again",
        );
    }
}

/// The auth call (`POST /auth`) of one flight: signed afresh for every attempt, retried on transport
/// failures and 408/429/5xx, its `date` corrected once from the server's `Date` when refused for it.
/// It settles the session's flight itself; its driver only sends, waits and reports.
#[derive(Debug)]
pub struct Authentication {
    flight: FlightId,
    retries: Retries,
    corrected: bool,
    date: i64,
    number: u32,
}

impl Authentication {
    fn new(flight: FlightId, policy: Policy, seed: u64) -> Authentication {
        Authentication {
            flight,
            retries: Retries::new(policy, seed),
            corrected: false,
            date: 0,
            number: 0,
        }
    }

    /// The flight this authentication settles.
    pub fn flight(&self) -> FlightId {
        self.flight
    }

    /// The first attempt (and the next after a `Wait`).
    pub fn next(&mut self, session: &mut Session, now_ms: f64) -> Action {
        let date = crate::float::floor(now_ms / 1000.0) as i64 + session.clock_offset();
        // The body holds the password; dropped unsent (and wiped) if the call's time is spent.
        let Some(body) = session.credentials().map(|c| c.auth_body(date)) else {
            return self.fail(
                session,
                Error::validation("a relay-mode client does not authenticate"),
            );
        };
        if let Some(error) = self.retries.spent(now_ms) {
            return self.fail(session, error);
        }
        self.date = date;
        self.number += 1;
        Action::Send(Attempt {
            method: Method::Post,
            target: AUTH_PATH.to_owned(),
            cookie: None,
            body: Outgoing::Json(body),
            timeout_ms: self.retries.attempt_timeout(now_ms),
            number: self.number,
        })
    }

    /// What the attempt's outcome means: another attempt, a wait, or the flight settled.
    pub fn on_outcome(
        &mut self,
        session: &mut Session,
        outcome: Outcome<'_>,
        now_ms: f64,
    ) -> Action {
        if let Some(error) = self.retries.cut_short(&outcome) {
            return self.fail(session, error);
        }
        match self.retries.next(&outcome, true, now_ms) {
            Ok(Some(ms)) => return Action::Wait { ms },
            Ok(None) => {}
            Err(error) => return self.fail(session, error),
        }
        let answer = match outcome {
            Outcome::Answered(answer) => answer,
            Outcome::Failed { fault, reason } => {
                return self.fail(session, fault_error(fault, reason))
            }
        };
        if matches!(answer.status, 401 | 403) {
            let offset = answer
                .date_secs
                .filter(|d| d.is_finite() && !self.corrected)
                .and_then(|d| skew_correction(self.date, d as i64));
            if let Some(offset) = offset {
                self.corrected = true;
                session.correct_clock(offset);
                return self.next(session, now_ms);
            }
            let message =
                judged(session, &answer).unwrap_or_else(|| "LuxSci refused the credentials".into());
            let error = Error::new(ErrorKind::Auth, message).with_status(answer.status);
            return self.fail(session, error);
        }
        if let Some(error) = redirect_error(&answer) {
            return self.fail(session, error);
        }
        let error = match (judged(session, &answer), answer.auth) {
            (Some(message), _) => Error::new(ErrorKind::Api, message),
            (None, code) => match usable_code(code) {
                Ok(code) => {
                    session.settle(self.flight, Ok(Arc::from(code)));
                    return Action::Resolve(Resolution::Nothing);
                }
                Err(error) => error,
            },
        };
        self.fail(session, error.with_status(answer.status))
    }

    fn fail(&self, session: &mut Session, error: Error) -> Action {
        let mut error = error.for_operation(Some("authentication"));
        error.message = session.redact(&error.message);
        session.settle(self.flight, Err(error.clone()));
        Action::Reject(error)
    }
}
