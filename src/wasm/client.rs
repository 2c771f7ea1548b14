//! `Core`, what the package's `LuxSciClient` (js/client.js) holds of the wasm: the session (the one
//! copy of the credentials), where and how its calls go (state.rs), and the jobs of its calls
//! (job.rs), made from what JavaScript has already read and checked.

use super::job::Job;
use super::state::{redact_js, CallLimits, Config, Inner};
use crate::endpoints::{self, Method};
use crate::envelope;
use crate::error::Error;
use crate::exchange::{Exchange, Request};
use crate::path::{self, PathArgs};
use crate::prelude::*;
use crate::session::{self, Credentials, Session};
use crate::signing::Secret;
use crate::step::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS};
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::JsString;
use wasm_bindgen::prelude::*;

/// A client's core.
#[wasm_bindgen]
pub struct Core {
    pub(super) inner: Rc<Inner>,
}

#[wasm_bindgen]
impl Core {
    /// A client's core from its checked options: no `token` for a relay-mode client (which then holds
    /// no credentials at all), `user` and `pass` together or not at all.
    #[wasm_bindgen(constructor)]
    #[allow(
        clippy::too_many_arguments,
        reason = "one crossing from JavaScript, flat arguments"
    )]
    pub fn new(
        base: String,
        token: Option<String>,
        secret: Option<String>,
        user: Option<String>,
        pass: Option<String>,
        account_id: Option<String>,
        username: Option<String>,
        timeout_ms: Option<f64>,
        total_timeout_ms: Option<f64>,
        max_retries: Option<u32>,
        max_response_bytes: Option<u32>,
    ) -> Core {
        let credentials = token.map(|token| Credentials {
            token,
            secret: Secret::new(secret.unwrap_or_default()),
            user_pass: user.zip(pass).map(|(u, p)| (u, Secret::new(p))),
        });
        let config = Config {
            base,
            account_id,
            username,
            timeout_ms: timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS),
            total_timeout_ms,
            max_retries: max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            max_response_bytes: max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        };
        Core {
            inner: Rc::new(Inner {
                session: RefCell::new(Session::new(credentials)),
                config,
            }),
        }
    }

    /// How much of an answer js/attempt.js reads: `[body, error_message, auth]`, the body in bytes
    /// (`maxResponseBytes`), the strings the core judges it by in UTF-16 units (no more of them is
    /// copied into wasm memory). The message's window leaves room to find a credential it may echo.
    pub fn windows(&self) -> Vec<u32> {
        let message = self.inner.with_secrets(envelope::text_window);
        let window = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        vec![
            self.inner.config.max_response_bytes,
            window(message),
            window(session::MAX_AUTH_CODE + 1),
        ]
    }

    /// The job of `authenticate()` (`revoke`: false), which settles once the session holds a code
    /// (reusing a cached one), or of `revokeAuthentication()` (`revoke`: true): `DELETE /auth` and the
    /// cached code dropped, nothing sent when the client has not authenticated. `timeoutMs`,
    /// `totalTimeoutMs` and `maxRetries` are the call's options.
    pub fn session(
        &self,
        revoke: bool,
        timeout_ms: Option<f64>,
        total_timeout_ms: Option<f64>,
        max_retries: Option<u32>,
    ) -> Job {
        let exchange = if revoke {
            Exchange::revoke
        } else {
            Exchange::authenticate
        };
        let limits = CallLimits::new(timeout_ms, total_timeout_ms, max_retries);
        Job::session(self.inner.clone(), exchange, &limits)
    }

    /// The job of table operation `id` with its parameter, for this account and user (else the
    /// client's), with the raw `query` and the signed hash of its body (`undefined` for none);
    /// `idsDue`: its success must carry one sendmail id per message; then the
    /// call's options. Throws when the path cannot be built.
    #[allow(
        clippy::too_many_arguments,
        reason = "one crossing from JavaScript, flat arguments"
    )]
    pub fn operation(
        &self,
        id: &str,
        account_id: Option<String>,
        username: Option<String>,
        param: Option<String>,
        query: String,
        body_hash: Option<String>,
        ids_due: Option<u32>,
        timeout_ms: Option<f64>,
        total_timeout_ms: Option<f64>,
        max_retries: Option<u32>,
    ) -> Result<Job, JsValue> {
        let fail = |e: Error| self.inner.js_error(e);
        let endpoint =
            endpoints::by_id(id).ok_or_else(|| fail(Error::validation("unknown operation")))?;
        let c = &self.inner.config;
        let args = PathArgs {
            account_id: account_id.as_deref().or(c.account_id.as_deref()),
            username: username.as_deref().or(c.username.as_deref()),
            param: param.as_deref(),
        };
        let path =
            path::build(endpoint, args).map_err(|e| fail(e.for_operation(Some(endpoint.id))))?;
        let request = Request::operation(endpoint, path, query, body_hash.unwrap_or_default());
        let limits = CallLimits::new(timeout_ms, total_timeout_ms, max_retries);
        let ids_due = ids_due.map(|n| n as usize);
        Ok(Job::call(self.inner.clone(), request, ids_due, &limits))
    }

    /// The job of `method` to the absolute, encoded `path` with the raw `query` (`request()`, and the
    /// relay's forward), named after the table operation it addresses, if any; a body's hash as for
    /// `operation`. `resendable`: the body can be sent again (not a stream); `readBody`: the answer is
    /// decoded (a relay passes it on unread).
    #[allow(
        clippy::too_many_arguments,
        reason = "one crossing from JavaScript, flat arguments"
    )]
    pub fn call(
        &self,
        method: &str,
        path: String,
        query: String,
        body_hash: Option<String>,
        resendable: bool,
        read_body: bool,
        timeout_ms: Option<f64>,
        total_timeout_ms: Option<f64>,
        max_retries: Option<u32>,
    ) -> Result<Job, JsValue> {
        let Some(method) = Method::parse(method) else {
            let error = Error::validation("method must be one of GET, POST, PUT, DELETE");
            return Err(self.inner.js_error(error));
        };
        let mut request = Request::custom(method, path, query, body_hash.unwrap_or_default());
        request.resendable = resendable;
        request.decode = read_body;
        let limits = CallLimits::new(timeout_ms, total_timeout_ms, max_retries);
        Ok(Job::call(self.inner.clone(), request, None, &limits))
    }

    /// `text` (an answer the relay passes on) with this client's secret and password, raw or
    /// JSON-escaped, replaced by `[redacted]`: what a server echoes never reaches the browser. Anything
    /// but a string is returned as it is.
    pub fn redact(&self, text: JsValue) -> JsValue {
        match text.dyn_into::<JsString>() {
            Ok(t) => self
                .inner
                .with_secrets(|secrets| redact_js(&t, secrets))
                .into(),
            Err(other) => other,
        }
    }
}
