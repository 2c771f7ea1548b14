//! The response envelope `{success, data, error_message, auth, comment}`: how a status and a decoded
//! body become success or a failure message, in one place. Only `success` and `error_message` decide;
//! a call resolves to `data` alone. `auth` is read from the authentication call's answer only: LuxSci
//! may put one next to `success` in other answers too (seen on the user profile), where it is ignored.

use crate::error::{redact, REDACTED};
use crate::prelude::*;
use crate::text::text;

/// The `success` field as found in the body.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flag<'a> {
    /// No `success` key: treated as success when the HTTP status is 2xx.
    Missing,
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number.
    Number(f64),
    /// A JSON string.
    Text(&'a str),
    /// Anything else (null, object, array).
    Other,
}

impl Flag<'_> {
    /// `Some(true)` for 1 / "1" / true (and missing), `Some(false)` for 0 / "0" / false, `None` otherwise.
    pub fn truth(self) -> Option<bool> {
        match self {
            Flag::Missing => Some(true),
            Flag::Bool(b) => Some(b),
            Flag::Number(1.0) => Some(true),
            Flag::Number(0.0) => Some(false),
            Flag::Text("1") => Some(true),
            Flag::Text("0") => Some(false),
            _ => None,
        }
    }
}

/// What the body turned out to be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Body<'a> {
    /// Not JSON at all (HTML error page, truncated text, empty).
    NotJson,
    /// JSON, but not an object.
    NotObject,
    /// A JSON object: its `success` and `error_message` (when a string).
    Object {
        /// The success flag.
        success: Flag<'a>,
        /// The failure text, if any, as [`server_text`] made it.
        error_message: Option<&'a str>,
    },
}

impl Body<'_> {
    /// As a LuxSci envelope: `Some(true)` for success, `Some(false)` for a failure LuxSci reports,
    /// `None` for anything that is not an envelope (not JSON, not an object, an unknown flag).
    pub fn success(&self) -> Option<bool> {
        match self {
            Body::Object { success, .. } => success.truth(),
            Body::NotJson | Body::NotObject => None,
        }
    }
}

/// The longest server text kept in an error message, in characters.
pub const MAX_MESSAGE: usize = 500;

/// A server's text as an error message shows it: trimmed, every credential in `secrets` redacted,
/// then cut to [`MAX_MESSAGE`] characters (in that order, so that no credential near the cut shows
/// its head).
pub fn server_text(text: &str, secrets: &[&str]) -> String {
    clip(&redact(text.trim(), secrets))
}

/// How many UTF-16 units of a server's text [`server_text`] needs, so that no more is copied into
/// wasm memory: its first [`MAX_MESSAGE`] characters after redaction come from at most this many.
/// A redaction turns a credential of `n` bytes into `[redacted]` (10 characters), so each output
/// character stands for at most `max(n, 10) / 10` input characters, plus one credential cut at the
/// end; a character is at most two UTF-16 units, and two more cover a surrogate pair cut in half.
pub fn text_window(secrets: &[&str]) -> usize {
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    let redacted = REDACTED.len();
    2 * (MAX_MESSAGE * longest.max(redacted) / redacted + longest) + 2
}

/// `Ok(())` when the response is a success envelope, else the failure message to report.
pub fn judge(status: u16, body: Body<'_>) -> Result<(), String> {
    let ok_status = (200..300).contains(&status);
    match body {
        Body::Object {
            success,
            error_message,
        } => match (ok_status, success.truth(), error_message) {
            (true, Some(true), _) => Ok(()),
            (_, _, Some(text)) if !text.trim().is_empty() => Err(text.trim().to_owned()),
            (true, Some(false), None | Some(_)) => {
                Err("LuxSci reported a failure (success: 0) without an error_message".into())
            }
            (true, None, _) => Err("LuxSci answered with an unrecognised success flag".into()),
            (false, _, _) => Err(text!("LuxSci answered HTTP ", status)),
        },
        Body::NotObject if ok_status => Err(text!(
            "LuxSci answered HTTP ",
            status,
            " with JSON that is not an object"
        )),
        Body::NotJson if ok_status => Err(text!(
            "LuxSci answered HTTP ",
            status,
            " with a body that is not JSON"
        )),
        Body::NotObject | Body::NotJson => Err(text!("LuxSci answered HTTP ", status)),
    }
}

/// Whether LuxSci may have accepted a request whose answer (`status`, `body`) is not a success: a
/// 5xx may have been, and so may a 2xx that is not LuxSci's clear refusal (`success: 0`), since it
/// may be a success that a proxy or a changed API dressed differently; any other status refused it.
pub fn may_have_been_accepted(status: u16, body: Body<'_>) -> bool {
    match body {
        _ if status >= 500 => true,
        _ if !(200..300).contains(&status) => false,
        Body::Object { success, .. } => success.truth() != Some(false),
        Body::NotJson | Body::NotObject => true,
    }
}

/// What a success's `data` holds where one id per message is due (sendEmail's sendmail ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ids {
    /// An array of `len` entries, each an id (a string or a number) when `all_ids`.
    Array { len: usize, all_ids: bool },
    /// No `data`, or not an array.
    Other,
}

/// `Ok(())` when a success carries one id per message sent (`expected`), else the failure to report:
/// LuxSci said it accepted the messages, so they count as possibly sent, never as sent with ids.
pub fn check_ids(expected: usize, ids: Ids) -> Result<(), String> {
    match ids {
        Ids::Array { len, all_ids: true } if len == expected => Ok(()),
        Ids::Array { len, .. } => Err(text!(
            "LuxSci reported success but answered ",
            len,
            " entries for ",
            expected,
            " messages instead of one sendmail id each"
        )),
        Ids::Other => Err(text!(
            "LuxSci reported success but answered no sendmail ids for ",
            expected,
            " messages"
        )),
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE) {
        Some((at, _)) => {
            let mut clipped = text.get(..at).unwrap_or(text).to_owned();
            clipped.push('…');
            clipped
        }
        None => text.to_owned(),
    }
}
