//! When an attempt may be repeated, and how long to wait first. Repeating is refused for anything that
//! may have reached LuxSci unless the operation is safe to repeat: an email is never sent twice.

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
    }
}

/// The longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;
const BASE_MS: f64 = 500.0;
const CAP_MS: f64 = 8_000.0;

/// Milliseconds to wait before retry number `retry` (0 for the first), honouring a server's
/// `Retry-After` (already in ms, capped at 60 s); otherwise exponential backoff with jitter in
/// `[0.5, 1)` of the step, where `jitter` is a uniform random number in `[0, 1)`.
pub fn delay_ms(retry: u32, retry_after_ms: Option<f64>, jitter: f64) -> f64 {
    if let Some(ms) = retry_after_ms.filter(|ms| ms.is_finite() && *ms >= 0.0) {
        return ms.min(MAX_RETRY_AFTER_MS);
    }
    let step = (BASE_MS * 2f64.powi(retry.min(16) as i32)).min(CAP_MS);
    step * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// A `Retry-After` value in milliseconds: delta-seconds, or an HTTP date (as epoch ms from `parse_date`)
/// measured from `now_ms`.
pub fn retry_after_ms(
    value: &str,
    now_ms: f64,
    parse_date: impl Fn(&str) -> Option<f64>,
) -> Option<f64> {
    let value = value.trim();
    match value.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => Some(secs * 1000.0),
        Ok(_) => None,
        Err(_) => parse_date(value).map(|at| (at - now_ms).max(0.0)),
    }
}
