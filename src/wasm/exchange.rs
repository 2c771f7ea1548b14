//! One call's exchange with LuxSci: lazy single-flight authentication, signing of the exact bytes
//! sent, retries only where repeating is harmless, one transparent re-authentication on 401, and
//! envelope decoding.

use super::call::Call;
use super::client::{Fail, Inner};
use super::js::{self, get, is_plain_object};
use super::options::CallOptions;
use super::transport::{self, Answer, Attempt, Failed};
use crate::auth::{self, Role};
use crate::envelope::{self, Flag};
use crate::error::{Error, ErrorKind};
use crate::path::API_PREFIX;
use crate::relay;
use crate::retry::{self, Failure};
use crate::signing;
use js_sys::{Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The per-attempt timeout and retry budget of one authentication.
#[derive(Clone, Copy)]
struct AuthLimits {
    timeout_ms: f64,
    max_retries: u32,
}

/// One request's retry budget: whether a failure allows another attempt, and the wait before it.
struct Retries {
    done: u32,
    max: u32,
}

impl Retries {
    fn new(max: u32) -> Retries {
        Retries { done: 0, max }
    }

    /// Whether `failure` allows another attempt of a request that is (or is not) safe to repeat.
    fn allow(&self, idempotent: bool, failure: Failure) -> bool {
        self.done < self.max && retry::should_retry(idempotent, failure)
    }

    /// Waits the backoff (or the server's `Retry-After`) before the next attempt; fails at once when
    /// `signal` fires.
    async fn wait(
        &mut self,
        retry_after_ms: Option<f64>,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<(), Error> {
        transport::sleep(
            retry::delay_ms(self.done, retry_after_ms, js::random()),
            signal,
        )
        .await?;
        self.done += 1;
        Ok(())
    }
}

impl Inner {
    /// The cached auth code, or one from the single authentication in flight. The authentication runs
    /// detached from the call that starts it (with that call's `timeoutMs` and `maxRetries`): a call
    /// whose signal fires stops waiting at once, and the others still get the code.
    pub(super) async fn auth_code(
        self: &Rc<Self>,
        options: &CallOptions,
    ) -> Result<Rc<str>, Error> {
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
        let (mut retries, mut corrected) = (Retries::new(limits.max_retries), false);
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
                content_type: Some("application/json"),
                cookie: None,
                mark: None,
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
            if !retries.allow(true, failure) {
                return Err(error);
            }
            retries.wait(wait, None).await?;
        }
    }

    /// Sends `call` until it succeeds or must stop; returns LuxSci's answer.
    pub(super) async fn execute(self: &Rc<Self>, call: &Call) -> Result<Answer, Fail> {
        let config = &self.config;
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
        let mut retries = Retries::new(call.options.max_retries.unwrap_or(config.max_retries));
        let (mut attempt, mut replayed) = (0, false);
        loop {
            attempt += 1;
            let (code, cookie) = match &config.credentials {
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
                    let cookie = format!("signature={code}:{signature}");
                    (Some(code), Some(cookie))
                }
                None => (None, None),
            };
            self.hook(&config.on_request, call, &url, None, attempt);
            let sent = Attempt {
                method: call.method.as_str(),
                url: &url,
                content_type: call.payload.content_type(),
                cookie: cookie.as_deref(),
                mark: config
                    .credentials
                    .is_none()
                    .then_some((relay::HEADER, relay::REQUEST_MARK)),
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
                    let from_relay = config.credentials.is_none()
                        && relay::own_answer(answer.header(relay::HEADER).as_deref());
                    if from_relay || !retries.allow(call.idempotent, failure) {
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
                if !retries.allow(call.idempotent, failure) {
                    error.may_have_been_sent = Some(failure.may_have_been_received());
                    return Err(fail(error));
                }
            }
            retries.wait(wait, signal).await.map_err(&fail)?;
        }
    }

    /// The envelope's `data`, or the failure as the right error class.
    pub(super) fn decode(&self, call: &Call, answer: Answer) -> Result<JsValue, Fail> {
        let (parsed, message) = judge(&answer);
        // A relay-mode client: an answer that is not LuxSci's, passed through, is the relay's failure.
        let relay_failure = self.config.credentials.is_none().then(|| {
            let mark = answer.header(relay::HEADER);
            let relay_message = get(&parsed, "error_message").as_string();
            relay::failure(answer.status, mark.as_deref(), relay_message.as_deref())
        });
        let (kind, message) = match (relay_failure.flatten(), message) {
            (Some(failure), _) => (ErrorKind::Relay, failure),
            (None, None) => return Ok(get(&parsed, "data")),
            (None, Some(message)) if answer.status == 401 => (ErrorKind::Auth, message),
            (None, Some(message)) => (ErrorKind::Api, message),
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
