//! The browser cases of the wasm's `Core`, run in a page by tests/browser.rs and in a dedicated worker by
//! tests/browser_worker.rs: a direct client is unusable; a relay-mode client's call sends no Cookie and
//! addresses the relay, and a multipart Blob goes out as given, signed by the hash of its JSON part; the
//! wasm's SHA-256 hashes a browser Blob read in chunks. Each call's job is run here as the package's
//! js/drive.js runs it (a relay-mode client never authenticates or waits: sending and settling are all).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use js_sys::{Function, Reflect, Uint8Array};
use luxsci::signing::{body_hash, sha256_hex};
use luxsci::wasm::{Core, Job, Sha256, Step};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// Evaluates a JavaScript function body in the page or worker.
fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .expect("the script runs")
}

/// A fetch that records `{ url, method, cookie, contentType, body }` of each call in `globalThis[key]`
/// (reading the headers the SDK passed, which keep a `cookie` that a browser Request would drop) and
/// answers LuxSci's success envelope with `data`.
fn recording_fetch(key: &str, data: &str) -> JsValue {
    js(&format!(
        r#"const seen = (globalThis["{key}"] = []);
        return async (url, init) => {{
          const headers = new Headers(init.headers);
          seen.push({{
            url: String(url), method: init.method, cookie: headers.get("cookie"),
            contentType: headers.get("content-type"), relayMark: headers.get("luxsci-relay"),
            body: init.body === undefined ? null : await new Response(init.body).text(),
          }});
          // Marked as a relay marks LuxSci's answers that it passes on.
          return new Response(JSON.stringify({{ success: 1, data: {data} }}), {{ headers: {{ "content-type": "application/json", "luxsci-relay": "luxsci" }} }});
        }};"#
    ))
}

/// A client's core at `base` over `fetch`, with `token` and `secret` (a relay-mode one without them).
fn core(base: &str, credentials: Option<(&str, &str)>, fetch: &JsValue) -> Core {
    let (token, secret) = credentials.unzip();
    Core::new(
        base.into(),
        token.map(Into::into),
        secret.map(Into::into),
        None,
        None,
        None,
        None,
        Some(fetch.clone().into()),
        None,
        None,
        None,
        None,
        None,
        None,
    )
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn text(value: &JsValue, key: &str) -> String {
    field(value, key).as_string().unwrap_or_default()
}

/// The job of operation `id` for account 7 or `username`, with `param` and a body (`undefined` for none).
fn job(
    core: &Core,
    id: &str,
    (username, param): (Option<&str>, Option<&str>),
    body: JsValue,
    content_type: Option<&str>,
    hash: Option<String>,
) -> Result<Job, JsValue> {
    core.operation(
        id,
        Some("7".into()),
        username.map(Into::into),
        param.map(Into::into),
        String::new(),
        body,
        content_type.map(Into::into),
        hash,
        None,
        None,
        None,
        None,
        None,
    )
}

/// Runs a relay-mode call's job: its attempts sent, its result.
async fn settle(job: Result<Job, JsValue>) -> Result<JsValue, JsValue> {
    let mut job = job?;
    let mut step = job.next_step();
    while let Step::Send = step {
        step = match JsFuture::from(job.send()).await {
            Ok(outcome) => job.answered(outcome),
            Err(miss) => job.failed(miss, false),
        };
    }
    assert!(matches!(step, Step::Settle), "a relay-mode call only sends");
    job.result()
}

/// A direct (non-relay) client's core made in this page while `page_setup` holds (undone by
/// `page_reset` right after): it must be unusable here, with a LuxSciValidationError. Returns the error.
fn direct_client_refusal(page_setup: &str, page_reset: &str) -> JsValue {
    js(page_setup);
    let fetch = recording_fetch("directSeen", "[]");
    let direct = core(
        "https://rest.example.test",
        Some(("t", "browser-secret")),
        &fetch,
    );
    js(page_reset);
    let error = direct
        .usable()
        .expect_err("a direct client must refuse in a browser");
    assert_eq!(text(&error, "name"), "LuxSciValidationError");
    error
}

#[wasm_bindgen_test]
fn direct_client_refuses_in_a_browser() {
    let error = direct_client_refusal("", "");
    let message = text(&error, "message");
    assert!(message.contains("createRelay()"), "{message}");
    assert!(message.contains("relay: true"), "{message}");
    assert!(!message.contains("browser-secret"));
}

#[wasm_bindgen_test]
fn direct_client_refuses_in_a_browser_with_a_bundler_process_polyfill() {
    // Bundlers may define `process` (process/browser: env, no versions.node): still a browser.
    direct_client_refusal(
        "globalThis.process = { env: {}, versions: {}, browser: true };",
        "delete globalThis.process;",
    );
}

#[wasm_bindgen_test]
async fn relay_client_sends_no_cookie_and_addresses_the_relay() {
    let fetch = recording_fetch("relaySeen", r#"[{ "domain": "a.example" }]"#);
    let relayed = core("https://app.example.test/luxsci", None, &fetch);
    relayed
        .usable()
        .expect("a relay-mode client is usable in a browser");
    let data = settle(job(
        &relayed,
        "getDomainsReport",
        (None, None),
        JsValue::UNDEFINED,
        None,
        None,
    ))
    .await
    .expect("the relay answered success");
    assert_eq!(
        text(&js_sys::Array::from(&data).get(0), "domain"),
        "a.example"
    );
    let seen = js_sys::Array::from(&js("return globalThis.relaySeen;"));
    assert_eq!(seen.length(), 1, "one request, no authentication call");
    let request = seen.get(0);
    assert_eq!(
        text(&request, "url"),
        "https://app.example.test/luxsci/perl/api/v2/account/7/domains"
    );
    assert_eq!(text(&request, "method"), "GET");
    assert!(field(&request, "cookie").is_null());
    assert_eq!(
        text(&request, "relayMark"),
        "1",
        "the header that tells the relay this is its client"
    );
}

#[wasm_bindgen_test]
async fn relay_client_sends_a_multipart_blob_as_given() {
    let fetch = recording_fetch("uploadSeen", r#"{ "name": "big.txt" }"#);
    let relayed = core("/luxsci", None, &fetch);
    let json = r#"{"attachments":[{"name":"big.txt","hash":"h"}]}"#;
    let body = js(&format!(
        r#"return new Blob(["--b\r\n", {json:?}, "\r\n--b--\r\n"]);"#
    ));
    let content_type = "multipart/form-data; boundary=b";
    settle(job(
        &relayed,
        "uploadContentLibraryFile",
        (Some("me@example.test"), Some("docs/big.txt")),
        body,
        Some(content_type),
        Some(body_hash(json)),
    ))
    .await
    .expect("uploaded");
    let request = js_sys::Array::from(&js("return globalThis.uploadSeen;")).get(0);
    assert_eq!(
        text(&request, "url"),
        "/luxsci/perl/api/v2/user/me@example.test/content_library/docs/big.txt"
    );
    assert_eq!(text(&request, "method"), "POST");
    assert!(field(&request, "cookie").is_null());
    assert_eq!(text(&request, "contentType"), content_type);
    assert_eq!(
        text(&request, "body"),
        format!("--b\r\n{json}\r\n--b--\r\n")
    );
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
