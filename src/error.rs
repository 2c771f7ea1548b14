//! The one error type of the SDK: a kind (which becomes the JavaScript class), a message that never
//! carries a credential, and the context a caller needs (status, operationId, whether a send may
//! have been delivered).

use crate::prelude::*;
use core::fmt;

/// What went wrong, which decides the JavaScript class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input found before anything was sent.
    Validation,
    /// LuxSci answered with a failure (non-2xx, or `success: 0`).
    Api,
    /// LuxSci refused the credentials (auth call) or a request after a fresh re-authentication.
    Auth,
    /// An attempt exceeded `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Abort,
    /// The connection failed (refused, reset, DNS, dropped).
    Connection,
    /// A relay-mode client's relay refused the call or failed (it, not LuxSci, answered).
    Relay,
}

impl ErrorKind {
    /// The JavaScript class name (and `error.name`).
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "LuxSciValidationError",
            ErrorKind::Api => "LuxSciApiError",
            ErrorKind::Auth => "LuxSciAuthError",
            ErrorKind::Timeout => "LuxSciTimeoutError",
            ErrorKind::Abort => "LuxSciAbortError",
            ErrorKind::Connection => "LuxSciConnectionError",
            ErrorKind::Relay => "LuxSciRelayError",
        }
    }
}

/// An SDK failure.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// Which class.
    pub kind: ErrorKind,
    /// Human-readable text; never contains the secret, the password or a signature.
    pub message: String,
    /// HTTP status, when LuxSci answered.
    pub status: Option<u16>,
    /// The operation that failed, when it was a table operation.
    pub operation_id: Option<&'static str>,
    /// For calls that are not safe to repeat: whether the request may have reached LuxSci.
    pub may_have_been_sent: Option<bool>,
    /// The server's `Retry-After` in milliseconds, when its answer carried one (429, 503).
    pub retry_after_ms: Option<f64>,
}

impl Error {
    /// An error of `kind` with `message` and no further context.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::of(kind, message.into())
    }

    /// [`Error::new`] past the conversion: compiled once, not at every call site.
    #[inline(never)]
    fn of(kind: ErrorKind, message: String) -> Error {
        Error {
            kind,
            message,
            status: None,
            operation_id: None,
            may_have_been_sent: None,
            retry_after_ms: None,
        }
    }

    /// Bad input, found before anything was sent.
    pub fn validation(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Validation, message)
    }

    /// With the HTTP status LuxSci answered.
    pub fn with_status(mut self, status: u16) -> Error {
        self.status = Some(status);
        self
    }

    /// With the operation it belongs to (kept if already set).
    pub fn for_operation(mut self, id: Option<&'static str>) -> Error {
        self.operation_id = self.operation_id.or(id);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.class_name(), self.message)
    }
}

impl core::error::Error for Error {}

/// What [`redact`] puts in place of a credential.
pub const REDACTED: &str = "[redacted]";

/// Credentials shorter than this are not redacted (they would match ordinary text).
pub const MIN_REDACTED: usize = 4;

/// `text` with every occurrence of each `secret` of at least [`MIN_REDACTED`] bytes replaced by
/// [`REDACTED`], for text that came from outside (a server's error message may echo what it was
/// sent). One pass into a buffer sized for the worst case, so that no partial copy holding a
/// credential is freed along the way.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let secrets: Vec<&str> = secrets
        .iter()
        .copied()
        .filter(|s| s.len() >= MIN_REDACTED)
        .collect();
    let growth = (REDACTED.len() - MIN_REDACTED) * (text.len() / MIN_REDACTED);
    let mut out = String::with_capacity(text.len() + growth);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match secrets
            .iter()
            .filter(|s| rest.starts_with(**s))
            .max_by_key(|s| s.len())
        {
            Some(secret) => {
                out.push_str(REDACTED);
                rest = rest.get(secret.len()..).unwrap_or_default();
            }
            None => {
                out.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
    }
    out
}
