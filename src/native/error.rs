//! The native client's error: one enum whose variants are the JavaScript error classes, each with the
//! context a caller needs; its `Debug` and `Display` never hold a credential or a signature.

use crate::error::{self as core, ErrorKind};
use serde_json::Value;
use std::fmt;

/// A failed call. The variant says what went wrong, as the npm package's `LuxSci…Error` classes do.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// Bad input, found before anything was sent.
    Validation(Failure),
    /// LuxSci answered with a failure (non-2xx, `success: 0`, not an envelope, a redirect).
    Api(Failure),
    /// LuxSci refused the credentials, or a request after one fresh re-authentication.
    Auth(Failure),
    /// An attempt exceeded its timeout, or the call its deadline.
    Timeout(Failure),
    /// The call was abandoned (the authentication it waited on was dropped unfinished).
    Abort(Failure),
    /// The connection failed: refused, reset, DNS, closed unanswered.
    Connection(Failure),
}

/// What is known of a failure.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// What happened, with any credential a server echoed removed.
    pub message: String,
    /// The HTTP status, when LuxSci answered.
    pub status: Option<u16>,
    /// The operation, when it was one of the table's (or the authentication).
    pub operation_id: Option<&'static str>,
    /// For calls that are not safe to repeat: whether the request may have reached LuxSci. When
    /// `Some(true)`, check before sending again: it was not repeated.
    pub may_have_been_sent: Option<bool>,
    /// The server's `Retry-After`, in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// LuxSci's answer, when it was JSON (credentials removed).
    pub body: Option<Value>,
}

impl Error {
    /// The failure's details.
    pub fn failure(&self) -> &Failure {
        match self {
            Error::Validation(f)
            | Error::Api(f)
            | Error::Auth(f)
            | Error::Timeout(f)
            | Error::Abort(f)
            | Error::Connection(f) => f,
        }
    }

    /// The HTTP status, when LuxSci answered.
    pub fn status(&self) -> Option<u16> {
        self.failure().status
    }

    /// For calls that are not safe to repeat: whether the request may have reached LuxSci.
    pub fn may_have_been_sent(&self) -> Option<bool> {
        self.failure().may_have_been_sent
    }

    /// The name of the matching JavaScript class (`LuxSciApiError`, …).
    pub fn class_name(&self) -> &'static str {
        self.kind().class_name()
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::Api(_) => ErrorKind::Api,
            Error::Auth(_) => ErrorKind::Auth,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Abort(_) => ErrorKind::Abort,
            Error::Connection(_) => ErrorKind::Connection,
        }
    }

    /// The core's error, with LuxSci's answer when there was one.
    pub(super) fn from_core(error: core::Error, body: Option<Value>) -> Error {
        let failure = Failure {
            message: error.message,
            status: error.status,
            operation_id: error.operation_id,
            may_have_been_sent: error.may_have_been_sent,
            retry_after_ms: error.retry_after_ms,
            body,
        };
        match error.kind {
            ErrorKind::Validation => Error::Validation(failure),
            // The native client never talks to a relay: to it, a relay would be LuxSci's address.
            ErrorKind::Api | ErrorKind::Relay => Error::Api(failure),
            ErrorKind::Auth => Error::Auth(failure),
            ErrorKind::Timeout => Error::Timeout(failure),
            ErrorKind::Abort => Error::Abort(failure),
            ErrorKind::Connection => Error::Connection(failure),
        }
    }
}

impl From<core::Error> for Error {
    fn from(error: core::Error) -> Error {
        Error::from_core(error, None)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class_name(), self.failure().message)
    }
}

impl std::error::Error for Error {}
