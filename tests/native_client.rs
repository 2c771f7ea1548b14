//! The native client against the project's sandbox over real HTTP on 127.0.0.1: authentication, a GET,
//! a create, a delete, sendEmail, a 404 as an API error, a retried 503, a POST never repeated after a
//! 5xx, re-authentication after the auth code expires, uploads, and no credential in any Debug or
//! Display.
#![cfg(feature = "native")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

#[path = "native/sandbox.rs"]
mod sandbox;

use luxsci::native::{Attachment, CallOptions, Error, LuxSciClient, Method};
use sandbox::Sandbox;
use serde_json::json;
use std::time::{Duration, Instant};

const DEFAULT: CallOptions = CallOptions {
    timeout: None,
    max_retries: None,
    deadline: None,
    account_id: None,
    username: None,
};

#[tokio::test]
async fn reads_creates_deletes_and_sends() {
    let sandbox = Sandbox::start(&[]);
    let client = sandbox.client();
    client.authenticate().await.unwrap();
    let domain = "native.example.test";
    client
        .call(
            "createDomain",
            None,
            Some(&json!({ "domain": domain })),
            &CallOptions::default(),
        )
        .await
        .unwrap();
    let domains = client.get_domains_report().await.unwrap();
    assert_eq!(domains[0]["domain"], json!(domain));
    let alias = json!({ "user": "native", "domain": domain, "dest": "team@example.com", "action": "email" });
    client.create_alias(&alias).await.unwrap();
    let address = format!("native@{domain}");
    let details = client
        .call("getAliasDetails", Some(&address), None, &DEFAULT)
        .await
        .unwrap();
    assert!(
        details.to_string().contains("team@example.com"),
        "{details}"
    );
    client.delete_alias(&address).await.unwrap();
    let gone = client
        .call("getAliasDetails", Some(&address), None, &DEFAULT)
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(404));

    let ids = client
        .send_email(&json!({ "messages": [
            { "to": ["a@example.org"], "subject": "One", "body": "<p>1</p>", "body_type": "html" },
            { "to": ["b@example.org", "c@example.org"], "subject": "Two", "body": "2" },
        ]}))
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let sends = sandbox.record("sends").await;
    assert_eq!(sends[0]["sendmailIds"], json!(ids));

    // The generic request: the same GET by path, with a query the sandbox ignores.
    let by_path = client
        .request(
            Method::Get,
            &format!("/account/{}/domains", sandbox.field("accountId")),
            Some(&json!({ "x": [1, 2] })),
            None,
        )
        .await
        .unwrap();
    assert_eq!(by_path, domains);
    assert_eq!(
        sandbox.count("authentication").await,
        1,
        "one authentication served every call"
    );
    client.revoke_authentication().await.unwrap();
    assert_eq!(sandbox.count("revokeAuthentication").await, 1);
    client.revoke_authentication().await.unwrap();
    assert_eq!(
        sandbox.count("revokeAuthentication").await,
        1,
        "nothing to revoke: nothing sent"
    );
}

#[tokio::test]
async fn failures_are_typed_and_never_resent() {
    let sandbox = Sandbox::start(&[]);
    let client = sandbox.client();
    let missing = client
        .get_domain_details("nope.example.com")
        .await
        .unwrap_err();
    let Error::Api(failure) = &missing else {
        panic!("{missing:?}")
    };
    assert_eq!(
        (failure.status, failure.operation_id),
        (Some(404), Some("getDomainDetails"))
    );
    assert_eq!(failure.may_have_been_sent, None, "a GET is safe to repeat");
    assert!(failure.body.is_some());

    // A 503 with Retry-After on a GET is retried after the wait.
    sandbox
        .control("faults", json!({ "kind": "fail", "operationId": "getDomainsReport", "times": 1, "status": 503, "retryAfter": 1 }))
        .await;
    let started = Instant::now();
    client.get_domains_report().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After was honoured"
    );
    assert_eq!(sandbox.count("getDomainsReport").await, 2);

    // A 503 on a POST may have been acted on: never repeated, and said so.
    sandbox
        .control(
            "faults",
            json!({ "kind": "fail", "operationId": "sendEmail", "times": 1, "status": 503 }),
        )
        .await;
    let message = json!({ "messages": [{ "to": ["a@example.org"], "subject": "s", "body": "b" }] });
    let error = client.send_email(&message).await.unwrap_err();
    assert_eq!(
        (error.status(), error.may_have_been_sent()),
        (Some(503), Some(true))
    );
    assert_eq!(sandbox.count("sendEmail").await, 1, "sent once");

    // A connection dropped after the sandbox processed the send: maybe sent, never repeated.
    sandbox
        .control(
            "faults",
            json!({ "kind": "drop", "operationId": "sendEmail" }),
        )
        .await;
    let error = client.send_email(&message).await.unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(error.may_have_been_sent(), Some(true));
    assert_eq!(sandbox.record("sends").await.as_array().unwrap().len(), 1);

    // Refused before anything is sent: the limits, and bad paths.
    let too_many = json!({ "messages": [{ "to": (0..101).map(|i| format!("r{i}@example.org")).collect::<Vec<_>>(), "subject": "s", "body": "b" }] });
    assert!(matches!(
        client.send_email(&too_many).await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        client.get_domain_details("..").await,
        Err(Error::Validation(_))
    ));
    assert_eq!(sandbox.count("sendEmail").await, 2);

    // A deadline that a Retry-After cannot fit settles at once as a timeout.
    sandbox
        .control("faults", json!({ "kind": "fail", "operationId": "getDkimReport", "times": 1, "status": 503, "retryAfter": 30 }))
        .await;
    let options = CallOptions {
        deadline: Some(Duration::from_secs(3)),
        ..CallOptions::default()
    };
    let started = Instant::now();
    let late = client
        .call("getDkimReport", None, None, &options)
        .await
        .unwrap_err();
    assert!(matches!(late, Error::Timeout(_)), "{late:?}");
    assert!(
        late.failure()
            .message
            .contains("would exceed the call's deadline (3000 ms)"),
        "{late}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn reauthenticates_once_after_the_code_expires() {
    let sandbox = Sandbox::start(&[]);
    let client = sandbox.client();
    client.get_domains_report().await.unwrap();
    sandbox.control("expire-auth", json!({})).await;
    // Concurrent calls after expiry share one fresh authentication.
    let (a, b, c) = tokio::join!(
        client.get_domains_report(),
        client.get_dkim(),
        client.get_domains_report()
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    assert_eq!(sandbox.count("authentication").await, 2);
    assert_eq!(sandbox.record("auth-calls").await, json!(2));
}

trait Dkim {
    async fn get_dkim(&self) -> Result<serde_json::Value, Error>;
}

impl Dkim for LuxSciClient {
    async fn get_dkim(&self) -> Result<serde_json::Value, Error> {
        self.call("getDkimReport", None, None, &DEFAULT).await
    }
}

#[tokio::test]
async fn uploads_a_file_and_user_scope_works() {
    let sandbox = Sandbox::start(&[]);
    let client = LuxSciClient::builder(sandbox.field("token"), sandbox.field("secret"))
        .base_url(sandbox.url())
        .user(sandbox.field("username"), sandbox.field("password"))
        .username(sandbox.field("username"))
        .build()
        .unwrap();
    client
        .upload_content_library_file("notes.txt", b"hello from rust".to_vec(), None)
        .await
        .unwrap();
    let file = client
        .call("getContentLibraryFile", Some("notes.txt"), None, &DEFAULT)
        .await
        .unwrap();
    assert!(file.to_string().contains("notes.txt"), "{file}");
    let listing = client
        .call("getContentLibraryDirectory", None, None, &DEFAULT)
        .await
        .unwrap();
    assert!(listing.to_string().contains("notes.txt"), "{listing}");
    // A user-scope code may not call account operations.
    let denied = client
        .call(
            "getDomainsReport",
            None,
            None,
            &CallOptions {
                account_id: Some(sandbox.field("accountId")),
                ..CallOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(denied.status(), Some(403));
}

#[tokio::test]
async fn no_credential_in_debug_or_display() {
    let sandbox = Sandbox::start(&[]);
    let secret = "wrong-secret-that-must-not-show";
    let password = sandbox.field("password");
    let client = LuxSciClient::builder(sandbox.field("token"), secret)
        .base_url(sandbox.url())
        .user(sandbox.field("username"), password.clone())
        .username(sandbox.field("username"))
        .build()
        .unwrap();
    let profile = |c: &LuxSciClient| {
        let c = c.clone();
        async move { c.call("getUserProfile", None, None, &DEFAULT).await }
    };
    let refused = profile(&client).await.unwrap_err();
    assert!(matches!(refused, Error::Auth(_)), "{refused:?}");
    assert_eq!(refused.failure().operation_id, Some("authentication"));
    let right = LuxSciClient::builder(sandbox.field("token"), sandbox.field("secret"))
        .base_url(sandbox.url())
        .user(sandbox.field("username"), password.clone())
        .username(sandbox.field("username"))
        .build()
        .unwrap();
    profile(&right).await.unwrap();
    let failed = right
        .call("getEmailTemplate", Some("nope"), None, &DEFAULT)
        .await
        .unwrap_err();
    assert_eq!(failed.status(), Some(404));
    for shown in [
        format!("{client:?}"),
        format!("{right:?}"),
        format!("{refused:?} {refused}"),
        format!("{failed:?} {failed}"),
    ] {
        for hidden in [
            secret,
            password.as_str(),
            &sandbox.field("secret"),
            "signature=",
        ] {
            assert!(!shown.contains(hidden), "{shown:?} shows {hidden:?}");
        }
    }
}

#[tokio::test]
async fn an_answer_over_the_size_limit_is_not_read_and_a_create_may_have_happened() {
    let sandbox = Sandbox::start(&[]);
    let small = LuxSciClient::builder(sandbox.field("token"), sandbox.field("secret"))
        .base_url(sandbox.url())
        .account_id(sandbox.field("accountId"))
        .max_response_bytes(256)
        .build()
        .unwrap();
    let domain = json!({ "domain": "big.example.test", "notes": "n".repeat(1000) });
    let error = small
        .call("createDomain", None, Some(&domain), &DEFAULT)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert!(
        error
            .failure()
            .message
            .contains("HTTP 200 with a body over max_response_bytes (256 bytes)"),
        "{error}"
    );
    assert_eq!(error.may_have_been_sent(), Some(true));
    // It was created: the answer only was too long.
    let created = sandbox
        .client()
        .get_domain_details("big.example.test")
        .await
        .unwrap();
    assert_eq!(created["notes"].as_str().map(str::len), Some(1000));
    assert_eq!(sandbox.count("createDomain").await, 1, "not repeated");
}

#[tokio::test]
async fn sends_attachments_each_file_once() {
    let sandbox = Sandbox::start(&[]);
    let client = sandbox.client();
    let pdf = Attachment {
        name: "results.pdf".into(),
        content: b"%PDF-1.4 results".to_vec(),
        content_type: None,
    };
    let notes = Attachment {
        name: "notes.txt".into(),
        content: b"notes".to_vec(),
        content_type: Some("text/plain".into()),
    };
    let body = json!({ "messages": [
        { "to": ["a@example.org"], "subject": "1", "body": "b", "attachments": [{ "name": "results.pdf" }] },
        { "to": ["b@example.org"], "subject": "2", "body": "b", "attachments": [{ "name": "results.pdf" }, { "name": "notes.txt" }] },
    ]});
    let ids = client
        .send_email_with_files(&body, &[pdf.clone(), notes.clone()])
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let sends = sandbox.record("sends").await;
    let files = sends[0]["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "each file once: {files:?}");
    assert_eq!(files[0]["name"], json!("results.pdf"));
    assert_eq!(files[0]["size"], json!(pdf.content.len()));

    // Refused before anything is sent.
    let unknown = json!({ "messages": [{ "to": ["a@example.org"], "subject": "s", "body": "b", "attachments": [{ "name": "other.pdf" }] }] });
    let unused = json!({ "messages": [{ "to": ["a@example.org"], "subject": "s", "body": "b" }] });
    let slash = Attachment {
        name: "a/b.pdf".into(),
        ..pdf.clone()
    };
    let slashed = json!({ "messages": [{ "to": ["a@example.org"], "subject": "s", "body": "b", "attachments": [{ "name": "a/b.pdf" }] }] });
    for (body, files) in [
        (&unknown, vec![pdf.clone()]),
        (&unused, vec![notes.clone()]),
        (&slashed, vec![slash]),
        (&body, vec![]),
    ] {
        let refused = client
            .send_email_with_files(body, &files)
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
    }
    assert_eq!(sandbox.count("sendEmail").await, 1);
}
