//! The browser cases (tests/wasm_browser/cases.rs) in a headless Chromium dedicated worker, which has no
//! `document` (`cargo test --target wasm32-unknown-unknown --test browser_worker`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[path = "wasm_browser/cases.rs"]
mod cases;

/// The runner really placed these cases in a worker: a browser global scope without `document`.
#[wasm_bindgen_test::wasm_bindgen_test]
fn runs_in_a_worker_scope() {
    let global = js_sys::global();
    let defined = |name: &str| {
        js_sys::Reflect::get(&global, &name.into()).is_ok_and(|value| !value.is_undefined())
    };
    assert!(defined("WorkerGlobalScope") && !defined("document"));
}
