//! What the facade asks of JavaScript itself: randomness, and its errors made as instances of the
//! package's `LuxSciError` classes (src/wasm/error.js).

use crate::error::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = coreError)]
    fn core_error(
        name: &str,
        message: &str,
        status: Option<u16>,
        operation_id: Option<&str>,
        may_have_been_sent: Option<bool>,
        retry_after_ms: Option<f64>,
    ) -> JsValue;
}

/// `Math.random()`.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// A seed for an exchange's backoff jitter.
pub fn seed() -> u64 {
    (random() * (1u64 << 53) as f64) as u64
}

/// The JavaScript error for `err`: an instance of the `LuxSciError` subclass its kind names, with
/// `status`, `operationId`, `mayHaveBeenSent` and `retryAfterMs` when set.
pub fn to_js_error(err: &Error) -> JsValue {
    core_error(
        err.kind.class_name(),
        &err.message,
        err.status,
        err.operation_id,
        err.may_have_been_sent,
        err.retry_after_ms,
    )
}
