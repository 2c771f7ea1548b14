//! The incremental SHA-256 that js/drive.js feeds with files' bytes where the runtime has no native
//! one.

use crate::prelude::*;
use crate::signing::StreamHash;
use wasm_bindgen::prelude::*;

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
        core::mem::take(&mut self.0).finish()
    }
}
