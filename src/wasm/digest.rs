//! SHA-256 of JSON bodies and files: the runtime's native incremental hash when the entry registered one
//! (Node's `node:crypto`: several times faster than SHA-256 in wasm, and nothing is copied into wasm
//! memory), otherwise the wasm one from [`crate::signing`].

use crate::signing::{self, StreamHash};
use js_sys::{Function, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// What the registered factory returns: `node:crypto`'s `Hash` (or anything with the same two methods).
    pub type NativeHash;
    #[wasm_bindgen(method, catch)]
    fn update(this: &NativeHash, data: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn digest(this: &NativeHash, encoding: &str) -> Result<JsValue, JsValue>;
}

thread_local! {
    static FACTORY: RefCell<Option<Function>> = const { RefCell::new(None) };
    static ONE_SHOT: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers `() => hash` (`hash.update(bytes | string)`, `hash.digest("hex")`) for files, and
/// `(text) => hex` for JSON texts (one call instead of four), as Node's entry does with
/// `createHash("sha256")` and `hash("sha256", text)`. Not part of the public API.
#[wasm_bindgen(js_name = useNativeSha256)]
pub fn use_native_sha256(factory: Function, one_shot: Function) {
    FACTORY.with(|f| *f.borrow_mut() = Some(factory));
    ONE_SHOT.with(|f| *f.borrow_mut() = Some(one_shot));
}

/// A clone of a registered function, so that no borrow of its slot is held while it runs (it is
/// JavaScript, which might re-enter and register another).
fn registered(slot: &'static std::thread::LocalKey<RefCell<Option<Function>>>) -> Option<Function> {
    slot.with(|f| f.borrow().clone())
}

fn native() -> Option<NativeHash> {
    registered(&FACTORY)
        .and_then(|f| f.call0(&JsValue::UNDEFINED).ok())
        .map(JsCast::unchecked_into)
}

/// An incremental SHA-256 fed with JavaScript bytes.
pub enum Sha256 {
    Native(NativeHash),
    /// In wasm: each piece is copied into one reused buffer first.
    Wasm(StreamHash, Vec<u8>),
}

impl Default for Sha256 {
    /// The native hash when registered, else the wasm one.
    fn default() -> Sha256 {
        native().map_or_else(
            || Sha256::Wasm(StreamHash::default(), Vec::new()),
            Sha256::Native,
        )
    }
}

impl Sha256 {
    /// Feeds the next piece (the caller bounds its size: it is copied whole in the wasm case).
    pub fn update(&mut self, bytes: &Uint8Array) -> Result<(), JsValue> {
        match self {
            Sha256::Native(h) => h.update(bytes).map(drop),
            Sha256::Wasm(h, buf) => {
                buf.resize(bytes.length() as usize, 0);
                bytes.copy_to(buf);
                h.update(buf);
                Ok(())
            }
        }
    }

    /// Lowercase hex of everything fed.
    pub fn finish(self) -> Result<String, JsValue> {
        match self {
            Sha256::Native(h) => h
                .digest("hex")?
                .as_string()
                .ok_or_else(|| JsValue::from_str("digest is not a string")),
            Sha256::Wasm(h, _) => Ok(h.finish()),
        }
    }
}

/// The body hash of `text`, a JavaScript string that `JSON.stringify` produced (so there is nothing to
/// trim): hashed where it is, natively, when possible; otherwise copied into wasm once.
pub fn json_text_hash(text: &JsValue) -> String {
    registered(&ONE_SHOT)
        .and_then(|f| f.call1(&JsValue::UNDEFINED, text).ok())
        .and_then(|hex| hex.as_string())
        .unwrap_or_else(|| signing::body_hash(&text.as_string().unwrap_or_default()))
}
