//! One call's exchange with LuxSci: lazy single-flight authentication, signing of the exact bytes
//! sent, retries only where repeating is harmless, one transparent re-authentication on 401, and
//! envelope decoding.

use super::call::Call;
use super::client::{Fail, Inner};
use super::js::{self, get, is_plain_object};
use super::options::{CallOptions, Limits};
use super::transport::{self, Answer, Attempt, Failed};
use crate::auth::{self, Role};
use crate::envelope::{self, Flag, Ids};
use crate::error::{Error, ErrorKind};
use crate::exchange::note_not_repeated;
use crate::path::API_PREFIX;
use crate::relay;
use crate::retry::{self, verdict, Budget, Fault, Next, Outcome, Step};
use crate::session;
use crate::signing;
use js_sys::{Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// One request's retries and time: the core's [`Budget`] on the JavaScript clock, and the waits.
struct Retries(Budget);

impl Retries {
    fn new(limits: Limits) -> Retries {
        Retries(Budget::new(
            limits.max_retries,
            limits.total_ms,
            js_sys::Date::now(),
        ))
    }

    /// The timeout of the next attempt (and whether the call's deadline, not `timeoutMs`, sets it),
    /// or the timeout error once the call's time is spent.
    fn attempt_timeout(&self, timeout_ms: f64) -> Result<(f64, bool), Error> {
        self.0
            .attempt_timeout(js_sys::Date::now(), timeout_ms)
            .ok_or_else(|| self.0.spent())
    }

    /// After an attempt whose `outcome` (`error` describing it) was not a success: `Ok(wait)` before
    /// the next attempt, `Err(None)` when the failure stands, `Err(Some(timeout))` when the wait would
    /// pass the call's deadline (recording whether the request may have reached LuxSci).
    fn next(
        &mut self,
        idempotent: bool,
        outcome: &Outcome<'_>,
        error: &str,
    ) -> Result<f64, Option<Error>> {
        let now = js_sys::Date::now();
        match self.0.next(idempotent, outcome, js::random(), now) {
            Step::Retry(wait) => Ok(wait),
            Step::Stop => Err(None),
            Step::OutOfTime(wait) => {
                let mut out = self.0.too_long_to_wait(wait);
                out.message = format!("{error}; {}", out.message);
                if let Outcome::Answered(answer) = outcome {
                    out.retry_after_ms = answer.retry_after_ms;
                }
                out.may_have_been_sent = Some(verdict(false, outcome).may_have_arrived);
                Err(Some(out))
            }
        }
    }
}

impl Inner {
    /// The cached auth code, or one from the single authentication in flight. The authentication runs
    /// detached from the call that starts it (with that call's `timeoutMs`, `maxRetries` and what is
    /// left of its `totalTimeoutMs`, `total_left_ms`): a call whose signal fires or whose time runs
    /// out stops waiting at once, and the others still get the code.
    pub(super) async fn auth_code(
        self: &Rc<Self>,
        options: &CallOptions,
        total_left_ms: f64,
    ) -> Result<Rc<str>, Error> {
        if let Some(code) = self.session.code() {
            return Ok(code);
        }
        // The call that leads runs the authentication within its own time; one that follows stops
        // waiting when its time is up.
        let (wait, late) = match self.session.join_or_lead() {
            Role::Follow(wait) => {
                let late = Error::new(
                    ErrorKind::Timeout,
                    "the call's totalTimeoutMs ran out while it waited for an authentication another call started",
                );
                (wait, Some((total_left_ms, late)))
            }
            Role::Lead(lead) => {
                let wait = lead.follow();
                let inner = self.clone();
                let limits = Limits {
                    total_ms: total_left_ms,
                    ..self.config.limits(options)
                };
                wasm_bindgen_futures::spawn_local(async move {
                    // Every caller, this one included, takes the result through its wait.
                    drop(lead.finish(inner.authenticate_now(limits).await));
                });
                (wait, None)
            }
        };
        transport::abortable(wait, options.signal.as_ref(), late)
            .await?
            .map_err(|e| e.for_operation(Some("authentication")))
    }

    /// One authentication (with retries on transport failures, and one clock-skew correction).
    async fn authenticate_now(&self, limits: Limits) -> auth::AuthResult {
        let Some(creds) = &self.config.credentials else {
            return Err(Error::validation(
                "a relay-mode client does not authenticate",
            ));
        };
        let url = format!("{}{API_PREFIX}/auth", self.config.base);
        let (mut retries, mut corrected) = (Retries::new(limits), false);
        loop {
            let (timeout_ms, cut) = retries.attempt_timeout(limits.timeout_ms)?;
            let date = (js_sys::Date::now() / 1000.0).floor() as i64 + self.session.clock_offset();
            // The body holds the password: the copy in wasm memory is wiped once it is in JavaScript.
            let text = JsValue::from_str(&creds.auth_body(date));
            let attempt = Attempt {
                method: "POST",
                url: &url,
                content_type: Some("application/json"),
                cookie: None,
                mark: None,
                body: Some(&text),
                timeout_ms,
                signal: None,
                fetch: self.config.fetch.as_ref(),
                read_limit: Some(self.config.max_response_bytes),
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
                    let (_, message, _) = judge(self, &answer);
                    return Err(Error::new(
                        ErrorKind::Auth,
                        message.unwrap_or_else(|| "LuxSci refused the credentials".into()),
                    )
                    .with_status(answer.status));
                }
                Ok(answer) if verdict(true, &answered(&answer)).next != Next::Retry => {
                    let (parsed, message, _) = judge(self, &answer);
                    if let Some(message) = message {
                        return Err(Error::new(ErrorKind::Api, message).with_status(answer.status));
                    }
                    // Never cached: the next call authenticates afresh.
                    return auth_code_of(&get(&parsed, "auth"))
                        .map_err(|e| e.with_status(answer.status));
                }
                Ok(answer) => {
                    let mut error =
                        Error::new(ErrorKind::Api, judge(self, &answer).1.unwrap_or_default())
                            .with_status(answer.status);
                    let outcome = answered(&answer);
                    error.retry_after_ms = retry_after(&answer);
                    (outcome, error)
                }
                Err(Failed::Fatal(e)) => return Err(e),
                Err(Failed::Attempt(outcome, _)) if cut && timed_out(&outcome) => {
                    return Err(retries.0.spent())
                }
                Err(Failed::Attempt(outcome, e)) => (outcome, e),
            };
            let (outcome, error) = failure;
            match retries.next(true, &outcome, &error.message) {
                Ok(wait) => transport::sleep(wait, None).await?,
                Err(None) => return Err(error),
                // Whether the auth call reached LuxSci says nothing about the call waiting on it.
                Err(Some(out)) => {
                    return Err(Error {
                        status: error.status,
                        may_have_been_sent: None,
                        ..out
                    })
                }
            }
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
        let limits = config.limits(&call.options);
        let mut retries = Retries::new(limits);
        let (mut attempt, mut replayed) = (0, false);
        // A call that is not safe to repeat is repeated only after an attempt LuxSci certainly did not
        // accept (refused, or 401): time running out between attempts leaves it unsent.
        loop {
            attempt += 1;
            let (code, cookie) = match &config.credentials {
                Some(creds) => {
                    let left = retries.attempt_timeout(f64::INFINITY).map_err(&fail)?.0;
                    let code = self.auth_code(&call.options, left).await.map_err(&fail)?;
                    let to_sign = signing::request_string_to_sign(
                        &code,
                        call.method.as_str(),
                        &call.path,
                        &call.query,
                        call.payload.hash(),
                    );
                    let signature = signing::hmac_hex(creds.secret.expose(), &to_sign);
                    let cookie = signing::signature_cookie(&code, &signature);
                    (Some(code), Some(cookie))
                }
                None => (None, None),
            };
            let (timeout_ms, cut) = retries.attempt_timeout(limits.timeout_ms).map_err(&fail)?;
            self.hook(&config.on_request, call, &url, None, attempt);
            let sent = Attempt {
                method: call.method.as_str(),
                url: &url,
                content_type: call.payload.content_type(),
                cookie: cookie.as_deref().map(String::as_str),
                mark: config
                    .credentials
                    .is_none()
                    .then_some((relay::HEADER, relay::REQUEST_MARK)),
                body: call.payload.body(),
                timeout_ms,
                signal,
                fetch: config.fetch.as_ref(),
                read_limit: call.read_body.then_some(config.max_response_bytes),
            };
            let (failure, mut error) = match transport::send(sent).await {
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
                    let outcome = answered(&answer);
                    // A relay's own answer is final: the relay already retried what it could.
                    let from_relay = config.credentials.is_none()
                        && relay::own_answer(answer.header(relay::HEADER).as_deref());
                    let what = format!("LuxSci answered HTTP {}", answer.status);
                    let step = if from_relay {
                        Err(None)
                    } else {
                        retries.next(call.idempotent, &outcome, &what)
                    };
                    if !matches!(step, Err(None)) {
                        answer.discard();
                    }
                    match step {
                        Ok(wait) => {
                            transport::sleep(wait, signal).await.map_err(&fail)?;
                            continue;
                        }
                        Err(None) => return Ok(answer),
                        Err(Some(error)) => return Err(fail(error.with_status(answer.status))),
                    }
                }
                Err(Failed::Fatal(e)) => return Err(fail(e)),
                Err(Failed::Attempt(outcome, _)) if cut && timed_out(&outcome) => {
                    let mut error = retries.0.spent();
                    error.may_have_been_sent = Some(true);
                    return Err(fail(error));
                }
                Err(Failed::Attempt(outcome, e)) => {
                    // A redirect is an HTTP answer too, though not one to use.
                    if let Some(status) = e.status {
                        self.hook(&config.on_response, call, &url, Some(status), attempt);
                    }
                    (outcome, e)
                }
            };
            match retries.next(call.idempotent, &failure, &error.message) {
                Ok(wait) => transport::sleep(wait, signal).await.map_err(&fail)?,
                Err(None) => {
                    error.may_have_been_sent = Some(verdict(false, &failure).may_have_arrived);
                    return Err(fail(error));
                }
                Err(Some(error)) => return Err(fail(error)),
            }
        }
    }

    /// The envelope's `data`, or the failure as the right error class.
    pub(super) fn decode(&self, call: &Call, answer: Answer) -> Result<JsValue, Fail> {
        let (parsed, failure, accepted) = judge(self, &answer);
        // A relay-mode client: an answer that is not LuxSci's, passed through, is the relay's failure.
        let relay_failure = self.config.credentials.is_none().then(|| {
            let mark = answer.header(relay::HEADER);
            let relay_message =
                js::string_prefix(&get(&parsed, "error_message"), envelope::MAX_MESSAGE);
            relay::failure(answer.status, mark.as_deref(), relay_message.as_deref())
        });
        let (kind, message, may_have_been_sent) = match (relay_failure.flatten(), failure) {
            (Some(failure), _) => (ErrorKind::Relay, failure, accepted),
            (None, None) => {
                let data = get(&parsed, "data");
                match call.ids_due.map(|due| envelope::check_ids(due, ids(&data))) {
                    None | Some(Ok(())) => return Ok(data),
                    Some(Err(message)) => (ErrorKind::Api, message, true),
                }
            }
            (None, Some(message)) if answer.status == 401 => (ErrorKind::Auth, message, accepted),
            (None, Some(message)) => (ErrorKind::Api, message, accepted),
        };
        let mut error = Error::new(kind, message)
            .with_status(answer.status)
            .for_operation(call.operation);
        if !call.idempotent {
            note_not_repeated(&mut error, may_have_been_sent);
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

/// The auth code of LuxSci's answer, if it can go into the `Cookie` header as is (see
/// [`session::usable_code`]); no more than one character past the limit is copied into wasm memory.
fn auth_code_of(value: &JsValue) -> Result<Rc<str>, Error> {
    let code = js::string_prefix(value, session::MAX_AUTH_CODE + 1);
    session::usable_code(code.as_deref()).map(Rc::from)
}

/// The parsed body (`undefined` when not JSON) and, when it is not a success envelope, the message
/// and whether LuxSci may have accepted the request all the same. Of the server's strings only
/// bounded prefixes are copied into wasm memory.
fn judge(inner: &Inner, answer: &Answer) -> (JsValue, Option<String>, bool) {
    if answer.oversized {
        let message = format!(
            "LuxSci answered HTTP {} with a body over maxResponseBytes ({} bytes); it was not read further",
            answer.status, inner.config.max_response_bytes
        );
        // A 2xx cut off at the limit may be LuxSci's acceptance.
        let accepted = envelope::may_have_been_accepted(answer.status, envelope::Body::NotJson);
        return (JsValue::UNDEFINED, Some(message), accepted);
    }
    let parsed = answer
        .text
        .as_ref()
        .map_or(JsValue::UNDEFINED, js::parse_json);
    let secrets = inner.secrets();
    // The window of the text that the message can show; it may echo a credential, so it is wiped.
    let raw = js::string_prefix(
        &get(&parsed, "error_message"),
        envelope::text_window(&secrets),
    )
    .map(Zeroizing::new);
    let message = raw.map(|m| envelope::server_text(&m, &secrets));
    let success = get(&parsed, "success");
    // Only "1" and "0" mean anything as text, so two characters tell them from any other string.
    let text = js::string_prefix(&success, 2);
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
    let accepted = envelope::may_have_been_accepted(answer.status, body);
    (parsed, verdict, accepted)
}

/// What a success's `data` holds, for the one-id-per-message check.
fn ids(data: &JsValue) -> Ids {
    if !js_sys::Array::is_array(data) {
        return Ids::Other;
    }
    let list = js_sys::Array::from(data);
    Ids::Array {
        len: list.length() as usize,
        all_ids: list.iter().all(|id| {
            id.as_string().is_some_and(|s| !s.is_empty()) || id.as_f64().is_some_and(f64::is_finite)
        }),
    }
}

/// An answer as the retry rule judges it: its status and `Retry-After`.
fn answered(answer: &Answer) -> Outcome<'static> {
    Outcome::Answered(retry::Answer {
        status: answer.status,
        retry_after_ms: retry_after(answer),
        ..retry::Answer::default()
    })
}

/// Whether an attempt ended on its timer.
fn timed_out(outcome: &Outcome<'_>) -> bool {
    matches!(
        outcome,
        Outcome::Failed {
            fault: Fault::TimedOut,
            ..
        }
    )
}

/// A 429/503's `Retry-After`, in milliseconds.
fn retry_after(answer: &Answer) -> Option<f64> {
    let value = answer.header("retry-after")?;
    retry::retry_after_ms(&value, js_sys::Date::now(), |d| {
        Some(js_sys::Date::parse(d)).filter(|t| t.is_finite())
    })
}
