//! SHA-256 for JavaScript: JSON bodies hashed by the runtime's native one-shot hash when the entry
//! registered one (Node's `node:crypto`: several times faster than SHA-256 in wasm, and nothing is
//! copied into wasm memory), otherwise by [`crate::signing`]; and the incremental hash that
//! js/drive.js feeds with files' bytes where the runtime has no native one.

use crate::signing::{self, StreamHash};
use js_sys::Function;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static ONE_SHOT: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers `(text) => hex`, the runtime's SHA-256 of a JSON text, as Node's entry does with
/// `hash("sha256", text)` (through js/drive.js). Not part of the public API.
#[wasm_bindgen(js_name = useNativeTextHash)]
pub fn use_native_text_hash(one_shot: Function) {
    ONE_SHOT.with(|f| *f.borrow_mut() = Some(one_shot));
}

/// The body hash of `text`, a JavaScript string that `JSON.stringify` produced (so there is nothing to
/// trim): hashed where it is, natively, when possible; otherwise copied into wasm once.
pub fn json_text_hash(text: &JsValue) -> String {
    // A clone, so that no borrow of the slot is held while JavaScript runs (it might re-enter).
    ONE_SHOT
        .with(|f| f.borrow().clone())
        .and_then(|f| f.call1(&JsValue::UNDEFINED, text).ok())
        .and_then(|hex| hex.as_string())
        .unwrap_or_else(|| signing::body_hash(&text.as_string().unwrap_or_default()))
}

/// An incremental SHA-256 in wasm, fed piece by piece (each piece is copied into wasm memory).
#[wasm_bindgen]
#[derive(Default)]
pub struct Sha256(StreamHash);

#[wasm_bindgen]
impl Sha256 {
    /// A new hash.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Sha256 {
        Sha256::default()
    }

    /// Feeds the next piece.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Lowercase hex of everything fed (the hash starts over).
    pub fn digest(&mut self) -> String {
        std::mem::take(&mut self.0).finish()
    }
}
