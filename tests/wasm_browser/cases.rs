//! The browser cases, run in a page by tests/browser.rs and in a dedicated worker by tests/browser_worker.rs:
//! a direct client refuses before fetching; a relay-mode client sends no Cookie, addresses the relay, and
//! hashes and uploads browser Blobs as multipart. Each call's job is run here as the package's js/drive.js
//! runs it (a relay-mode client never authenticates or waits, so sending and settling are all it takes).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use js_sys::{Function, Reflect, Uint8Array};
use luxsci::signing::sha256_hex;
use luxsci::wasm::{Job, LuxSciClient, Step};
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

fn client(options: &str, fetch: &JsValue) -> LuxSciClient {
    let options = js(&format!("return {options};"));
    Reflect::set(&options, &"fetch".into(), fetch).unwrap();
    LuxSciClient::new(options).expect("valid options")
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn text(value: &JsValue, key: &str) -> String {
    field(value, key).as_string().unwrap_or_default()
}

/// `client.getDomainsReport()`'s job.
fn domains_report(client: &LuxSciClient) -> Result<Job, JsValue> {
    client.operation(
        "getDomainsReport",
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
}

/// Runs a relay-mode call's job: its files hashed whole, its attempts sent, its result.
async fn settle(job: Result<Job, JsValue>) -> Result<JsValue, JsValue> {
    let mut job = job?;
    if let Some(files) = job.files() {
        let mut hashes = Vec::new();
        for file in files.iter() {
            let blob: web_sys::Blob = file.unchecked_into();
            let bytes = Uint8Array::new(&JsFuture::from(blob.array_buffer()).await?).to_vec();
            hashes.push(sha256_hex(&bytes));
        }
        job.hashed(hashes)?;
    }
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

/// A direct (non-relay) client made in this page while `page_setup` holds (undone by `page_reset`
/// right after): its call must fail with LuxSciValidationError before any fetch. Returns the error.
async fn direct_client_refusal(seen: &str, page_setup: &str, page_reset: &str) -> JsValue {
    js(page_setup);
    let direct = client(
        r#"{ baseUrl: "https://rest.example.test", token: "t", secret: "browser-secret", accountId: 7 }"#,
        &recording_fetch(seen, "[]"),
    );
    js(page_reset);
    let error = settle(domains_report(&direct))
        .await
        .expect_err("a direct client must refuse in a browser");
    assert_eq!(text(&error, "name"), "LuxSciValidationError");
    let fetched = js(&format!("return globalThis.{seen};"));
    assert_eq!(js_sys::Array::from(&fetched).length(), 0);
    error
}

#[wasm_bindgen_test]
async fn direct_client_refuses_in_a_browser_without_fetching() {
    let error = direct_client_refusal("directSeen", "", "").await;
    let message = text(&error, "message");
    assert!(message.contains("createRelay()"), "{message}");
    assert!(message.contains("relay: true"), "{message}");
    assert!(!message.contains("browser-secret"));
}

#[wasm_bindgen_test]
async fn direct_client_refuses_in_a_browser_with_a_bundler_process_polyfill() {
    // Bundlers may define `process` (process/browser: env, no versions.node): still a browser.
    direct_client_refusal(
        "polyfillSeen",
        "globalThis.process = { env: {}, versions: {}, browser: true };",
        "delete globalThis.process;",
    )
    .await;
}

#[wasm_bindgen_test]
async fn relay_client_sends_no_cookie_and_addresses_the_relay() {
    let fetch = recording_fetch("relaySeen", r#"[{ "domain": "a.example" }]"#);
    let relayed = client(
        r#"{ baseUrl: "https://app.example.test/luxsci/", relay: true, accountId: 7 }"#,
        &fetch,
    );
    let data = settle(domains_report(&relayed))
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
async fn relay_client_uploads_a_browser_blob_as_multipart_with_its_sha256() {
    // 3 MiB: hashed in chunks, and sent as a Blob composed around the file, not copied into wasm memory.
    let fetch = recording_fetch("uploadSeen", r#"{ "name": "big.txt" }"#);
    let relayed = client(
        r#"{ baseUrl: "/luxsci", relay: true, username: "me@example.test" }"#,
        &fetch,
    );
    let blob =
        js(r#"return new Blob(["0123456789abcdef".repeat(196608)], { type: "text/plain" });"#);
    settle(relayed.operation(
        "uploadContentLibraryFile",
        "docs/big.txt".into(),
        blob,
        JsValue::UNDEFINED,
    ))
    .await
    .expect("uploaded");
    let request = js_sys::Array::from(&js("return globalThis.uploadSeen;")).get(0);
    assert_eq!(
        text(&request, "url"),
        "/luxsci/perl/api/v2/user/me@example.test/content_library/docs/big.txt"
    );
    assert!(field(&request, "cookie").is_null());
    let content_type = text(&request, "contentType");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart body");
    let content = "0123456789abcdef".repeat(196_608);
    let json = format!(
        r#"{{"attachments":[{{"name":"big.txt","hash":"{}"}}]}}"#,
        sha256_hex(content.as_bytes())
    );
    let body = text(&request, "body");
    assert!(
        body.starts_with(&format!("--{boundary}\r\n")),
        "{}",
        &body[..200]
    );
    assert!(body.contains("name=\"json\""));
    assert!(body.contains(&format!("\r\n\r\n{json}\r\n--{boundary}\r\n")));
    assert!(body.contains("name=\"files\"; filename=\"big.txt\""));
    assert!(body.contains(&format!("\r\n\r\n{content}\r\n--{boundary}--")));
}
