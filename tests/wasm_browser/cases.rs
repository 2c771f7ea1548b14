//! The browser cases of the wasm's `Core`, run in a page by tests/browser.rs and in a dedicated worker by
//! tests/browser_worker.rs: a relay-mode client's job asks for requests to the relay without a Cookie,
//! a multipart upload's job sends the body the call prepared, and the settled call resolves with the
//! relay's data; the wasm's SHA-256 hashes a browser Blob read in chunks. (That a direct client is
//! refused in a browser page and worker is the package's JavaScript, tested in tests/runtimes.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use js_sys::{Function, Uint8Array};
use luxsci::signing::{body_hash, sha256_hex};
use luxsci::wasm::{Core, Job, Settled, Sha256, Step};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// Evaluates a JavaScript function body in the page or worker.
fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .expect("the script runs")
}

/// A relay-mode client's core at `base` (it holds no credentials).
fn relay_core(base: &str) -> Core {
    Core::new(
        base.into(),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
}

/// The job of operation `id` for account 7 or `username`, with `param` and a body's hash.
fn job(
    core: &Core,
    id: &str,
    username: Option<&str>,
    param: Option<&str>,
    hash: Option<String>,
) -> Job {
    core.operation(
        id,
        Some("7".into()),
        username.map(Into::into),
        param.map(Into::into),
        String::new(),
        hash,
        None,
        None,
        None,
        None,
    )
    .expect("the path builds")
}

/// The one attempt a relay-mode job asks for: `(body kind, url, method)`, with no Cookie.
fn only_attempt(job: &mut Job) -> (u8, String, String) {
    assert!(
        matches!(job.next_step(), Step::Send),
        "a relay-mode call sends at once"
    );
    let attempt = job.send().expect("an attempt was asked for");
    let [body, url, method, number, _timeout, cookie, json] = attempt.as_slice() else {
        panic!("an attempt is described by seven values");
    };
    assert!(
        cookie.is_undefined(),
        "a relay-mode request is never signed"
    );
    assert!(json.is_undefined());
    assert_eq!(number.as_f64(), Some(1.0));
    (
        body.as_f64().unwrap() as u8,
        url.as_string().unwrap(),
        method.as_string().unwrap(),
    )
}

/// A 200 success envelope (`{ "success": 1, … }`) told to `job`, with the `luxsci-relay` header's
/// value `mark` (a relay marks LuxSci's answers it passes on with "luxsci").
fn success(job: &mut Job, mark: Option<&str>) -> Step {
    job.answered(
        200,
        false,
        true,
        false,
        2,
        2,
        1.0,
        None,
        None,
        None,
        None,
        mark.map(Into::into),
        None,
        f64::NAN,
        None,
    )
}

#[wasm_bindgen_test]
fn relay_client_asks_for_a_request_to_the_relay_without_a_cookie() {
    let relayed = relay_core("https://app.example.test/luxsci");
    let mut job = job(&relayed, "getDomainsReport", None, None, None);
    let (body, url, method) = only_attempt(&mut job);
    assert_eq!(body, 2, "the call's own (here: no) body");
    assert_eq!(
        url,
        "https://app.example.test/luxsci/perl/api/v2/account/7/domains"
    );
    assert_eq!(method, "GET");
    assert!(matches!(success(&mut job, Some("luxsci")), Step::Settle));
    assert!(matches!(job.settle(1, false), Settled::Data));
}

#[wasm_bindgen_test]
fn relay_client_sends_the_multipart_body_the_call_prepared() {
    let relayed = relay_core("/luxsci");
    let json = r#"{"attachments":[{"name":"big.txt","hash":"h"}]}"#;
    let mut job = job(
        &relayed,
        "uploadContentLibraryFile",
        Some("me@example.test"),
        Some("docs/big.txt"),
        Some(body_hash(json)),
    );
    let (body, url, method) = only_attempt(&mut job);
    assert_eq!(
        body, 2,
        "the multipart Blob the call prepared goes out as given"
    );
    assert_eq!(
        url,
        "/luxsci/perl/api/v2/user/me@example.test/content_library/docs/big.txt"
    );
    assert_eq!(method, "POST");
    assert!(matches!(success(&mut job, Some("luxsci")), Step::Settle));
    assert!(matches!(job.settle(-1, false), Settled::Data));
}

#[wasm_bindgen_test]
fn an_answer_without_the_relays_mark_fails_the_call_as_a_relay_error() {
    let relayed = relay_core("/luxsci");
    let mut job = job(&relayed, "getDomainsReport", None, None, None);
    only_attempt(&mut job);
    let step = success(&mut job, None);
    assert!(matches!(step, Step::Settle));
    assert!(matches!(
        job.settle(-1, false),
        Settled::Failed | Settled::FailedWithBody
    ));
    let error = job.error();
    let name = js_sys::Reflect::get(&error, &"name".into()).unwrap();
    assert_eq!(name.as_string().as_deref(), Some("LuxSciRelayError"));
}

#[wasm_bindgen_test]
async fn the_wasm_sha256_of_a_browser_blob_read_in_chunks_is_its_sha256() {
    // 3 MiB, fed in 256 KiB chunks as js/drive.js feeds it where the runtime has no native hash.
    let blob: web_sys::Blob =
        js(r#"return new Blob(["0123456789abcdef".repeat(196608)], { type: "text/plain" });"#)
            .unchecked_into();
    let mut hash = Sha256::new();
    let size = blob.size();
    let mut at = 0.0;
    while at < size {
        let piece = blob.slice_with_f64_and_f64(at, at + 262_144.0).unwrap();
        let bytes = Uint8Array::new(&JsFuture::from(piece.array_buffer()).await.unwrap()).to_vec();
        hash.update(&bytes);
        at += 262_144.0;
    }
    let content = "0123456789abcdef".repeat(196_608);
    assert_eq!(hash.digest(), sha256_hex(content.as_bytes()));
}
