//! The retry rule as the batch sender (js/batch.js) asks it of a failed call: the core's
//! [`retry::verdict`] and [`retry::delay_ms`], so that JavaScript holds no copy of either.

use super::js;
use crate::retry::{self, Answer, Fault, Next, Outcome};
use wasm_bindgen::prelude::*;

/// How long to wait before repeating a call that failed with the `LuxSciError` named `name` (its
/// `status`, `retryAfterMs` and `mayHaveBeenSent`) after `retries` repeats: `undefined` when
/// repeating is not harmless (the request may have reached LuxSci) or cannot help, `Infinity` when
/// LuxSci asked for a longer pause than is ever waited out (a spent quota).
#[wasm_bindgen(js_name = retryWait)]
pub fn retry_wait(
    name: &str,
    status: Option<u16>,
    retry_after_ms: Option<f64>,
    may_have_been_sent: bool,
    retries: u32,
) -> Option<f64> {
    // What the error says of the attempt: a connection that sent nothing, or LuxSci's answer.
    let outcome = match name {
        "LuxSciConnectionError" if !may_have_been_sent => Outcome::Failed {
            fault: Fault::Refused,
            reason: "",
        },
        "LuxSciApiError" => Outcome::Answered(Answer {
            status: status?,
            retry_after_ms,
            ..Answer::default()
        }),
        _ => return None,
    };
    // Repeated only when another attempt is worth it and this one certainly did nothing.
    let verdict = retry::verdict(true, &outcome);
    if verdict.may_have_arrived || verdict.next != Next::Retry {
        return None;
    }
    Some(retry::delay_ms(retries, retry_after_ms, js::random()).unwrap_or(f64::INFINITY))
}
