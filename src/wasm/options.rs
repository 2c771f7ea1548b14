//! Client options and per-call options, read from JavaScript objects and checked once: a misspelt or
//! mistyped option is a `LuxSciValidationError`, never a silent default.

use super::js::{check_keys, get, optional, string_or_number};
use crate::error::Error;
use crate::limits::SendLimits;
use crate::session::Credentials;
use crate::signing::Secret;
use crate::step::{
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS,
};
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const CLIENT_KEYS: &[&str] = &[
    "host",
    "baseUrl",
    "token",
    "secret",
    "user",
    "pass",
    "accountId",
    "username",
    "relay",
    "fetch",
    "timeoutMs",
    "totalTimeoutMs",
    "maxRetries",
    "maxResponseBytes",
    "sendLimits",
    "smtpSizeLimit",
    "onRequest",
    "onResponse",
];
const LIMIT_KEYS: &[&str] = &[
    "maxMessages",
    "maxRecipientsPerMessage",
    "maxRecipientsPerCall",
];
const CALL_KEYS: &[&str] = &[
    "signal",
    "timeoutMs",
    "totalTimeoutMs",
    "accountId",
    "username",
    "maxRetries",
];

/// The default API host.
pub const DEFAULT_HOST: &str = "rest.luxsci.com";
/// About the longest string a JavaScript engine builds (V8: 2^29 − 24 characters).
const MAX_RESPONSE_BYTES: u32 = 512 * 1024 * 1024;

/// A client's configuration.
pub struct Config {
    /// Origin plus optional prefix, without a trailing `/`.
    pub base: String,
    /// Taken into the client's session when it is built (the one copy); `None` in relay mode.
    pub credentials: Option<Credentials>,
    pub account_id: Option<String>,
    pub username: Option<String>,
    pub fetch: Option<Function>,
    pub timeout_ms: f64,
    pub total_timeout_ms: Option<f64>,
    pub max_retries: u32,
    /// The most bytes of a response body read (after any decompression).
    pub max_response_bytes: u32,
    pub limits: SendLimits,
    pub on_request: Option<Function>,
    pub on_response: Option<Function>,
}

impl Config {
    /// Reads and checks client options. (`credentials`, `base_url` and `limits` are kept out of it,
    /// `#[inline(never)]`: inlined, their code grows with its many early returns; 0.4 KB of wasm.)
    pub fn from_js(options: &JsValue) -> Result<Config, Error> {
        if !options.is_undefined() && !super::js::is_plain_object(options) {
            return Err(Error::validation("LuxSciClient options must be an object"));
        }
        check_keys(options, "client", CLIENT_KEYS)?;
        let text = |k: &str| opt_text(options, k);
        let relay = optional(
            options,
            "relay",
            |v| v.as_bool(),
            format_args!("relay must be a boolean"),
        )?
        .unwrap_or(false);
        let base = base_url(text("host")?, text("baseUrl")?, relay)?;
        let (token, secret) = (text("token")?, text("secret")?);
        let (user, pass) = (text("user")?, text("pass")?);
        let credentials = credentials(relay, token, secret, user, pass)?;
        // The options a call may override, read as a call's (the keys were checked: no signal here).
        let call = CallOptions::read(options)?;
        Ok(Config {
            base,
            credentials,
            account_id: call.account_id,
            username: call.username,
            fetch: opt_function(options, "fetch")?,
            timeout_ms: call.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS),
            total_timeout_ms: call.total_timeout_ms,
            max_retries: call.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            max_response_bytes: opt_count(options, "maxResponseBytes", 1, MAX_RESPONSE_BYTES)?
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            limits: limits(options)?,
            on_request: opt_function(options, "onRequest")?,
            on_response: opt_function(options, "onResponse")?,
        })
    }
}

/// How long a call's attempts may take, how many there may be, and how long the call may take in all.
#[derive(Clone, Copy)]
pub struct Limits {
    pub timeout_ms: f64,
    pub max_retries: u32,
    pub total_ms: f64,
}

impl Config {
    /// The limits of a call with `options`: its own, else the client's, else the defaults.
    pub fn limits(&self, options: &CallOptions) -> Limits {
        let timeout_ms = options.timeout_ms.unwrap_or(self.timeout_ms);
        Limits {
            timeout_ms,
            max_retries: options.max_retries.unwrap_or(self.max_retries),
            total_ms: options
                .total_timeout_ms
                .or(self.total_timeout_ms)
                .unwrap_or(DEFAULT_TOTAL_TIMEOUT_MS.max(timeout_ms)),
        }
    }
}

/// A direct client's credentials (`None` in relay mode, where there must be none).
#[inline(never)]
fn credentials(
    relay: bool,
    token: Option<String>,
    secret: Option<String>,
    user: Option<String>,
    pass: Option<String>,
) -> Result<Option<Credentials>, Error> {
    if relay {
        if token.is_some() || secret.is_some() || user.is_some() || pass.is_some() {
            return Err(Error::validation(
                "a relay-mode client holds no credentials: keep token, secret, user and pass on the relay's server",
            ));
        }
        return Ok(None);
    }
    let (Some(token), Some(secret)) = (token, secret) else {
        return Err(Error::validation(
            "token and secret are required (or relay: true with a createRelay() baseUrl)",
        ));
    };
    let user_pass = match (user, pass) {
        (Some(u), Some(p)) => Some((u, Secret::new(p))),
        (None, None) => None,
        _ => {
            return Err(Error::validation(
                "user and pass go together: give both or neither",
            ))
        }
    };
    Ok(Some(Credentials {
        token,
        secret: Secret::new(secret),
        user_pass,
    }))
}

#[inline(never)]
fn base_url(host: Option<String>, base: Option<String>, relay: bool) -> Result<String, Error> {
    match (host, base) {
        (Some(_), Some(_)) => Err(Error::validation("give host or baseUrl, not both")),
        (Some(host), None) if relay => Err(Error::validation(format!(
            "a relay-mode client takes baseUrl (the relay's address), not host \"{host}\""
        ))),
        (Some(host), None) => {
            if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
                return Err(Error::validation(
                    "host must be a bare host name such as \"rest.luxsci.com\"",
                ));
            }
            Ok(format!("https://{host}"))
        }
        (None, Some(base)) => {
            let trimmed = base.trim_end_matches('/');
            if relay && trimmed.starts_with('/') {
                // A relay on the page's own origin: a path such as "/luxsci".
                return Ok(trimmed.to_owned());
            }
            let authority = trimmed
                .strip_prefix("https://")
                .or_else(|| trimmed.strip_prefix("http://"));
            if trimmed.contains(['?', '#'])
                || authority.is_none_or(|a| a.is_empty() || a.starts_with("://"))
            {
                return Err(Error::validation(
                    "baseUrl must be an http(s) origin with an optional path prefix, e.g. \"http://127.0.0.1:8787\"",
                ));
            }
            Ok(trimmed.to_owned())
        }
        (None, None) if relay => Err(Error::validation(
            "a relay-mode client needs baseUrl: where createRelay() is mounted",
        )),
        (None, None) => Ok(format!("https://{DEFAULT_HOST}")),
    }
}

#[inline(never)]
fn limits(options: &JsValue) -> Result<SendLimits, Error> {
    let mut limits = SendLimits::default();
    let given = get(options, "sendLimits");
    if !given.is_undefined() {
        if !super::js::is_plain_object(&given) {
            return Err(Error::validation("sendLimits must be an object"));
        }
        check_keys(&given, "sendLimits", LIMIT_KEYS)?;
        for (key, slot) in [
            ("maxMessages", &mut limits.max_messages),
            (
                "maxRecipientsPerMessage",
                &mut limits.max_recipients_per_message,
            ),
            ("maxRecipientsPerCall", &mut limits.max_recipients_per_call),
        ] {
            if let Some(n) = opt_count(&given, key, 1, 1_000_000)? {
                *slot = n;
            }
        }
    }
    limits.smtp_size_limit = optional(
        options,
        "smtpSizeLimit",
        |v| v.as_f64().filter(|n| n.is_finite() && *n > 0.0),
        format_args!("smtpSizeLimit must be a positive number of bytes"),
    )?;
    Ok(limits)
}

/// Options of one call.
#[derive(Default)]
pub struct CallOptions {
    pub signal: Option<web_sys::AbortSignal>,
    pub timeout_ms: Option<f64>,
    pub total_timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
    pub account_id: Option<String>,
    pub username: Option<String>,
}

impl CallOptions {
    /// Reads and checks per-call options (`undefined` is none).
    pub fn from_js(options: &JsValue) -> Result<CallOptions, Error> {
        if options.is_undefined() || options.is_null() {
            return Ok(CallOptions::default());
        }
        if !super::js::is_plain_object(options) {
            return Err(Error::validation("call options must be an object"));
        }
        check_keys(options, "call", CALL_KEYS)?;
        CallOptions::read(options)
    }

    /// Reads per-call options from an object whose keys were already checked (`request()`'s init, and
    /// the client options, whose defaults for calls are these same keys).
    pub fn read(options: &JsValue) -> Result<CallOptions, Error> {
        Ok(CallOptions {
            account_id: optional(
                options,
                "accountId",
                |v| string_or_number(&v).filter(|s| !s.is_empty()),
                format_args!("accountId must be a string or a number"),
            )?,
            username: opt_text(options, "username")?,
            timeout_ms: opt_ms(options, "timeoutMs")?,
            total_timeout_ms: opt_ms(options, "totalTimeoutMs")?,
            max_retries: opt_retries(options)?,
            signal: optional(
                options,
                "signal",
                |v| v.dyn_into::<web_sys::AbortSignal>().ok(),
                format_args!("signal must be an AbortSignal"),
            )?,
        })
    }
}

fn opt_text(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    optional(
        obj,
        key,
        |v| v.as_string().filter(|s| !s.is_empty()),
        format_args!("{key} must be a non-empty string"),
    )
}

fn opt_function(obj: &JsValue, key: &str) -> Result<Option<Function>, Error> {
    optional(
        obj,
        key,
        |v| v.dyn_into::<Function>().ok(),
        format_args!("{key} must be a function"),
    )
}

fn opt_ms(obj: &JsValue, key: &str) -> Result<Option<f64>, Error> {
    optional(
        obj,
        key,
        |v| {
            v.as_f64()
                .filter(|n| n.is_finite() && *n > 0.0 && *n <= 2_147_483_647.0)
        },
        format_args!("{key} must be a positive number of milliseconds"),
    )
}

fn opt_retries(obj: &JsValue) -> Result<Option<u32>, Error> {
    opt_count(obj, "maxRetries", 0, 10)
}

fn opt_count(obj: &JsValue, key: &str, min: u32, max: u32) -> Result<Option<u32>, Error> {
    optional(
        obj,
        key,
        |v| {
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(n))
                .map(|n| n as u32)
        },
        format_args!("{key} must be an integer from {min} to {max}"),
    )
}
