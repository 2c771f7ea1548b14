//! `LuxSciClient`, the class JavaScript sees: construction, `authenticate`, `revokeAuthentication`,
//! `request` and the entry of every table operation; each call is bound (call.rs), exchanged with
//! LuxSci (exchange.rs) and its failure turned into a redacted `LuxSciError` here.

use super::call::{custom_call, operation_call, Call};
use super::js::{self, get, to_js_error};
use super::options::{CallOptions, Config};
use super::payload::Payload;
use super::transport;
use crate::auth::Session;
use crate::endpoints::{Endpoint, Method};
use crate::error::{redact, Error, MIN_REDACTED, REDACTED};
use crate::path::API_PREFIX;
use crate::session::Credentials;
use js_sys::{JsString, Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// A LuxSci API client. Construct it with the integration's credentials (or `relay: true` in a
/// browser); every operation is a method named as its LuxSci operationId.
#[wasm_bindgen]
pub struct LuxSciClient {
    pub(super) inner: Rc<Inner>,
}

pub(super) struct Inner {
    pub config: Config,
    pub session: Rc<Session>,
    /// A direct (non-relay) client in a browser: every call is refused, since browsers drop `Cookie`.
    pub in_browser: bool,
}

/// A failure on its way to JavaScript: the error and, when LuxSci answered, its parsed body.
pub(super) struct Fail {
    pub error: Error,
    pub body: Option<JsValue>,
}

impl From<Error> for Fail {
    fn from(error: Error) -> Fail {
        Fail { error, body: None }
    }
}

impl Fail {
    /// The JavaScript error, with any credential a server echoed scrubbed from its message and body.
    fn into_js(self, inner: &Inner) -> JsValue {
        let secrets = inner.secrets();
        let mut error = self.error;
        error.message = redact(&error.message, &secrets);
        let body = self.body.map(|body| redact_value(body, &secrets));
        to_js_error(&error, body.as_ref())
    }
}

#[wasm_bindgen]
impl LuxSciClient {
    /// Creates a client. Throws `LuxSciValidationError` for missing, misspelt or mistyped options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<LuxSciClient, JsValue> {
        let config = Config::from_js(&options).map_err(|e| to_js_error(&e, None))?;
        let in_browser = config.credentials.is_some() && is_browser();
        Ok(LuxSciClient {
            inner: Rc::new(Inner {
                config,
                session: Rc::new(Session::default()),
                in_browser,
            }),
        })
    }

    /// Authenticates now (otherwise the first call does); reuses a cached auth code.
    pub fn authenticate(&self, options: JsValue) -> Promise {
        self.inner.run(|inner| async move {
            let opts = CallOptions::from_js(&options)?;
            if inner.config.credentials.is_some() {
                let total_ms = inner.config.limits(&opts).total_ms;
                inner.auth_code(&opts, total_ms).await?;
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Ends the authentication session (`DELETE /auth`) and drops the cached code. Sends nothing
    /// when the client has not authenticated.
    #[wasm_bindgen(js_name = revokeAuthentication)]
    pub fn revoke_authentication(&self, options: JsValue) -> Promise {
        self.inner.run(|inner| async move {
            let options = CallOptions::from_js(&options)?;
            // An authentication in flight is awaited, so that the session it opens is the one revoked.
            let code = match (inner.session.code(), inner.session.pending()) {
                (Some(code), _) => Some(code),
                (None, Some(wait)) => transport::abortable(wait, options.signal.as_ref(), None)
                    .await
                    .map_err(|e| e.for_operation(Some("revokeAuthentication")))?
                    .ok(),
                (None, None) => None,
            };
            let Some(code) = code else {
                return Ok(JsValue::UNDEFINED);
            };
            let call = Call {
                operation: Some("revokeAuthentication"),
                method: Method::Delete,
                path: format!("{API_PREFIX}/auth"),
                query: String::new(),
                payload: Payload::None,
                idempotent: true,
                options,
                reauthenticate: false,
                read_body: true,
                ids_due: None,
            };
            let answer = inner.execute(&call).await?;
            inner.session.invalidate(&code);
            if answer.status == 401 {
                // The session had already ended (expired or revoked elsewhere): nothing left to revoke.
                return Ok(JsValue::UNDEFINED);
            }
            inner.decode(&call, answer)
        })
    }

    /// Calls any LuxSci endpoint, signed like every operation: `path` relative to `/perl/api/v2` (or
    /// absolute), `init` `{ query?, body?, files?, signal?, timeoutMs?, maxRetries? }`.
    pub fn request(&self, method: JsValue, path: JsValue, init: JsValue) -> Promise {
        self.inner.run(|inner| async move {
            let call = custom_call(&method, &path, &init).await?;
            let answer = inner.execute(&call).await?;
            inner.decode(&call, answer)
        })
    }

    /// What `JSON.stringify(client)` shows: where it talks to, never a credential.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let out = Object::new();
        let c = &self.inner.config;
        js::set(&out, "baseUrl", &JsValue::from_str(&c.base));
        js::set(&out, "relay", &JsValue::from_bool(c.credentials.is_none()));
        if let Some(a) = &c.account_id {
            js::set(&out, "accountId", &JsValue::from_str(a));
        }
        if let Some(u) = &c.username {
            js::set(&out, "username", &JsValue::from_str(u));
        }
        out.into()
    }

    /// The sendEmail limits in force: the `sendLimits` option, else LuxSci's documented ones.
    #[wasm_bindgen(getter, js_name = sendLimits)]
    pub fn send_limits(&self) -> JsValue {
        let l = &self.inner.config.limits;
        let out = Object::new();
        js::set(&out, "maxMessages", &JsValue::from(l.max_messages));
        js::set(
            &out,
            "maxRecipientsPerMessage",
            &JsValue::from(l.max_recipients_per_message),
        );
        js::set(
            &out,
            "maxRecipientsPerCall",
            &JsValue::from(l.max_recipients_per_call),
        );
        out.into()
    }

    /// `String(client)`: names the client, never a credential.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("LuxSciClient({})", self.inner.config.base)
    }
}

impl LuxSciClient {
    /// Runs a table operation with its JavaScript arguments `a`, `b`, `c` (bound by the row's shape).
    pub(super) fn invoke(
        &self,
        endpoint: Option<&'static Endpoint>,
        a: JsValue,
        b: JsValue,
        c: JsValue,
    ) -> Promise {
        self.inner.run(move |inner| async move {
            let endpoint = endpoint.ok_or_else(|| Error::validation("unknown operation"))?;
            let call = operation_call(&inner, endpoint, a, b, c)
                .await
                .map_err(|e| e.for_operation(Some(endpoint.id)))?;
            let answer = inner.execute(&call).await?;
            inner.decode(&call, answer)
        })
    }
}

/// Whether this runtime is a browser page or browser worker (whose fetch drops `Cookie`); Node,
/// Deno and workerd are not.
fn is_browser() -> bool {
    let g = js_sys::global();
    let defined = |k: &str| !get(&g, k).is_undefined();
    let user_agent = get(&get(&g, "navigator"), "userAgent")
        .as_string()
        .unwrap_or_default();
    // Node's `process` has versions.node; a bundler's polyfill of `process` in a page does not.
    let node = get(&get(&get(&g, "process"), "versions"), "node").is_string();
    let server_side = defined("Deno") || node || user_agent == "Cloudflare-Workers";
    !server_side && (defined("document") || defined("WorkerGlobalScope"))
}

impl Inner {
    /// The credentials to scrub from any outside text.
    pub(super) fn secrets(&self) -> Vec<&str> {
        self.config
            .credentials
            .as_ref()
            .map_or_else(Vec::new, Credentials::secrets)
    }

    /// Runs `work` as a JavaScript promise: refused at once when the client is unusable here, and any
    /// failure turned into its `LuxSciError` with credentials redacted.
    pub(super) fn run<W, F>(self: &Rc<Self>, work: W) -> Promise
    where
        W: FnOnce(Rc<Inner>) -> F + 'static,
        F: std::future::Future<Output = Result<JsValue, Fail>> + 'static,
    {
        let inner = self.clone();
        future_to_promise(async move {
            let result = match inner.usable() {
                Ok(()) => work(inner.clone()).await,
                Err(e) => Err(e.into()),
            };
            result.map_err(|f| f.into_js(&inner))
        })
    }

    fn usable(&self) -> Result<(), Error> {
        if self.in_browser {
            return Err(Error::validation(
                "browsers drop the Cookie header that carries LuxSci's signature, and must not hold the secret: \
                 mount createRelay() on your server and use new LuxSciClient({ baseUrl, relay: true }) here",
            ));
        }
        Ok(())
    }
}

#[wasm_bindgen]
extern "C" {
    /// A JavaScript string, for `replaceAll` with a JavaScript string as the pattern.
    type Text;
    #[wasm_bindgen(method, js_name = replaceAll)]
    fn replace_all(this: &Text, pattern: &JsString, replacement: &str) -> JsString;
}

/// `value` (parsed JSON) with every credential, raw or JSON-escaped, replaced; `undefined` in the
/// unlikely case that the replacement broke the JSON. The body stays in JavaScript: however large,
/// none of it is copied into wasm memory.
fn redact_value(value: JsValue, secrets: &[&str]) -> JsValue {
    let Ok(text) = js_sys::JSON::stringify(&value) else {
        return value;
    };
    let clean = redact_js(&text, secrets);
    if clean == text {
        return value;
    }
    js::parse_json(&clean.into())
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
