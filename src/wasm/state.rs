//! What a client's `Core` (client.rs) and the jobs of its calls (job.rs) share: the client's state
//! (its session, where and how its calls go), a call's own limits, and errors on their way to
//! JavaScript as redacted `LuxSciError`s.

use super::js::to_js_error;
use crate::error::{redact, Error, MIN_REDACTED, REDACTED};
use crate::prelude::*;
use crate::session::Session;
use crate::step::{Deadline, Policy, DEFAULT_TOTAL_TIMEOUT_MS};
use core::cell::RefCell;
use js_sys::JsString;
use wasm_bindgen::prelude::*;

pub(super) struct Inner {
    pub config: Config,
    pub session: RefCell<Session>,
}

/// Where and how a client's calls go.
pub(super) struct Config {
    /// Origin plus optional prefix, without a trailing `/`.
    pub base: String,
    /// The account and user of the client's calls, unless a call names its own.
    pub account_id: Option<String>,
    pub username: Option<String>,
    pub timeout_ms: f64,
    pub total_timeout_ms: Option<f64>,
    pub max_retries: u32,
    /// The most bytes of a response body read (after any decompression).
    pub max_response_bytes: u32,
}

/// A call's own limits, each `None` for the client's.
pub(super) struct CallLimits {
    timeout_ms: Option<f64>,
    total_timeout_ms: Option<f64>,
    max_retries: Option<u32>,
}

impl CallLimits {
    pub(super) fn new(
        timeout_ms: Option<f64>,
        total_timeout_ms: Option<f64>,
        max_retries: Option<u32>,
    ) -> Self {
        CallLimits {
            timeout_ms,
            total_timeout_ms,
            max_retries,
        }
    }
}

impl Inner {
    /// `f` of the credentials to scrub from any outside text (the session holds the only copy).
    pub(super) fn with_secrets<T>(&self, f: impl FnOnce(&[&str]) -> T) -> T {
        f(&self.session.borrow().secrets())
    }

    /// The JavaScript error of `error`, with any credential a server echoed scrubbed from its message.
    pub(super) fn js_error(&self, mut error: Error) -> JsValue {
        error.message = self.with_secrets(|secrets| redact(&error.message, secrets));
        to_js_error(&error)
    }

    /// The limits of a call with its own `limits`, else the client's, else the defaults, starting now.
    pub(super) fn policy(&self, limits: &CallLimits) -> Policy {
        let c = &self.config;
        let timeout_ms = limits.timeout_ms.unwrap_or(c.timeout_ms);
        let total_ms = limits
            .total_timeout_ms
            .or(c.total_timeout_ms)
            .unwrap_or(DEFAULT_TOTAL_TIMEOUT_MS.max(timeout_ms));
        Policy {
            timeout_ms,
            max_retries: limits.max_retries.unwrap_or(c.max_retries),
            deadline: Some(Deadline::starting(
                js_sys::Date::now(),
                total_ms,
                "totalTimeoutMs",
            )),
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// A JavaScript string, for `replaceAll` with a JavaScript string as the pattern.
    type Text;
    #[wasm_bindgen(method, js_name = replaceAll)]
    fn replace_all(this: &Text, pattern: &JsString, replacement: &str) -> JsString;
}

/// `text` (a server's answer, JSON or not) with every credential, raw or JSON-escaped, replaced; the
/// text stays in JavaScript.
pub(super) fn redact_js(text: &JsString, secrets: &[&str]) -> JsString {
    let mut clean = text.clone();
    for secret in secrets.iter().filter(|s| s.len() >= MIN_REDACTED) {
        let raw = JsString::from(*secret);
        // Inside a JSON string a credential shows escaped (a `"` or `\` in a password, say).
        let escaped = js_sys::JSON::stringify(&raw)
            .map(|quoted| quoted.slice(1, quoted.length().saturating_sub(1)))
            .unwrap_or_else(|_| raw.clone());
        for form in [&raw, &escaped] {
            clean = clean.unchecked_ref::<Text>().replace_all(form, REDACTED);
        }
    }
    clean
}
