//! wasm-bindgen tests in a headless Chromium page (`cargo test --target wasm32-unknown-unknown --test browser`,
//! chromedriver on PATH); the cases are in tests/wasm_browser/cases.rs.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm_browser/cases.rs"]
mod cases;
