//! `LuxSciClient`, the class JavaScript sees: construction, and the entries of `authenticate`,
//! `revokeAuthentication`, `request` and every table operation; each call is bound (call.rs) into a
//! [`Job`] that JavaScript runs (js/drive.js), and any failure turned into a redacted `LuxSciError` here.

use super::call::{custom_call, operation_call};
use super::job::Job;
use super::js::{self, get, to_js_error};
use super::options::{CallOptions, Config};
use crate::endpoints::Endpoint;
use crate::error::{redact, Error, MIN_REDACTED, REDACTED};
use crate::exchange::Exchange;
use crate::session::Session;
use js_sys::{JsString, Object};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A LuxSci API client. Construct it with the integration's credentials (or `relay: true` in a
/// browser); every operation is a method named as its LuxSci operationId.
#[wasm_bindgen]
pub struct LuxSciClient {
    pub(super) inner: Rc<Inner>,
}

pub(super) struct Inner {
    pub config: Config,
    pub session: RefCell<Session>,
    /// A relay-mode client: it holds no credentials, and marks its requests for the relay.
    pub relay: bool,
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
    pub(super) fn into_js(self, inner: &Inner) -> JsValue {
        inner.with_secrets(|secrets| {
            let mut error = self.error;
            error.message = redact(&error.message, secrets);
            let body = self.body.map(|body| redact_value(body, secrets));
            to_js_error(&error, body.as_ref())
        })
    }
}

#[wasm_bindgen]
impl LuxSciClient {
    /// Creates a client. Throws `LuxSciValidationError` for missing, misspelt or mistyped options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<LuxSciClient, JsValue> {
        let mut config = Config::from_js(&options).map_err(|e| to_js_error(&e, None))?;
        let credentials = config.credentials.take();
        let relay = credentials.is_none();
        let in_browser = !relay && is_browser();
        Ok(LuxSciClient {
            inner: Rc::new(Inner {
                session: RefCell::new(Session::new(credentials)),
                relay,
                config,
                in_browser,
            }),
        })
    }

    /// `authenticate(options)`: authenticates now (otherwise the first call does); reuses a cached
    /// auth code. (js/methods.js installs the public method, which runs the job.)
    #[wasm_bindgen(js_name = __authenticate)]
    pub fn authenticate(&self, options: JsValue) -> Result<Job, JsValue> {
        self.inner.bind(|inner| {
            let options = CallOptions::from_js(&options)?;
            Ok(Job::session(inner, Exchange::authenticate, options))
        })
    }

    /// `revokeAuthentication(options)`: ends the authentication session (`DELETE /auth`) and drops
    /// the cached code. Sends nothing when the client has not authenticated.
    #[wasm_bindgen(js_name = __revoke)]
    pub fn revoke_authentication(&self, options: JsValue) -> Result<Job, JsValue> {
        self.inner.bind(|inner| {
            let options = CallOptions::from_js(&options)?;
            Ok(Job::session(inner, Exchange::revoke, options))
        })
    }

    /// `request(method, path, init)`: calls any LuxSci endpoint, signed like every operation: `path`
    /// relative to `/perl/api/v2` (or absolute), `init` `{ query?, body?, files?, signal?, timeoutMs?,
    /// maxRetries? }`.
    #[wasm_bindgen(js_name = __request)]
    pub fn request(&self, method: JsValue, path: JsValue, init: JsValue) -> Result<Job, JsValue> {
        self.inner
            .bind(|inner| Ok(Job::call(inner, custom_call(&method, &path, &init)?, None)))
    }

    /// What `JSON.stringify(client)` shows: where it talks to, never a credential.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let out = Object::new();
        let c = &self.inner.config;
        js::set(&out, "baseUrl", &JsValue::from_str(&c.base));
        js::set(&out, "relay", &JsValue::from_bool(self.inner.relay));
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
    ) -> Result<Job, JsValue> {
        self.inner.bind(|inner| {
            let endpoint = endpoint.ok_or_else(|| Error::validation("unknown operation"))?;
            let operation = Some(endpoint.id);
            let call = operation_call(&inner.config, endpoint, a, b, c)
                .map_err(|e| e.for_operation(operation))?;
            Ok(Job::call(inner, call, operation))
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
    /// `f` of the credentials to scrub from any outside text (the session holds the only copy).
    pub(super) fn with_secrets<T>(&self, f: impl FnOnce(&[&str]) -> T) -> T {
        f(&self.session.borrow().secrets())
    }

    /// The job `bind` makes of a method's arguments, now: refused at once when the client is unusable
    /// here, and any failure turned into its `LuxSciError` with credentials redacted.
    pub(super) fn bind(
        self: &Rc<Self>,
        bind: impl FnOnce(Rc<Inner>) -> Result<Job, Error>,
    ) -> Result<Job, JsValue> {
        self.usable()
            .and_then(|()| bind(self.clone()))
            .map_err(|e| Fail::from(e).into_js(self))
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
