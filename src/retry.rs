//! When an attempt may be repeated, how long to wait first, and the call's overall time budget
//! (`totalTimeoutMs`). Repeating is refused for anything that may have reached LuxSci unless the
//! operation is safe to repeat: an email is never sent twice.

use crate::error::{Error, ErrorKind};

/// How an attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The connection was refused: nothing reached the server.
    Refused,
    /// The connection broke after the request may have been received (reset, dropped, DNS after send).
    Network,
    /// The attempt exceeded its timeout.
    Timeout,
    /// LuxSci answered with this status.
    Status(u16),
    /// The server answered with a redirect, which is never followed: it saw the request.
    Redirect,
}

impl Failure {
    /// Whether the request may have reached LuxSci.
    pub fn may_have_been_received(self) -> bool {
        !matches!(self, Failure::Refused)
    }
}

/// Whether `failure` is worth another attempt for an operation that is (or is not) safe to repeat.
pub fn should_retry(idempotent: bool, failure: Failure) -> bool {
    match failure {
        Failure::Refused => true,
        Failure::Network | Failure::Timeout => idempotent,
        Failure::Status(s) => idempotent && (s == 408 || s == 429 || (500..600).contains(&s)),
        Failure::Redirect => false,
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
    let step = (BASE_MS * 2f64.powi(retry.min(16) as i32)).min(CAP_MS);
    Some(step * (0.5 + 0.5 * jitter.clamp(0.0, 1.0)))
}

/// What follows a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Wait this many milliseconds, then try again.
    Retry(f64),
    /// Give up with this attempt's failure.
    Stop,
    /// Give up now with a timeout: the wait of this many milliseconds would not end before the
    /// call's deadline.
    OutOfTime(f64),
}

/// One call's attempts: how many retries are left, and when its time (`totalTimeoutMs`) runs out, on
/// a millisecond clock passed in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    done: u32,
    max: u32,
    total_ms: f64,
    end_ms: f64,
}

impl Budget {
    /// A call starting at `now_ms` with `max_retries` retries and `total_ms` in all.
    pub fn new(max_retries: u32, total_ms: f64, now_ms: f64) -> Budget {
        Budget {
            done: 0,
            max: max_retries,
            total_ms,
            end_ms: now_ms + total_ms,
        }
    }

    /// The timeout of an attempt starting at `now_ms`: `timeout_ms`, or what is left of the call's
    /// time when that is shorter (then `true`: the deadline, not `timeoutMs`, would end it); `None`
    /// once no time is left.
    pub fn attempt_timeout(&self, now_ms: f64, timeout_ms: f64) -> Option<(f64, bool)> {
        let left = self.end_ms - now_ms;
        if left <= 0.0 {
            None
        } else if left < timeout_ms {
            Some((left, true))
        } else {
            Some((timeout_ms, false))
        }
    }

    /// The step after an attempt that failed with `failure` at `now_ms` (with the server's
    /// `Retry-After`, if any) for a request that is (or is not) safe to repeat. Records the retry
    /// when the step is one.
    pub fn next(
        &mut self,
        idempotent: bool,
        failure: Failure,
        retry_after_ms: Option<f64>,
        jitter: f64,
        now_ms: f64,
    ) -> Step {
        if self.done >= self.max || !should_retry(idempotent, failure) {
            return Step::Stop;
        }
        let Some(wait) = delay_ms(self.done, retry_after_ms, jitter) else {
            return Step::Stop;
        };
        if now_ms + wait >= self.end_ms {
            return Step::OutOfTime(wait);
        }
        self.done += 1;
        Step::Retry(wait)
    }

    /// The timeout error of a call whose time ran out during an attempt.
    pub fn spent(&self) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!(
                "the call took longer than its totalTimeoutMs ({} ms)",
                self.total_ms as u64
            ),
        )
    }

    /// The timeout error of a call that gives up rather than wait `wait_ms` past its deadline.
    pub fn too_long_to_wait(&self, wait_ms: f64) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!(
                "waiting {} ms before the next attempt would exceed the call's totalTimeoutMs ({} ms)",
                wait_ms as u64, self.total_ms as u64
            ),
        )
    }
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
        None if value.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) => None,
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
    Some(number(whole) + number(frac) / 10f64.powi(frac.len().min(300) as i32))
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
