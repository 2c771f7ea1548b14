//! What `createRelay()` (js/relay.js) needs from the core: the relay protocol's header and marks, which
//! table operation a path is, a signed forward that hands LuxSci's Response back with its body unread
//! (bodies, streams included, pass through), and the redaction of the relay's credentials from an answer.

use super::call::Call;
use super::client::{redact_js, LuxSciClient};
use super::digest;
use super::job::Job;
use super::js::{get, set};
use super::options::CallOptions;
use super::payload::{Body, Payload};
use crate::endpoints::{self, Method, Shape};
use crate::error::Error;
use crate::path::{self, API_PREFIX};
use crate::relay;
use js_sys::{JsString, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The relay protocol (see `crate::relay`): `{ header, request, luxsci, relay }`, the header's name and
/// its values on relay-mode requests, on LuxSci's answers passed through, and on the relay's own answers.
#[wasm_bindgen(js_name = relayProtocol)]
pub fn relay_protocol() -> JsValue {
    let out = Object::new();
    for (key, value) in [
        ("header", relay::HEADER),
        ("request", relay::REQUEST_MARK),
        ("luxsci", relay::FROM_LUXSCI),
        ("relay", relay::FROM_RELAY),
    ] {
        set(&out, key, &JsValue::from_str(value));
    }
    out.into()
}

/// The operationId of a table operation addressed by `method` and `path` (absolute, `/perl/api/v2/...`),
/// or `undefined`. Authentication is never matched: a relay authenticates by itself.
#[wasm_bindgen(js_name = matchOperation)]
pub fn match_operation(method: &str, path: &str) -> Option<String> {
    let method = Method::parse(method)?;
    let relative = path.strip_prefix(API_PREFIX)?;
    endpoints::match_route(method, relative)
        .filter(|e| e.shape != Shape::Auth)
        .map(|e| e.id.to_owned())
}

/// A JSON text as signed and sent: trimmed where it is, and hashed without a copy into wasm where the
/// runtime hashes natively.
fn json_text(value: &JsValue, what: &str) -> Result<(JsValue, String), Error> {
    let text: JsValue = value
        .dyn_ref::<JsString>()
        .ok_or_else(|| Error::validation(format!("{what} must be a string")))?
        .trim()
        .into();
    let hash = digest::json_text_hash(&text);
    Ok((text, hash))
}

#[wasm_bindgen]
impl LuxSciClient {
    /// Used by `createRelay()`: sends `{ method, path, query, contentType?, body?, jsonText?, signal? }`
    /// signed, where `body` is a JSON text, or a Blob or ReadableStream of multipart data whose `json`
    /// part is `jsonText`: its job resolves to LuxSci's Response with its body unread (under this client's
    /// `timeoutMs` until it ends). The path is checked as `request()`'s is. Streams are sent once: no
    /// retry and no replay.
    #[wasm_bindgen(js_name = forwardSigned)]
    pub fn forward_signed(&self, request: JsValue) -> Result<Job, JsValue> {
        self.inner.bind(|inner| {
            let text = |k: &str| get(&request, k).as_string();
            let method = text("method")
                .and_then(|m| Method::parse(&m))
                .ok_or_else(|| Error::validation("unsupported method"))?;
            let (path, _) = path::split_custom(&text("path").unwrap_or_default())?;
            let query = text("query").unwrap_or_default();
            let (content_type, json, body, signal) = (
                text("contentType"),
                get(&request, "jsonText"),
                get(&request, "body"),
                get(&request, "signal"),
            );
            let operation =
                endpoints::match_route(method, path.strip_prefix(API_PREFIX).unwrap_or(&path));
            let streamed = body.is_instance_of::<web_sys::ReadableStream>();
            let payload = match content_type {
                None if body.is_undefined() || body.is_null() => Payload::None,
                Some(content_type) if !json.is_undefined() => Payload::Multipart {
                    blob: body,
                    content_type,
                    hash: json_text(&json, "the json part")?.1,
                },
                _ => {
                    let (text, hash) = json_text(&body, "a relayed JSON body")?;
                    Payload::Json { text, hash }
                }
            };
            let mut options = CallOptions::from_js(&js_sys::Object::new().into())?;
            options.signal = signal.dyn_into().ok();
            let call = Call {
                operation: operation.map(|e| e.id),
                method,
                path,
                query,
                payload: Body::Ready(payload),
                idempotent: operation.map_or(method.idempotent(), |e| e.idempotent()),
                options,
                resendable: !streamed,
                read_body: false,
                ids_due: None,
            };
            Ok(Job::call(inner, call, None))
        })
    }

    /// Used by `createRelay()`: `text` (an answer it passes on) with this client's secret and password,
    /// raw or JSON-escaped, replaced by `[redacted]`: what a server echoes never reaches the browser.
    /// Anything but a string is returned as it is.
    #[wasm_bindgen(js_name = redactAnswer)]
    pub fn redact_answer(&self, text: JsValue) -> JsValue {
        match text.dyn_into::<JsString>() {
            Ok(t) => self
                .inner
                .with_secrets(|secrets| redact_js(&t, secrets))
                .into(),
            Err(other) => other,
        }
    }
}
