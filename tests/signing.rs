//! Known-answer tests of LuxSci signing (LuxSci's documented auth and request signatures, and RFC 4231), run natively by `cargo test` and
//! under wasm in Node by `cargo test --target wasm32-unknown-unknown --test signing`. The expected
//! values were computed independently with Python's hmac/hashlib.

use luxsci::signing::{
    auth_string_to_sign, body_hash, hmac_hex, request_string_to_sign, sha256_hex,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn rfc4231_case_2() {
    assert_eq!(
        hmac_hex("Jefe", "what do ya want for nothing?").as_str(),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn account_scope_auth_signature() {
    let to_sign = auth_string_to_sign("TOKEN", "1617889562", None);
    assert_eq!(to_sign.as_str(), "TOKEN\n1617889562\n");
    assert_eq!(
        hmac_hex("s3cr3t", &to_sign).as_str(),
        "aaaedc78c7ef3faeda0e03511a910bc995f8f8a3d37d2f44ef345dcf193db1df"
    );
}

#[test]
fn user_scope_auth_signature() {
    let to_sign = auth_string_to_sign("TOKEN", "1617889562", Some(("u@example.com", "p")));
    assert_eq!(to_sign.as_str(), "TOKEN\n1617889562\nu@example.com\np\n");
    assert_eq!(
        hmac_hex("s3cr3t", &to_sign).as_str(),
        "6f7ec2e5ae735c1bacb843d3cb6b37887a2b601404610137a862f06cc0eff43f"
    );
}

#[test]
fn get_request_signature() {
    let to_sign = request_string_to_sign("A", "GET", "/perl/api/v2/account/123/aliases", "", "");
    assert_eq!(to_sign, "A\nGET\n/perl/api/v2/account/123/aliases\n\n\n");
    assert_eq!(
        hmac_hex("s3cr3t", &to_sign).as_str(),
        "190b2562a9f2a5931e2555b60a2d9585ffd11e00c83cf4ef3e7766a2a8b5b467"
    );
}

#[test]
fn get_with_query_signature() {
    let to_sign = request_string_to_sign(
        "A",
        "GET",
        "/perl/api/v2/account/123/users",
        "status=active",
        "",
    );
    assert_eq!(
        hmac_hex("s3cr3t", &to_sign).as_str(),
        "0fca4922558eb207cad88464da87685f10bab5f08c464798e56ea09eab1f3099"
    );
}

#[test]
fn post_with_body_signature() {
    let hash = body_hash("  {\"domain\":\"example.com\"}\n");
    assert_eq!(
        hash,
        "b9e2a80fa92f8d5059ab90188e0691ad6730871a209cc337c7565593597fbd58"
    );
    assert_eq!(hash, sha256_hex(b"{\"domain\":\"example.com\"}"));
    let to_sign = request_string_to_sign("A", "POST", "/perl/api/v2/account/123/dkim", "", &hash);
    assert_eq!(
        hmac_hex("s3cr3t", &to_sign).as_str(),
        "5f8ebb490e257da0015dffa4b58975034a901012df34f5d242a811364522cdd8"
    );
}

#[test]
fn secret_debug_is_redacted() {
    let s = luxsci::signing::Secret::new("hunter2-secret".into());
    assert!(!format!("{s:?}").contains("hunter2"));
    assert_eq!(s.expose(), "hunter2-secret");
}
