//! What `createRelay()` (js/relay.js) needs from the core: which table operation a path is, and a
//! signed forward that hands LuxSci's Response back untouched (bodies, streams included, pass through).

use super::call::Call;
use super::client::LuxSciClient;
use super::js::get;
use super::options::CallOptions;
use super::payload::{self, Payload};
use crate::endpoints::{self, Method, Shape};
use crate::error::Error;
use crate::path::{self, API_PREFIX};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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

#[wasm_bindgen]
impl LuxSciClient {
    /// Used by `createRelay()`: sends `{ method, path, query, contentType?, body?, jsonText?, signal? }`
    /// signed, where `body` is a JSON string, or a Blob or ReadableStream of multipart data whose
    /// `json` part is `jsonText`; resolves to LuxSci's Response as is. Streams are sent once: no retry
    /// and no replay.
    #[wasm_bindgen(js_name = forwardSigned)]
    pub fn forward_signed(&self, request: JsValue) -> Promise {
        self.inner.run(|inner| async move {
            let text = |k: &str| get(&request, k).as_string();
            let method = text("method")
                .and_then(|m| Method::parse(&m))
                .ok_or_else(|| Error::validation("unsupported method"))?;
            let (path, _) = path::split_custom(&text("path").unwrap_or_default())?;
            let query = text("query").unwrap_or_default();
            let (content_type, json_text, body, signal) = (
                text("contentType"),
                text("jsonText"),
                get(&request, "body"),
                get(&request, "signal"),
            );
            let operation =
                endpoints::match_route(method, path.strip_prefix(API_PREFIX).unwrap_or(&path));
            let streamed = body.is_instance_of::<web_sys::ReadableStream>();
            let payload = match (json_text, content_type) {
                (_, None) if body.is_undefined() || body.is_null() => Payload::None,
                (Some(json), Some(content_type)) => Payload::Multipart {
                    blob: body,
                    content_type,
                    hash: crate::signing::body_hash(&json),
                },
                _ => {
                    let (text, hash) = payload::stringify(&body, "relayed body")?;
                    Payload::Json { text, hash }
                }
            };
            let mut options = CallOptions::from_js(&js_sys::Object::new().into())?;
            options.signal = signal.dyn_into().ok();
            if streamed {
                options.max_retries = Some(0);
            }
            let call = Call {
                operation: operation.map(|e| e.id),
                method,
                path,
                query,
                payload,
                idempotent: operation.map_or(method.idempotent(), |e| e.idempotent()),
                options,
                reauthenticate: !streamed,
                read_body: false,
                ids_due: None,
            };
            let answer = inner.execute(&call).await?;
            Ok(answer.response.into())
        })
    }
}
