//! When an attempt may be repeated, how long to wait first, and the wording of a call's overall time
//! budget (`totalTimeoutMs`) running out. [`verdict`] is the one place that decides, from what became of an attempt,
//! whether the request may have reached LuxSci and whether another attempt is allowed: repeating is
//! refused for anything that may have reached LuxSci unless the operation is safe to repeat, so an
//! email is never sent twice.

use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use crate::text::text;

use crate::envelope::Body;

/// How an attempt failed without an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Nothing was sent: the connection was refused, or the host did not resolve.
    Refused,
    /// The connection broke after the request may have been received (reset, closed unanswered).
    Dropped,
    /// The attempt exceeded its timeout.
    TimedOut,
    /// The transport failed in a way it cannot classify (an injected fetch threw something unknown):
    /// the request may have been received, and repeating it is not known to help.
    Unclassified,
}

/// What the driver saw of one attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome<'a> {
    /// No answer; `reason` says why in the driver's words (it becomes the error message).
    Failed {
        /// Which kind of failure.
        fault: Fault,
        /// The driver's description, e.g. `could not reach https://host: ECONNRESET`.
        reason: &'a str,
    },
    /// An answer came back.
    Answered(Answer<'a>),
}

/// An answer, as much of it as the exchange needs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The body, decoded; `None` when it was not read (a relay passes it through untouched).
    pub body: Option<Body<'a>>,
    /// `Retry-After` in milliseconds (see [`retry_after_ms`]).
    pub retry_after_ms: Option<f64>,
    /// `Date`, in seconds since the epoch (the authentication's clock correction reads it).
    pub date_secs: Option<f64>,
    /// `Location` (a redirect's target, named in its error).
    pub location: Option<&'a str>,
    /// The body's `auth` field, when a string (read from the authentication call's answer only).
    pub auth: Option<&'a str>,
    /// A redirect its status does not show: a browser's opaque redirect (status hidden), or one an
    /// injected fetch followed (the answer came from elsewhere). Never followed, never repeated.
    pub redirect: bool,
    /// The `luxsci-relay` mark of an answer to a relay-mode client (see [`crate::relay`]).
    pub relay: Option<&'a str>,
    /// Set when the body passed the driver's limit, and was not read further (its `body` is then
    /// [`Body::NotJson`]): the answer is a failure, and a 2xx may be LuxSci's acceptance.
    pub oversized: Option<Limit>,
}

/// A limit a driver enforces, named as its callers set it (`maxResponseBytes` in JavaScript,
/// `max_response_bytes` in Rust), so that errors name the option to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The limit.
    pub value: u64,
    /// The option that sets it.
    pub option: &'static str,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Stop: the outcome is the call's result.
    Settle,
    /// Another attempt is harmless and may succeed (within the retry budget).
    Retry,
    /// The auth code was refused (401): nothing was done, so the request may be replayed once after
    /// re-authenticating.
    Reauthenticate,
}

/// The judgement of one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the request may have reached LuxSci and been acted on.
    pub may_have_arrived: bool,
    /// What to do next.
    pub next: Next,
}

/// THE rule: what `outcome` means for a request that is (or is not) safe to repeat. A refused
/// connection sent nothing and is always worth another attempt; timeouts, dropped connections, 408,
/// 429 and 5xx are repeated only when repeating is harmless; a redirect, a 2xx that is not a LuxSci
/// envelope and a 5xx may have been acted on; a 4xx or a `success: 0` envelope was not.
pub fn verdict(idempotent: bool, outcome: &Outcome<'_>) -> Verdict {
    let (may_have_arrived, transient) = match outcome {
        Outcome::Failed { fault, .. } => match fault {
            Fault::Refused => {
                return Verdict {
                    may_have_arrived: false,
                    next: Next::Retry,
                }
            }
            Fault::Dropped | Fault::TimedOut => (true, true),
            Fault::Unclassified => (true, false),
        },
        Outcome::Answered(answer) if answer.redirect => (true, false),
        Outcome::Answered(answer) => match answer.status {
            401 => {
                return Verdict {
                    may_have_arrived: false,
                    next: Next::Reauthenticate,
                }
            }
            408 | 429 => (false, true),
            200..=299 => (
                answer.body.is_none_or(|b| b.success() != Some(false)),
                false,
            ),
            400..=499 => (false, false),
            500..=599 => (true, true),
            _ => (true, false),
        },
    };
    let next = if transient && idempotent {
        Next::Retry
    } else {
        Next::Settle
    };
    Verdict {
        may_have_arrived,
        next,
    }
}

/// The longest `Retry-After` waited out; a server asking for longer (a spent quota) ends the call
/// with its answer, whose `retryAfterMs` says when to come back.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;
const BASE_MS: f64 = 500.0;
const CAP_MS: f64 = 8_000.0;

/// Milliseconds to wait before retry number `retry` (0 for the first): the server's `Retry-After`
/// (already in ms), or `None` when it exceeds [`MAX_RETRY_AFTER_MS`]; otherwise exponential backoff
/// with jitter in `[0.5, 1)` of the step, where `jitter` is a uniform random number in `[0, 1)`.
pub fn delay_ms(retry: u32, retry_after_ms: Option<f64>, jitter: f64) -> Option<f64> {
    if let Some(ms) = retry_after_ms.filter(|ms| *ms >= 0.0) {
        return Some(ms).filter(|ms| *ms <= MAX_RETRY_AFTER_MS);
    }
    let step = (BASE_MS * f64::from(1u32 << retry.min(16))).min(CAP_MS);
    Some(step * (0.5 + 0.5 * jitter.clamp(0.0, 1.0)))
}

/// The timeout error of a call whose time (`total_ms`, set by the option its caller knows as
/// `option`) ran out.
pub fn spent(total_ms: f64, option: &str) -> Error {
    Error::new(
        ErrorKind::Timeout,
        text!(
            "the call took longer than its ",
            option,
            " (",
            total_ms as u64,
            " ms)"
        ),
    )
}

/// Why a call of `total_ms` (the option `option`) gives up rather than wait `wait_ms` past its deadline.
pub fn too_long_to_wait(wait_ms: f64, total_ms: f64, option: &str) -> String {
    text!(
        "waiting ",
        wait_ms as u64,
        " ms before the next attempt would exceed the call's ",
        option,
        " (",
        total_ms as u64,
        " ms)"
    )
}

/// A `Retry-After` value in milliseconds: delta-seconds, or an HTTP date (as epoch ms from `parse_date`)
/// measured from `now_ms`.
pub fn retry_after_ms(
    value: &str,
    now_ms: f64,
    parse_date: impl Fn(&str) -> Option<f64>,
) -> Option<f64> {
    let value = value.trim();
    match delta_seconds(value) {
        Some(secs) => Some(secs * 1000.0),
        // HTTP dates start with a day name; anything numeric-looking that is not delta-seconds is unusable.
        None if value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => {
            None
        }
        None => parse_date(value).map(|at| (at - now_ms).max(0.0)),
    }
}

/// Delta-seconds, `120` (or `1.5` from a lenient server), read without Rust's float parser, which
/// would add kilobytes to the `.wasm`.
fn delta_seconds(value: &str) -> Option<f64> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    if whole.is_empty()
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let number = |digits: &str| {
        digits
            .bytes()
            .fold(0.0, |n, b| n * 10.0 + f64::from(b - b'0'))
    };
    Some(number(whole) + number(frac) / (0..frac.len().min(300)).fold(1.0, |p, _| p * 10.0))
}

#[cfg(test)]
mod tests {
    use super::retry_after_ms;

    #[test]
    fn delta_seconds_without_the_float_parser() {
        // Were a value taken as a date, this would make it Some(0.0).
        let never = |_: &str| Some(-1.0);
        assert_eq!(retry_after_ms(" 120 ", 0.0, never), Some(120_000.0));
        assert_eq!(retry_after_ms("1.5", 0.0, never), Some(1500.0));
        assert_eq!(retry_after_ms("2.", 0.0, never), Some(2000.0));
        for unusable in ["-1", "+3", ".5", "1e3", "1.2.3", "12a"] {
            assert_eq!(retry_after_ms(unusable, 0.0, never), None, "{unusable}");
        }
    }
}
