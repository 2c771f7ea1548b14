//! Small JavaScript helpers shared by the facade: property access (with cached property names), JSON
//! parsing where the text is, bounded string copies, randomness, and turning an [`Error`] into an
//! instance of the package's `LuxSciError` classes.

use crate::error::Error;
use js_sys::{Array, Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `obj[key]`, or `undefined` when `obj` is not an object or the getter throws.
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() && !obj.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &name(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// `JSON.parse(text)` of a JavaScript string where it is (not copied into wasm and back), or
/// `undefined` when `text` is not a string of JSON.
pub fn parse_json(text: &JsValue) -> JsValue {
    if !text.is_string() {
        return JsValue::UNDEFINED;
    }
    json_parse(text).unwrap_or(JsValue::UNDEFINED)
}

/// The first `max` UTF-16 units of `value` when it is a string: only those are copied into wasm
/// memory, however long the string (a server's text may be any size).
pub fn string_prefix(value: &JsValue, max: usize) -> Option<String> {
    let text = value.dyn_ref::<js_sys::JsString>()?;
    let max = u32::try_from(max).unwrap_or(u32::MAX);
    if text.length() <= max {
        text.as_string()
    } else {
        text.slice(0, max).as_string()
    }
}

/// `obj[key] = value`.
pub fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object we created cannot fail.
    let _ = Reflect::set(obj, &name(key), value);
}

const NAME_SLOTS: usize = 64;

thread_local! {
    /// The JavaScript strings of recently used property names: a send of 1000 messages reads the same
    /// few names thousands of times, and making a JS string from wasm memory costs more than the read.
    /// Measured against the alternatives: without a cache such a send takes about half as long again,
    /// and wasm-bindgen's `intern` (a hash map) is slower still and adds 6 KB to the `.wasm`.
    static NAMES: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `key` as a JavaScript string, from the cache when it was used recently.
fn name(key: &str) -> JsValue {
    let bytes = key.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return JsValue::from_str(key);
    };
    if bytes.len() > 32 {
        return JsValue::from_str(key);
    }
    let slot = (bytes.len() * 31 + usize::from(first) * 7 + usize::from(last)) % NAME_SLOTS;
    NAMES.with(|names| {
        // The borrow ends before anything calls into JavaScript, which may re-enter the client.
        let cached = names.try_borrow().ok().and_then(|n| {
            n.get(slot)
                .filter(|(text, _)| text == key)
                .map(|(_, v)| v.clone())
        });
        cached.unwrap_or_else(|| {
            let value = JsValue::from_str(key);
            if let Ok(mut n) = names.try_borrow_mut() {
                if n.is_empty() {
                    n.resize(NAME_SLOTS, (String::new(), JsValue::UNDEFINED));
                }
                n[slot] = (key.to_owned(), value.clone());
            }
            value
        })
    })
}

/// `Math.random()`.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// A seed for an exchange's backoff jitter.
pub fn seed() -> u64 {
    (random() * (1u64 << 53) as f64) as u64
}

/// The JavaScript error for `err`: an instance of the registered `LuxSciError` subclass (registered on
/// `globalThis[Symbol.for("luxsci.errors")]` by the package's `errors.js`, so that every copy of the
/// package in a realm shares the classes), with `status`, `operationId`, `mayHaveBeenSent`, `retryAfterMs` and `body`.
pub fn to_js_error(err: &Error, body: Option<&JsValue>) -> JsValue {
    let props = Object::new();
    if let Some(s) = err.status {
        set(&props, "status", &JsValue::from(s));
    }
    if let Some(id) = err.operation_id {
        set(&props, "operationId", &JsValue::from_str(id));
    }
    if let Some(b) = err.may_have_been_sent {
        set(&props, "mayHaveBeenSent", &JsValue::from_bool(b));
    }
    if let Some(ms) = err.retry_after_ms {
        set(&props, "retryAfterMs", &JsValue::from_f64(ms));
    }
    if let Some(body) = body.filter(|b| !b.is_undefined()) {
        set(&props, "body", body);
    }
    let registry = Reflect::get(
        &js_sys::global(),
        &js_sys::Symbol::for_("luxsci.errors").into(),
    )
    .unwrap_or(JsValue::UNDEFINED);
    let class = get(&registry, err.kind.class_name());
    if let Some(class) = class.dyn_ref::<Function>() {
        let args = Array::of2(&JsValue::from_str(&err.message), &props);
        if let Ok(e) = Reflect::construct(class, &args) {
            return e;
        }
    }
    // Without the registry (only in Rust's own wasm tests): a plain Error with the same name and fields.
    let e = js_sys::Error::new(&err.message);
    e.set_name(err.kind.class_name());
    Object::assign(&e, &props).into()
}
