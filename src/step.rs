//! One attempt of an exchange and the limits of a sequence of them, shared by a call's exchange and the
//! auth call's: what a driver sends ([`Attempt`], its body [`Outgoing`]), a call's limits ([`Policy`],
//! [`Deadline`]), the retry budget, backoff and deadline that [`crate::retry::verdict`] is asked under
//! (`Retries`), and the errors of an attempt that got no usable answer.

use crate::endpoints::Method;
use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use crate::redirect;
use crate::retry::{self, verdict, Answer, Fault, Next, Outcome};
use crate::session::Cookie;
use crate::text::text;
use zeroize::Zeroizing;

/// The longest one attempt may take, unless a client or call says otherwise.
pub const DEFAULT_TIMEOUT_MS: f64 = 60_000.0;
/// Extra attempts, where repeating is harmless, unless a client or call says otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// A call's whole time, all attempts and waits included, unless a client or call says otherwise (and
/// never less than one attempt's timeout).
pub const DEFAULT_TOTAL_TIMEOUT_MS: f64 = 120_000.0;
/// The longest answer body read: LuxSci cuts its largest answers (report pages) at about 50 MB, so
/// 64 MiB never cuts a real one.
pub const DEFAULT_MAX_RESPONSE_BYTES: u32 = 64 * 1024 * 1024;

/// The limits of one call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// The longest one attempt may take, in ms.
    pub timeout_ms: f64,
    /// Extra attempts allowed where [`verdict`] says another is harmless.
    pub max_retries: u32,
    /// When the whole call must have settled (`None`: no deadline). An attempt's timeout is shortened
    /// to fit it, and a wait that cannot fit settles the call at once.
    pub deadline: Option<Deadline>,
}

/// A call's whole time (`totalTimeoutMs` in JavaScript, `total_timeout` in Rust).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deadline {
    /// When the call must have settled, on the driver's clock in ms.
    pub at_ms: f64,
    /// The whole time in ms, as its timeout errors name it.
    pub total_ms: f64,
    /// The option that set it, as the driver's callers know it: the timeout errors name it.
    pub option: &'static str,
}

impl Deadline {
    /// A call of `total_ms` (set by `option`) starting at `now_ms`.
    pub fn starting(now_ms: f64, total_ms: f64, option: &'static str) -> Deadline {
        Deadline {
            at_ms: now_ms + total_ms,
            total_ms,
            option,
        }
    }
}

/// What the driver sends as the body of an attempt.
#[derive(Debug)]
pub enum Outgoing {
    /// The body the driver prepared for the request (none for a request without one).
    Prepared,
    /// No body.
    Empty,
    /// This JSON text (the auth call; it holds the password and is wiped when dropped).
    Json(Zeroizing<String>),
}

/// One attempt to send.
#[derive(Debug)]
pub struct Attempt {
    /// The method.
    pub method: Method,
    /// Path and query exactly as signed: the driver appends it to its base URL unchanged.
    pub target: String,
    /// The `Cookie` header, when signed.
    pub cookie: Option<Cookie>,
    /// The body.
    pub body: Outgoing,
    /// This attempt's timeout in ms.
    pub timeout_ms: f64,
    /// 1 for the first attempt of the exchange, then 2, 3, …
    pub number: u32,
}

/// The error of an attempt that got no answer: a timeout, or a connection failure, in the driver's words.
pub(crate) fn fault_error(fault: Fault, reason: &str) -> Error {
    let kind = match fault {
        Fault::TimedOut => ErrorKind::Timeout,
        Fault::Refused | Fault::Dropped | Fault::Unclassified => ErrorKind::Connection,
    };
    Error::new(kind, reason)
}

/// A redirect is never followed (it would carry the signed request, or the password, elsewhere): the
/// answer is an error that names it, as [`crate::redirect::error`] words it. A redirect its status
/// does not show is a browser's opaque one (status 0) or one the fetch followed.
pub(crate) fn redirect_error(answer: &Answer<'_>) -> Option<Error> {
    let hidden = answer.redirect && answer.status == 0;
    let followed = answer.redirect && !hidden;
    redirect::seen(answer.status, hidden, followed, answer.location).map(redirect::error)
}

/// A call's retry budget, backoff and deadline.
#[derive(Debug)]
pub(crate) struct Retries {
    pub policy: Policy,
    done: u32,
    rng: u64,
    cut: bool,
}

impl Retries {
    pub fn new(policy: Policy, seed: u64) -> Retries {
        Retries {
            policy,
            done: 0,
            // xorshift needs a non-zero state.
            rng: seed | 1,
            cut: false,
        }
    }

    /// The timeout of an attempt starting at `now_ms` (whose deadline has not passed): `timeout_ms`,
    /// or what is left of the call's time when that is shorter.
    pub fn attempt_timeout(&mut self, now_ms: f64) -> f64 {
        let timeout_ms = match self.policy.deadline {
            Some(deadline) => self.policy.timeout_ms.min(deadline.at_ms - now_ms),
            None => self.policy.timeout_ms,
        };
        self.cut = timeout_ms < self.policy.timeout_ms;
        timeout_ms
    }

    /// The timeout error of the call when its time ran out at `now_ms`.
    pub fn spent(&self, now_ms: f64) -> Option<Error> {
        let deadline = self.policy.deadline.filter(|d| now_ms >= d.at_ms)?;
        Some(retry::spent(deadline.total_ms, deadline.option))
    }

    /// The timeout error when the attempt just made, shortened to fit the deadline, timed out: the
    /// call's time ended it, not the attempt's own timeout.
    pub fn cut_short(&self, outcome: &Outcome<'_>) -> Option<Error> {
        let deadline = self.policy.deadline.filter(|_| self.cut)?;
        matches!(
            outcome,
            Outcome::Failed {
                fault: Fault::TimedOut,
                ..
            }
        )
        .then(|| retry::spent(deadline.total_ms, deadline.option))
    }

    /// A seed for an exchange started from this one.
    pub fn seed(&mut self) -> u64 {
        self.step()
    }

    fn step(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    /// The wait before another attempt when [`verdict`] and the budget allow one (`Ok(None)`: settle
    /// with this outcome, also when the server asks to wait longer than `MAX_RETRY_AFTER_MS`); a
    /// timeout error when the wait would end past the deadline.
    pub fn next(
        &mut self,
        outcome: &Outcome<'_>,
        idempotent: bool,
        now_ms: f64,
    ) -> Result<Option<f64>, Error> {
        if verdict(idempotent, outcome).next != Next::Retry || self.done >= self.policy.max_retries
        {
            return Ok(None);
        }
        let retry_after = match outcome {
            Outcome::Answered(answer) => answer.retry_after_ms,
            Outcome::Failed { .. } => None,
        };
        let jitter = (self.step() >> 11) as f64 / (1u64 << 53) as f64;
        // None: a server asking for a longer pause (a spent daily quota) will not be ready soon.
        let Some(ms) = retry::delay_ms(self.done, retry_after, jitter) else {
            return Ok(None);
        };
        if let Some(deadline) = self.policy.deadline {
            if now_ms + ms >= deadline.at_ms {
                let why = retry::too_long_to_wait(ms, deadline.total_ms, deadline.option);
                let mut error = match outcome {
                    Outcome::Answered(answer) => Error::new(
                        ErrorKind::Timeout,
                        text!("LuxSci answered HTTP ", answer.status, "; ", why),
                    )
                    .with_status(answer.status),
                    Outcome::Failed { reason, .. } => {
                        Error::new(ErrorKind::Timeout, text!(reason, "; ", why))
                    }
                };
                error.retry_after_ms = retry_after;
                return Err(error);
            }
        }
        self.done += 1;
        Ok(Some(ms))
    }
}
