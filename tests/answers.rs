//! Native tests of the rules for answers that are not what LuxSci sends: which failures may have been
//! accepted (so a send is never repeated), sendEmail successes without one id per message, and
//! redirects (never repeated).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use luxsci::envelope::{check_ids, judge, may_have_been_accepted, Body, Flag, Ids};
use luxsci::retry::{verdict, Answer, Next, Outcome};

const fn object(success: Flag<'static>) -> Body<'static> {
    Body::Object {
        success,
        error_message: None,
    }
}

#[test]
fn a_2xx_that_is_not_a_clear_refusal_may_have_been_accepted() {
    for body in [
        Body::NotJson,
        Body::NotObject,
        object(Flag::Text("yes")),
        object(Flag::Other),
        object(Flag::Number(2.0)),
    ] {
        assert!(judge(200, body).is_err(), "{body:?} is not a success");
        assert!(may_have_been_accepted(200, body), "{body:?}");
        assert!(may_have_been_accepted(202, body), "{body:?}");
    }
    // LuxSci's own refusal, with or without a message, was not accepted.
    for body in [
        object(Flag::Number(0.0)),
        object(Flag::Bool(false)),
        object(Flag::Text("0")),
        Body::Object {
            success: Flag::Number(0.0),
            error_message: Some("quota"),
        },
    ] {
        assert!(!may_have_been_accepted(200, body), "{body:?}");
    }
    // A 5xx may have been; a 4xx was refused, whatever its body.
    for body in [Body::NotJson, object(Flag::Number(0.0))] {
        assert!(may_have_been_accepted(500, body));
        assert!(may_have_been_accepted(503, body));
        for status in [400, 401, 404, 409, 429] {
            assert!(!may_have_been_accepted(status, body), "{status}");
        }
    }
}

#[test]
fn a_send_success_needs_one_id_per_message() {
    assert_eq!(
        check_ids(
            2,
            Ids::Array {
                len: 2,
                all_ids: true
            }
        ),
        Ok(())
    );
    for wrong in [
        Ids::Other,
        Ids::Array {
            len: 1,
            all_ids: true,
        },
        Ids::Array {
            len: 3,
            all_ids: true,
        },
        Ids::Array {
            len: 2,
            all_ids: false,
        },
    ] {
        let message = check_ids(2, wrong).unwrap_err();
        assert!(message.contains("reported success"), "{message}");
    }
}

#[test]
fn a_redirect_is_never_retried_and_may_have_been_received() {
    // A 3xx; a browser's opaque redirect (status hidden); one an injected fetch followed (a 2xx from elsewhere).
    for redirect in [answered(307, false), answered(0, true), answered(200, true)] {
        assert!(verdict(false, &redirect).may_have_arrived, "{redirect:?}");
        for idempotent in [true, false] {
            assert_eq!(
                verdict(idempotent, &redirect).next,
                Next::Settle,
                "{redirect:?}"
            );
        }
    }
}

/// An answer with `status`, a redirect its status does not show when `redirect`.
fn answered(status: u16, redirect: bool) -> Outcome<'static> {
    Outcome::Answered(Answer {
        status,
        redirect,
        ..Answer::default()
    })
}
