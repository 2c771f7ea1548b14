//! The response envelope `{success, data, error_message, auth, comment}`: how a status and a decoded
//! body become success or a failure message, in one place. Only `success` and `error_message` decide;
//! a call resolves to `data` alone. `auth` is read from the authentication call's answer only: LuxSci
//! may put one next to `success` in other answers too (seen on the user profile), where it is ignored.

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
        /// The failure text, if any.
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

/// The longest server text kept in an error message.
const MAX_MESSAGE: usize = 500;

/// `Ok(())` when the response is a success envelope, else the failure message to report.
pub fn judge(status: u16, body: Body<'_>) -> Result<(), String> {
    let ok_status = (200..300).contains(&status);
    match body {
        Body::Object {
            success,
            error_message,
        } => match (ok_status, success.truth(), error_message) {
            (true, Some(true), _) => Ok(()),
            (_, _, Some(text)) if !text.trim().is_empty() => Err(clip(text.trim())),
            (true, Some(false), None | Some(_)) => {
                Err("LuxSci reported a failure (success: 0) without an error_message".into())
            }
            (true, None, _) => Err("LuxSci answered with an unrecognised success flag".into()),
            (false, _, _) => Err(format!("LuxSci answered HTTP {status}")),
        },
        Body::NotObject if ok_status => Err(format!(
            "LuxSci answered HTTP {status} with JSON that is not an object"
        )),
        Body::NotJson if ok_status => Err(format!(
            "LuxSci answered HTTP {status} with a body that is not JSON"
        )),
        Body::NotObject | Body::NotJson => Err(format!("LuxSci answered HTTP {status}")),
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
