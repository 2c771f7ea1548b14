//! Native tests of the pure core: the endpoint table against the reference TSV, the path encoder,
//! the envelope rules, the retry policy, the send limits and how a relay-mode client reads a relay's
//! answers (single-flight authentication is tested with the exchange).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use luxsci::endpoints::{by_id, match_route, Method, Shape, Source, ENDPOINTS};
use luxsci::envelope::{judge, server_text, text_window, Body, Flag, MAX_MESSAGE};
use luxsci::error::{redact, Error, ErrorKind};
use luxsci::limits::{check, MessageSize, SendLimits};
use luxsci::path::{build, split_custom, PathArgs};
use luxsci::relay;
use luxsci::retry::{delay_ms, retry_after_ms, verdict, Answer, Fault, Next, Outcome};

#[test]
fn table_matches_reference_tsv() {
    let tsv = include_str!("../reference/endpoints.tsv");
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    // The 59 operations of LuxSci's endpoint reference, and 5 beyond it.
    assert_eq!(rows.len(), 64);
    assert_eq!(ENDPOINTS.len(), 64);
    for row in rows {
        let (id, method, path, source) = (row[0], row[1], row[2], row[3]);
        let e = by_id(id).unwrap_or_else(|| panic!("{id} missing from the table"));
        assert_eq!(e.method.as_str(), method, "{id}");
        // The one documented fix: createEmailTemplateGroup has no {template_group_id} parameter.
        let expected = if id == "createEmailTemplateGroup" {
            path.replace("/{template_group_id}", "")
        } else {
            path.to_owned()
        };
        assert_eq!(format!("/perl/api/v2{}", e.path), expected, "{id}");
        let expected_source = if source.starts_with("confirmed") {
            Source::Confirmed
        } else if source.starts_with("beyond the reference") {
            Source::Beyond
        } else {
            Source::Inferred
        };
        assert_eq!(e.source, expected_source, "{id} source");
    }
    assert_eq!(
        ENDPOINTS.iter().filter(|e| e.shape != Shape::Auth).count(),
        62
    );
    assert_eq!(
        ENDPOINTS
            .iter()
            .filter(|e| e.shape == Shape::Report)
            .count(),
        4
    );
}

#[test]
fn every_route_matches_its_own_operation() {
    let sample = |name: &str| match name {
        "directory" => "files/media/",
        "file_path" => "files/media/image.jpg",
        _ => "x@y.test",
    };
    for e in ENDPOINTS {
        let mut path = e.path.to_owned();
        for name in [
            "accountId",
            "username",
            "directory",
            "file_path",
            "domainName",
            "id",
            "aliasAddress",
            "email",
            "tag_id",
            "template_id",
            "template_group_id",
            "domain",
        ] {
            path = path.replace(&format!("{{{name}}}"), sample(name));
        }
        assert_eq!(
            match_route(e.method, &path).map(|m| m.id),
            Some(e.id),
            "{path}"
        );
    }
    assert_eq!(
        match_route(Method::Get, "/user/u/content_library/").map(|e| e.id),
        Some("getContentLibraryDirectory")
    );
    assert_eq!(
        match_route(Method::Post, "/user/u/content_library/").map(|e| e.id),
        None
    );
    assert!(match_route(Method::Get, "/user/u/nothing").is_none());
    assert!(match_route(Method::Put, "/account/1/domains").is_none());
}

#[test]
fn built_paths_route_back_to_their_operation() {
    // The path builder and the route matcher read templates with one reader: what one writes, the
    // other recognises, for every row and each kind of parameter.
    for e in ENDPOINTS.iter().filter(|e| e.shape != Shape::Auth) {
        let param = match e.shape {
            Shape::Dir | Shape::OptDir => "files/media/",
            Shape::File | Shape::Upload => "files/media/image.jpg",
            _ => "x@y.test",
        };
        let args = PathArgs {
            account_id: Some("12"),
            username: Some("me@example.com"),
            param: Some(param),
        };
        let built = build(e, args).unwrap();
        let relative = built.strip_prefix("/perl/api/v2").unwrap();
        assert_eq!(
            match_route(e.method, relative).map(|m| m.id),
            Some(e.id),
            "{built}"
        );
    }
}

fn path_of(id: &str, param: Option<&str>) -> Result<String, Error> {
    build(
        by_id(id).unwrap(),
        PathArgs {
            account_id: Some("123"),
            username: Some("me@x.test"),
            param,
        },
    )
}

#[test]
fn paths_are_encoded_in_one_place() {
    assert_eq!(
        path_of("getDomainsReport", None).unwrap(),
        "/perl/api/v2/account/123/domains"
    );
    assert_eq!(
        path_of("getAliasDetails", Some("a+b@x.test")).unwrap(),
        "/perl/api/v2/account/123/aliases/a%2Bb@x.test"
    );
    assert_eq!(
        path_of("getEmailAutoResponders", None).unwrap(),
        "/perl/api/v2/user/me@x.test/email/ar"
    );
    assert_eq!(
        path_of("getEmailTemplate", Some("a b/c")).unwrap(),
        "/perl/api/v2/user/me@x.test/template/a%20b%2Fc"
    );
    assert_eq!(
        path_of("getContentLibraryDirectory", None).unwrap(),
        "/perl/api/v2/user/me@x.test/content_library/"
    );
    assert_eq!(
        path_of("getContentLibraryDirectory", Some("/")).unwrap(),
        "/perl/api/v2/user/me@x.test/content_library/"
    );
    assert_eq!(
        path_of("getContentLibraryDirectory", Some("/files/media")).unwrap(),
        "/perl/api/v2/user/me@x.test/content_library/files/media/"
    );
    assert_eq!(
        path_of("createContentLibraryDirectory", Some("files/")).unwrap(),
        "/perl/api/v2/user/me@x.test/content_library/files/"
    );
    assert_eq!(
        path_of("getContentLibraryFile", Some("/files/ü é.jpg")).unwrap(),
        "/perl/api/v2/user/me@x.test/content_library/files/%C3%BC%20%C3%A9.jpg"
    );
    assert_eq!(
        path_of("createEmailTemplateGroup", None).unwrap(),
        "/perl/api/v2/user/me@x.test/template_group"
    );
}

#[test]
fn bad_paths_are_validation_errors() {
    for (id, param) in [
        ("getDomainDetails", Some("")),
        ("getDomainDetails", Some("..")),
        ("getDomainDetails", None),
        ("createContentLibraryDirectory", Some("/")),
        ("createContentLibraryDirectory", Some("a//b/")),
        ("getContentLibraryFile", Some("a/")),
        ("getContentLibraryFile", Some("a/../b")),
        ("getContentLibraryFile", Some("./b")),
        ("getContentLibraryFile", Some("")),
    ] {
        let err = path_of(id, param).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation, "{id} {param:?}");
    }
    let no_account = build(by_id("getDomainsReport").unwrap(), PathArgs::default()).unwrap_err();
    assert!(no_account.message.contains("accountId"));
}

#[test]
fn custom_paths() {
    assert_eq!(
        split_custom("/user/u/profile?x=1").unwrap(),
        ("/perl/api/v2/user/u/profile".into(), "x=1".into())
    );
    assert_eq!(
        split_custom("/perl/api/v2/user/u/profile").unwrap().0,
        "/perl/api/v2/user/u/profile"
    );
    for bad in ["user/u", "/a//b", "/a/../b", "/a b", "/a#b"] {
        assert!(split_custom(bad).is_err(), "{bad}");
    }
}

/// Encoded traversal is refused by the same rule wherever a path comes from: `request()` and the relay
/// (split_custom) and the builder's parameters, whatever the encoding a server or fetch would undo.
#[test]
fn encoded_traversal_is_refused_everywhere() {
    let traversals = [
        "content_library/..%2F..%2Faccount%2F999%2Fdomains",
        "content_library/%2e%2e/%2e%2e/account/999/domains",
        "content_library/%2E%2E",
        "content_library/.%2e/x",
        "content_library/%252e%252e/x",
        "content_library/%25252e%25252e/x",
        "content_library/..%5C..%5Caccount",
        "content_library/..%252F..%252Faccount",
        "content_library/a\\..\\b",
        "content_library/%2e",
    ];
    for t in traversals {
        let err = split_custom(&format!("/user/me/{t}")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation, "{t}");
    }
    for param in ["%2e%2e", "..%2F..", "%252e%252e", "a/%2e%2e/b", "..\\x"] {
        let err = path_of("getContentLibraryFile", Some(param)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation, "{param}");
        assert!(err.message.contains("filePath"), "{}", err.message);
        assert!(path_of("getDomainDetails", Some(param)).is_err(), "{param}");
    }
    // Characters fetch would rewrite are refused rather than signed in one form and sent in another.
    for bad in [
        "/a\"b",
        "/a<b",
        "/a{b}",
        "/zo\u{eb}",
        "/a%zz",
        "/a%2",
        "/a|b",
        "/a^b",
        "/a`b",
    ] {
        assert!(split_custom(bad).is_err(), "{bad}");
    }
    assert!(split_custom("/a?x=it's").is_err());
    // What stays allowed: escapes of ordinary characters, an encoded slash between ordinary pieces,
    // dots inside names, a trailing "/" (directories), and queries of the usual form.
    for good in [
        "/user/me%40x.com/content_library/a%2Fb.txt",
        "/user/me@x.com/content_library/..hidden/v1.2",
        "/user/me/content_library/dir/",
        "/account/1/suppression/?first_row=0&row_count=50&q=a%20b",
        "/user/me/templates?ids=1,2;x=y:z/w?v",
    ] {
        assert!(split_custom(good).is_ok(), "{good}");
    }
    assert_eq!(
        path_of("getContentLibraryFile", Some("a/..b/c.d")).unwrap(),
        "/perl/api/v2/user/me@x.test/content_library/a/..b/c.d"
    );
}

#[test]
fn envelope_rules() {
    let obj = |success, error_message| Body::Object {
        success,
        error_message,
    };
    assert_eq!(judge(200, obj(Flag::Number(1.0), None)), Ok(()));
    assert_eq!(judge(201, obj(Flag::Text("1"), None)), Ok(()));
    assert_eq!(judge(200, obj(Flag::Bool(true), None)), Ok(()));
    assert_eq!(judge(200, obj(Flag::Missing, None)), Ok(()));
    assert_eq!(
        judge(200, obj(Flag::Number(0.0), Some("nope"))),
        Err("nope".into())
    );
    assert!(judge(200, obj(Flag::Text("0"), None))
        .unwrap_err()
        .contains("success: 0"));
    assert!(judge(200, obj(Flag::Other, None))
        .unwrap_err()
        .contains("unrecognised"));
    assert_eq!(
        judge(404, obj(Flag::Number(0.0), Some("no such domain"))),
        Err("no such domain".into())
    );
    assert_eq!(
        judge(503, obj(Flag::Missing, None)),
        Err("LuxSci answered HTTP 503".into())
    );
    assert!(judge(200, Body::NotJson).unwrap_err().contains("not JSON"));
    assert!(judge(200, Body::NotObject)
        .unwrap_err()
        .contains("not an object"));
    assert_eq!(
        judge(502, Body::NotJson),
        Err("LuxSci answered HTTP 502".into())
    );
}

#[test]
fn server_text_is_redacted_before_it_is_cut() {
    let long = "x".repeat(10_000);
    assert_eq!(server_text(&long, &[]).chars().count(), 501);
    assert_eq!(server_text("  nope \n", &[]), "nope");
    // A credential straddling the cut: before the fix, its first 10 characters were shown.
    let (secret, pass) = ("S3CRET-0123456789abcdef", "pa55-word-xyz");
    for credential in [secret, pass] {
        let text = format!("{}{credential} and more", "x".repeat(MAX_MESSAGE - 5));
        let shown = server_text(&text, &[secret, pass]);
        assert!(!shown.contains(&credential[..4]), "{shown}");
        assert!(shown.ends_with("x[reda…"), "{shown}");
    }
    assert_eq!(
        redact("a S3CRET S3CRET-longer b", &["S3CRET", "S3CRET-longer"]),
        "a [redacted] [redacted] b"
    );
    assert_eq!(redact("abc", &["abc"]), "abc", "too short to redact");
    // The window covers the output even when every character of it is a long credential.
    let many = secret.repeat(600);
    let window = text_window(&[secret]);
    assert!(window < many.len());
    assert_eq!(
        server_text(&many[..window], &[secret]),
        server_text(&many, &[secret])
    );
    assert_eq!(text_window(&[]), 2 * MAX_MESSAGE + 2);
}

#[test]
fn retry_policy_never_repeats_what_may_have_been_received() {
    let retried = |idempotent, outcome| verdict(idempotent, &outcome).next == Next::Retry;
    let fault = |fault| Outcome::Failed { fault, reason: "" };
    let status = |status| {
        Outcome::Answered(Answer {
            status,
            ..Answer::default()
        })
    };
    assert!(retried(false, fault(Fault::Refused)));
    assert!(!retried(false, fault(Fault::Dropped)));
    assert!(!retried(false, fault(Fault::TimedOut)));
    assert!(!retried(false, status(500)));
    assert!(!retried(false, status(429)));
    for s in [408, 429, 500, 502, 503, 504] {
        assert!(retried(true, status(s)), "{s}");
    }
    for s in [400, 401, 403, 404, 409, 413] {
        assert!(!retried(true, status(s)), "{s}");
    }
    assert!(by_id("retrieveSecureLineRecipientListEncryptionData")
        .unwrap()
        .idempotent());
    assert!(!by_id("sendEmail").unwrap().idempotent());
    assert!(by_id("updateAlias").unwrap().idempotent());
}

#[test]
fn backoff_and_retry_after() {
    assert_eq!(delay_ms(0, None, 0.0), Some(250.0));
    assert_eq!(delay_ms(0, None, 1.0), Some(500.0));
    assert_eq!(delay_ms(3, None, 1.0), Some(4000.0));
    assert_eq!(delay_ms(30, None, 1.0), Some(8000.0));
    assert_eq!(delay_ms(0, Some(1500.0), 0.3), Some(1500.0));
    assert_eq!(delay_ms(0, Some(60_000.0), 0.3), Some(60_000.0));
    // A server asking for more than a minute (a spent quota) is not waited out: its answer stands.
    assert_eq!(delay_ms(0, Some(60_001.0), 0.3), None);
    assert_eq!(retry_after_ms("2", 0.0, |_| None), Some(2000.0));
    assert_eq!(
        retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1000.0, |_| Some(4000.0)),
        Some(3000.0)
    );
    assert_eq!(retry_after_ms("-1", 0.0, |_| None), None);
}

#[test]
fn send_limits() {
    let l = SendLimits::default();
    let m = |recipients| MessageSize {
        recipients,
        raw_bytes: 10.0,
    };
    assert!(check(&l, &[m(1)], Some(9.0)).is_ok());
    assert!(check(&l, &[], None).is_err());
    assert!(check(&l, &vec![m(1); 1001], None).is_err());
    assert!(check(&l, &vec![m(1); 1000], None).is_ok());
    assert!(check(&l, &[m(0)], None).is_err());
    assert!(check(&l, &[m(101)], None).is_err());
    assert!(check(&l, &[m(100); 10], None).is_ok());
    assert!(check(&l, &[m(100); 11], None).is_err());
    for p in [-1.0, 10.0, 4.5] {
        assert!(check(&l, &[m(1)], Some(p)).is_err(), "{p}");
    }
    let sized = SendLimits {
        smtp_size_limit: Some(100.0),
        ..l
    };
    assert!(check(
        &sized,
        &[MessageSize {
            recipients: 1,
            raw_bytes: 66.0
        }],
        None
    )
    .is_ok());
    assert!(check(
        &sized,
        &[MessageSize {
            recipients: 1,
            raw_bytes: 67.0
        }],
        None
    )
    .is_err());
}

/// A relay-mode client's reading of an answer: LuxSci's (passed through) is judged as LuxSci's; the
/// relay's own, or an unmarked one (no relay answered), is a relay failure that never says "LuxSci answered".
#[test]
fn relay_answers() {
    assert_eq!(
        relay::failure(404, Some(relay::FROM_LUXSCI), Some("no such domain")),
        None
    );
    let own = relay::failure(
        413,
        Some(relay::FROM_RELAY),
        Some("the body exceeds maxJsonBytes"),
    )
    .unwrap();
    assert_eq!(
        own,
        "the relay answered HTTP 413: the body exceeds maxJsonBytes"
    );
    let unmarked = relay::failure(500, None, Some("whatever the page said")).unwrap();
    assert!(
        unmarked.contains("HTTP 500") && unmarked.contains("createRelay()"),
        "{unmarked}"
    );
    assert!(!unmarked.contains("whatever") && !unmarked.contains("LuxSci answered"));
    assert!(relay::failure(200, Some("forged"), None).is_some());
    assert!(relay::own_answer(Some(relay::FROM_RELAY)));
    assert!(!relay::own_answer(Some(relay::FROM_LUXSCI)) && !relay::own_answer(None));
}
