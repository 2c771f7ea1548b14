//! `LuxSciClient`: binds a call's arguments by the endpoint's shape, then runs it through one loop —
//! lazy single-flight authentication, signing of the exact bytes sent, retries only where repeating is
//! harmless, one transparent re-authentication on 401, and envelope decoding.

use super::js::{self, get, is_plain_object, string_or_number, to_js_error};
use super::options::{CallOptions, Config};
use super::payload::{self, Payload};
use super::transport::{self, Answer, Attempt, Failed};
use crate::auth::{self, Role, Session};
use crate::endpoints::{self, Endpoint, Method, Shape};
use crate::envelope::{self, Flag};
use crate::error::{redact, Error, ErrorKind};
use crate::path::{self, PathArgs, API_PREFIX};
use crate::retry::{self, Failure};
use crate::signing;
use js_sys::{Object, Promise};
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

/// The per-attempt timeout and retry budget of one authentication.
#[derive(Clone, Copy)]
struct AuthLimits {
    timeout_ms: f64,
    max_retries: u32,
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

/// A request on its way out.
pub(super) struct Call {
    pub operation: Option<&'static str>,
    pub method: Method,
    pub path: String,
    pub query: String,
    pub payload: Payload,
    pub idempotent: bool,
    pub options: CallOptions,
    /// Replay once after re-authenticating when LuxSci answers 401 (not for revocation or streams).
    pub reauthenticate: bool,
    /// Read and decode the body (a relay passes the Response through instead).
    pub read_body: bool,
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
                inner.auth_code(&opts).await?;
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
                (None, Some(wait)) => transport::abortable(wait, options.signal.as_ref())
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

    /// `String(client)`: names the client, never a credential.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("LuxSciClient({})", self.inner.config.base)
    }
}

impl LuxSciClient {
    /// Runs a table operation with its JavaScript arguments `a`, `b`, `c` (bound by the row's shape).
    pub(super) fn invoke(&self, id: &'static str, a: JsValue, b: JsValue, c: JsValue) -> Promise {
        self.inner.run(move |inner| async move {
            let endpoint = endpoints::by_id(id)
                .ok_or_else(|| Error::validation(format!("unknown operation {id}")))?;
            let call = operation_call(&inner, endpoint, a, b, c)
                .await
                .map_err(|e| e.for_operation(Some(id)))?;
            let answer = inner.execute(&call).await?;
            inner.decode(&call, answer)
        })
    }
}

/// Binds arguments by shape, builds the path, and prepares the body.
async fn operation_call(
    inner: &Inner,
    endpoint: &'static Endpoint,
    a: JsValue,
    b: JsValue,
    c: JsValue,
) -> Result<Call, Error> {
    let (param, input, options) = match endpoint.shape {
        Shape::Auth | Shape::Options => (JsValue::UNDEFINED, JsValue::UNDEFINED, a),
        Shape::Param | Shape::Dir | Shape::File => (a, JsValue::UNDEFINED, b),
        Shape::Body | Shape::Send | Shape::OptQuery => (JsValue::UNDEFINED, a, b),
        Shape::ParamBody | Shape::Upload => (a, b, c),
        // A string is the directory; a lone object is the options.
        Shape::OptDir if a.as_string().is_some() => (a, JsValue::UNDEFINED, b),
        Shape::OptDir if is_plain_object(&a) && b.is_undefined() => {
            (JsValue::UNDEFINED, JsValue::UNDEFINED, a)
        }
        Shape::OptDir => (JsValue::UNDEFINED, JsValue::UNDEFINED, b),
    };
    let options = CallOptions::from_js(&options)?;
    let param = match endpoint.param {
        Some(name) if !param.is_undefined() => Some(
            string_or_number(&param)
                .ok_or_else(|| Error::validation(format!("{name} must be a string")))?,
        ),
        _ => None,
    };
    let c = &inner.config;
    let path = path::build(
        endpoint,
        PathArgs {
            account_id: options.account_id.as_deref().or(c.account_id.as_deref()),
            username: options.username.as_deref().or(c.username.as_deref()),
            param: param.as_deref(),
        },
    )?;
    let mut query = String::new();
    let payload = match endpoint.shape {
        Shape::Body | Shape::ParamBody => {
            payload::json_object(&input, &format!("{} body", endpoint.id))?
        }
        Shape::Send => payload::send(endpoint, &input, &c.limits).await?,
        Shape::Upload => payload::upload(param.as_deref().unwrap_or_default(), &input).await?,
        Shape::OptQuery => {
            query = query_string(&input)?;
            Payload::None
        }
        _ => Payload::None,
    };
    Ok(Call {
        operation: Some(endpoint.id),
        method: endpoint.method,
        path,
        query,
        payload,
        idempotent: endpoint.idempotent(),
        options,
        reauthenticate: true,
        read_body: true,
    })
}

const INIT_KEYS: &[&str] = &[
    "query",
    "body",
    "files",
    "signal",
    "timeoutMs",
    "maxRetries",
];

/// `request(method, path, init)`.
async fn custom_call(method: &JsValue, path: &JsValue, init: &JsValue) -> Result<Call, Error> {
    let method = method
        .as_string()
        .and_then(|m| Method::parse(&m))
        .ok_or_else(|| Error::validation("method must be one of GET, POST, PUT, DELETE"))?;
    let path = path
        .as_string()
        .ok_or_else(|| Error::validation("path must be a string"))?;
    if !init.is_undefined() {
        if !is_plain_object(init) {
            return Err(Error::validation("request init must be an object"));
        }
        js::check_keys(init, "request", INIT_KEYS)?;
    }
    let (path, inline_query) = path::split_custom(&path)?;
    let given = get(init, "query");
    let query = match (inline_query.is_empty(), given.is_undefined()) {
        (_, true) => inline_query,
        (true, false) => query_string(&given)?,
        (false, false) => {
            return Err(Error::validation(
                "give the query in the path or in init.query, not both",
            ))
        }
    };
    let (body, files) = (get(init, "body"), get(init, "files"));
    if matches!(method, Method::Get | Method::Delete)
        && !(body.is_undefined() && files.is_undefined())
    {
        return Err(Error::validation(
            "GET and DELETE requests carry no body: use query",
        ));
    }
    let payload = if !files.is_undefined() {
        payload::with_files(&body, &files).await?
    } else if body.is_undefined() {
        Payload::None
    } else {
        let (text, hash) = payload::stringify(&body, "body")?;
        Payload::Json { text, hash }
    };
    let options = Object::new();
    for key in ["signal", "timeoutMs", "maxRetries"] {
        let v = get(init, key);
        if !v.is_undefined() {
            js::set(&options, key, &v);
        }
    }
    Ok(Call {
        operation: endpoints::match_route(method, path.strip_prefix(API_PREFIX).unwrap_or(&path))
            .map(|e| e.id),
        method,
        idempotent: method.idempotent(),
        path,
        query,
        payload,
        options: CallOptions::from_js(&options.into())?,
        reauthenticate: true,
        read_body: true,
    })
}

/// A query object serialised in key order (`k=v&...`, arrays as repeated keys, null/undefined
/// skipped), or a raw query string as given.
fn query_string(value: &JsValue) -> Result<String, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    if let Some(raw) = value.as_string() {
        return Ok(raw.trim_start_matches('?').to_owned());
    }
    if !is_plain_object(value) {
        return Err(Error::validation("query must be an object or a string"));
    }
    let mut out = String::new();
    for key in js::keys(value) {
        let v = get(value, &key);
        let items: Vec<JsValue> = if js_sys::Array::is_array(&v) {
            js_sys::Array::from(&v).iter().collect()
        } else {
            vec![v]
        };
        for item in items.iter().filter(|i| !i.is_undefined() && !i.is_null()) {
            let text = string_or_number(item)
                .or_else(|| item.as_bool().map(|b| b.to_string()))
                .ok_or_else(|| {
                    Error::validation(format!("query.{key} must be a string, number or boolean"))
                })?;
            if !out.is_empty() {
                out.push('&');
            }
            path::query_component(&mut out, &key);
            out.push('=');
            path::query_component(&mut out, &text);
        }
    }
    Ok(out)
}

/// Whether this runtime is a browser page or browser worker (whose fetch drops `Cookie`); Node,
/// Deno and workerd are not.
fn is_browser() -> bool {
    let g = js_sys::global();
    let defined = |k: &str| !get(&g, k).is_undefined();
    let user_agent = get(&get(&g, "navigator"), "userAgent")
        .as_string()
        .unwrap_or_default();
    let server_side = defined("Deno") || defined("process") || user_agent == "Cloudflare-Workers";
    !server_side && (defined("document") || defined("WorkerGlobalScope"))
}

impl Inner {
    /// The credentials to scrub from any outside text.
    fn secrets(&self) -> Vec<&str> {
        self.config
            .credentials
            .as_ref()
            .map(|c| {
                let mut v = vec![c.secret.expose()];
                if let Some((_, p)) = &c.user_pass {
                    v.push(p.expose());
                }
                v
            })
            .unwrap_or_default()
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

    /// The cached auth code, or one from the single authentication in flight. The authentication runs
    /// detached from the call that starts it (with that call's `timeoutMs` and `maxRetries`): a call
    /// whose signal fires stops waiting at once, and the others still get the code.
    async fn auth_code(self: &Rc<Self>, options: &CallOptions) -> Result<Rc<str>, Error> {
        if let Some(code) = self.session.code() {
            return Ok(code);
        }
        let wait = match self.session.join_or_lead() {
            Role::Follow(wait) => wait,
            Role::Lead(lead) => {
                let wait = lead.follow();
                let inner = self.clone();
                let limits = AuthLimits {
                    timeout_ms: options.timeout_ms.unwrap_or(self.config.timeout_ms),
                    max_retries: options.max_retries.unwrap_or(self.config.max_retries),
                };
                wasm_bindgen_futures::spawn_local(async move {
                    // Every caller, this one included, takes the result through its wait.
                    drop(lead.finish(inner.authenticate_now(limits).await));
                });
                wait
            }
        };
        transport::abortable(wait, options.signal.as_ref())
            .await?
            .map_err(|e| e.for_operation(Some("authentication")))
    }

    /// One authentication (with retries on transport failures, and one clock-skew correction).
    async fn authenticate_now(&self, limits: AuthLimits) -> auth::AuthResult {
        let Some(creds) = &self.config.credentials else {
            return Err(Error::validation(
                "a relay-mode client does not authenticate",
            ));
        };
        let url = format!("{}{API_PREFIX}/auth", self.config.base);
        let headers = [
            ("accept", "application/json".to_owned()),
            ("content-type", "application/json".to_owned()),
        ];
        let (mut retries, mut corrected) = (0, false);
        loop {
            let date = (js_sys::Date::now() / 1000.0).floor() as i64 + self.session.clock_offset();
            let date_text = date.to_string();
            let user_pass = creds
                .user_pass
                .as_ref()
                .map(|(u, p)| (u.as_str(), p.expose()));
            let signature = signing::hmac_hex(
                creds.secret.expose(),
                &signing::auth_string_to_sign(&creds.token, &date_text, user_pass),
            );
            let body = Object::new();
            js::set(&body, "token", &JsValue::from_str(&creds.token));
            js::set(&body, "date", &JsValue::from_f64(date as f64));
            js::set(&body, "signature", &JsValue::from_str(&signature));
            if let Some((u, p)) = user_pass {
                js::set(&body, "user", &JsValue::from_str(u));
                js::set(&body, "pass", &JsValue::from_str(p));
            }
            let text: JsValue = js_sys::JSON::stringify(&body)
                .map(Into::into)
                .unwrap_or(JsValue::UNDEFINED);
            let attempt = Attempt {
                method: "POST",
                url: &url,
                headers: &headers,
                body: Some(&text),
                timeout_ms: limits.timeout_ms,
                signal: None,
                fetch: self.config.fetch.as_ref(),
                read_body: true,
            };
            let failure = match transport::send(attempt).await {
                Ok(answer) if matches!(answer.status, 401 | 403) => {
                    let server_date = answer
                        .header("date")
                        .map(|d| js_sys::Date::parse(&d) / 1000.0);
                    if let Some(offset) = server_date
                        .filter(|d| d.is_finite() && !corrected)
                        .and_then(|d| auth::skew_correction(date, d as i64))
                    {
                        corrected = true;
                        self.session
                            .set_clock_offset(self.session.clock_offset() + offset);
                        continue;
                    }
                    let (_, message) = judge(&answer);
                    return Err(Error::new(
                        ErrorKind::Auth,
                        message.unwrap_or_else(|| "LuxSci refused the credentials".into()),
                    )
                    .with_status(answer.status));
                }
                Ok(answer) if !retry::should_retry(true, Failure::Status(answer.status)) => {
                    let (parsed, message) = judge(&answer);
                    if let Some(message) = message {
                        return Err(Error::new(ErrorKind::Api, message).with_status(answer.status));
                    }
                    return match get(&parsed, "auth").as_string() {
                        Some(code) if usable_code(&code) => Ok(Rc::from(code)),
                        _ => Err(Error::new(
                            ErrorKind::Api,
                            "LuxSci's auth answer carried no usable auth code",
                        )
                        .with_status(answer.status)),
                    };
                }
                Ok(answer) => (
                    Failure::Status(answer.status),
                    Error::new(ErrorKind::Api, judge(&answer).1.unwrap_or_default())
                        .with_status(answer.status),
                    retry_after(&answer),
                ),
                Err(Failed::Fatal(e)) => return Err(e),
                Err(Failed::Attempt(f, e)) => (f, e, None),
            };
            let (failure, error, wait) = failure;
            if retries >= limits.max_retries || !retry::should_retry(true, failure) {
                return Err(error);
            }
            transport::sleep(retry::delay_ms(retries, wait, js::random()), None).await?;
            retries += 1;
        }
    }

    /// Sends `call` until it succeeds or must stop; returns LuxSci's answer.
    pub(super) async fn execute(self: &Rc<Self>, call: &Call) -> Result<Answer, Fail> {
        let config = &self.config;
        let max_retries = call.options.max_retries.unwrap_or(config.max_retries);
        let signal = call.options.signal.as_ref();
        let url = if call.query.is_empty() {
            format!("{}{}", config.base, call.path)
        } else {
            format!("{}{}?{}", config.base, call.path, call.query)
        };
        let fail = |mut error: Error| -> Fail {
            if call.idempotent {
                error.may_have_been_sent = None;
            } else {
                let may = error.may_have_been_sent.unwrap_or(false);
                note_not_repeated(&mut error, may);
            }
            error.for_operation(call.operation).into()
        };
        let (mut retries, mut attempt, mut replayed) = (0, 0, false);
        loop {
            attempt += 1;
            let mut headers = vec![("accept", "application/json".to_owned())];
            if let Some(t) = call.payload.content_type() {
                headers.push(("content-type", t.to_owned()));
            }
            let code = match &config.credentials {
                Some(creds) => {
                    let code = self.auth_code(&call.options).await.map_err(&fail)?;
                    let to_sign = signing::request_string_to_sign(
                        &code,
                        call.method.as_str(),
                        &call.path,
                        &call.query,
                        call.payload.hash(),
                    );
                    let signature = signing::hmac_hex(creds.secret.expose(), &to_sign);
                    headers.push(("cookie", format!("signature={code}:{signature}")));
                    Some(code)
                }
                None => None,
            };
            self.hook(&config.on_request, call, &url, None, attempt);
            let sent = Attempt {
                method: call.method.as_str(),
                url: &url,
                headers: &headers,
                body: call.payload.body(),
                timeout_ms: call.options.timeout_ms.unwrap_or(config.timeout_ms),
                signal,
                fetch: config.fetch.as_ref(),
                read_body: call.read_body,
            };
            let (failure, error, wait) = match transport::send(sent).await {
                Ok(answer) => {
                    self.hook(
                        &config.on_response,
                        call,
                        &url,
                        Some(answer.status),
                        attempt,
                    );
                    if answer.status == 401 && call.reauthenticate && !replayed {
                        if let Some(code) = &code {
                            answer.discard();
                            self.session.invalidate(code);
                            replayed = true;
                            continue;
                        }
                    }
                    let failure = Failure::Status(answer.status);
                    if retries >= max_retries || !retry::should_retry(call.idempotent, failure) {
                        return Ok(answer);
                    }
                    let wait = retry_after(&answer);
                    answer.discard();
                    (failure, None, wait)
                }
                Err(Failed::Fatal(e)) => return Err(fail(e)),
                Err(Failed::Attempt(failure, e)) => (failure, Some(e), None),
            };
            if let Some(mut error) = error {
                if retries >= max_retries || !retry::should_retry(call.idempotent, failure) {
                    error.may_have_been_sent = Some(failure.may_have_been_received());
                    return Err(fail(error));
                }
            }
            transport::sleep(retry::delay_ms(retries, wait, js::random()), signal)
                .await
                .map_err(&fail)?;
            retries += 1;
        }
    }

    /// The envelope's `data`, or the failure as the right error class.
    pub(super) fn decode(&self, call: &Call, answer: Answer) -> Result<JsValue, Fail> {
        let (parsed, message) = judge(&answer);
        let Some(message) = message else {
            return Ok(get(&parsed, "data"));
        };
        let kind = if answer.status == 401 {
            ErrorKind::Auth
        } else {
            ErrorKind::Api
        };
        let mut error = Error::new(kind, message)
            .with_status(answer.status)
            .for_operation(call.operation);
        if !call.idempotent {
            note_not_repeated(&mut error, answer.status >= 500);
        }
        error.retry_after_ms = retry_after(&answer);
        Err(Fail {
            error,
            body: Some(parsed).filter(|p| !p.is_undefined()),
        })
    }

    /// Calls an observability hook with the attempt (headers never included) and ignores its failures,
    /// a thrown error or a rejected promise alike (an unhandled rejection would end a Node process).
    fn hook(
        &self,
        hook: &Option<js_sys::Function>,
        call: &Call,
        url: &str,
        status: Option<u16>,
        attempt: u32,
    ) {
        if let Some(f) = hook {
            let info = Object::new();
            if let Some(op) = call.operation {
                js::set(&info, "operationId", &JsValue::from_str(op));
            }
            js::set(&info, "method", &JsValue::from_str(call.method.as_str()));
            js::set(&info, "url", &JsValue::from_str(url));
            js::set(&info, "attempt", &JsValue::from(attempt));
            if let Some(s) = status {
                js::set(&info, "status", &JsValue::from(s));
            }
            if let Ok(returned) = f.call1(&JsValue::UNDEFINED, &info) {
                if let Ok(promise) = returned.dyn_into::<Promise>() {
                    transport::ignore_rejection(&promise);
                }
            }
        }
    }
}

/// `value` (parsed JSON) with every credential, raw or JSON-escaped, replaced; `undefined` in the
/// unlikely case that the replacement broke the JSON.
fn redact_value(value: JsValue, secrets: &[&str]) -> JsValue {
    let Some(text) = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|t| t.as_string())
    else {
        return value;
    };
    let escaped: Vec<String> = secrets
        .iter()
        .filter_map(|s| {
            js_sys::JSON::stringify(&JsValue::from_str(s))
                .ok()?
                .as_string()
        })
        .map(|quoted| quoted.trim_matches('"').to_owned())
        .collect();
    let all: Vec<&str> = secrets
        .iter()
        .copied()
        .chain(escaped.iter().map(String::as_str))
        .collect();
    let clean = redact(&text, &all);
    if clean == text {
        return value;
    }
    js_sys::JSON::parse(&clean).unwrap_or(JsValue::UNDEFINED)
}

/// Whether an auth code from LuxSci can go into the `Cookie` header as is: visible ASCII without the
/// characters a cookie value may not hold, nor the `:` that separates it from the signature.
fn usable_code(code: &str) -> bool {
    !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b':' | b';' | b',' | b'"' | b'\\'))
}

/// Records on the error of a call that is not safe to repeat whether its request may have reached
/// LuxSci, and says so in the message when it may: it was not repeated, so it must be checked.
fn note_not_repeated(error: &mut Error, may_have_been_sent: bool) {
    error.may_have_been_sent = Some(may_have_been_sent);
    if may_have_been_sent {
        error.message.push_str(
            " — the request may have reached LuxSci, so it was not repeated; check before sending again",
        );
    }
}

/// The parsed body (`undefined` when not JSON) and, when it is not a success envelope, the message.
fn judge(answer: &Answer) -> (JsValue, Option<String>) {
    let parsed = answer
        .text
        .as_ref()
        .map_or(JsValue::UNDEFINED, js::parse_json);
    let message = get(&parsed, "error_message").as_string();
    let success = get(&parsed, "success");
    let text = success.as_string();
    let flag = if success.is_undefined() {
        Flag::Missing
    } else if let Some(b) = success.as_bool() {
        Flag::Bool(b)
    } else if let Some(n) = success.as_f64() {
        Flag::Number(n)
    } else if let Some(t) = &text {
        Flag::Text(t)
    } else {
        Flag::Other
    };
    let body = if parsed.is_undefined() {
        envelope::Body::NotJson
    } else if !is_plain_object(&parsed) {
        envelope::Body::NotObject
    } else {
        envelope::Body::Object {
            success: flag,
            error_message: message.as_deref(),
        }
    };
    let verdict = envelope::judge(answer.status, body).err();
    (parsed, verdict)
}

/// A 429/503's `Retry-After`, in milliseconds.
fn retry_after(answer: &Answer) -> Option<f64> {
    let value = answer.header("retry-after")?;
    retry::retry_after_ms(&value, js_sys::Date::now(), |d| {
        Some(js_sys::Date::parse(d)).filter(|t| t.is_finite())
    })
}
