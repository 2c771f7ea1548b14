//! Native tests of the rules for answers that are not what LuxSci sends: which failures may have been
//! accepted (so a send is never repeated), sendEmail successes without one id per message, and the
//! call's time budget (`totalTimeoutMs`) against retries and `Retry-After`, by example and by property.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use luxsci::envelope::{check_ids, judge, may_have_been_accepted, Body, Flag, Ids};
use luxsci::error::ErrorKind;
use luxsci::retry::{verdict, Answer, Budget, Fault, Outcome, Step};

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
fn the_budget_cuts_attempts_and_never_sleeps_past_the_deadline() {
    let mut budget = Budget::new(2, 10_000.0, 1_000.0);
    // The per-attempt timeout while it fits, then what is left, then nothing.
    assert_eq!(
        budget.attempt_timeout(1_000.0, 3_000.0),
        Some((3_000.0, false))
    );
    assert_eq!(
        budget.attempt_timeout(9_000.0, 3_000.0),
        Some((2_000.0, true))
    );
    assert_eq!(budget.attempt_timeout(11_000.0, 3_000.0), None);
    // A Retry-After that fits is waited; one that ends at or past the deadline is not.
    assert_eq!(
        budget.next(true, &busy(Some(4_000.0)), 0.5, 2_000.0),
        Step::Retry(4_000.0)
    );
    assert_eq!(
        budget.next(true, &busy(Some(5_000.0)), 0.5, 6_000.0),
        Step::OutOfTime(5_000.0)
    );
    // Retries are counted only when taken: one left.
    assert_eq!(
        budget.next(true, &busy(Some(1_000.0)), 0.5, 6_000.0),
        Step::Retry(1_000.0)
    );
    assert_eq!(
        budget.next(true, &busy(Some(1.0)), 0.5, 7_000.0),
        Step::Stop
    );
    // More than a minute is never waited out, whatever the budget: the answer stands.
    let mut patient = Budget::new(2, 1e9, 0.0);
    assert_eq!(
        patient.next(true, &busy(Some(999_999_000.0)), 0.5, 0.0),
        Step::Stop
    );
    assert_eq!(
        patient.next(true, &busy(Some(60_000.0)), 0.5, 0.0),
        Step::Retry(60_000.0)
    );
    // What may have been received by LuxSci is not repeated for a send, deadline or not.
    let received = [
        fault(Fault::Dropped),
        fault(Fault::TimedOut),
        answered(302, false),
        busy(None),
    ];
    for outcome in received {
        assert_eq!(
            patient.next(false, &outcome, 0.5, 0.0),
            Step::Stop,
            "{outcome:?}"
        );
    }
    assert!(matches!(
        patient.next(false, &fault(Fault::Refused), 0.5, 0.0),
        Step::Retry(_)
    ));
    let spent = budget.spent();
    assert_eq!(spent.kind, ErrorKind::Timeout);
    assert!(
        spent.message.contains("totalTimeoutMs (10000 ms)"),
        "{}",
        spent.message
    );
    let wait = budget.too_long_to_wait(5_000.0);
    assert_eq!(wait.kind, ErrorKind::Timeout);
    assert!(wait.message.contains("5000 ms"), "{}", wait.message);
}

#[test]
fn a_redirect_is_never_retried_and_may_have_been_received() {
    // A 3xx; a browser's opaque redirect (status hidden); one an injected fetch followed (a 2xx from elsewhere).
    for redirect in [answered(307, false), answered(0, true), answered(200, true)] {
        assert!(verdict(false, &redirect).may_have_arrived, "{redirect:?}");
        for idempotent in [true, false] {
            assert_eq!(
                Budget::new(5, 1e9, 0.0).next(idempotent, &redirect, 0.5, 0.0),
                Step::Stop,
                "{redirect:?}"
            );
        }
    }
}

/// A 503, with its `Retry-After` in ms.
fn busy(retry_after_ms: Option<f64>) -> Outcome<'static> {
    Outcome::Answered(Answer {
        status: 503,
        retry_after_ms,
        ..Answer::default()
    })
}

/// An answer with `status`, a redirect its status does not show when `redirect`.
fn answered(status: u16, redirect: bool) -> Outcome<'static> {
    Outcome::Answered(Answer {
        status,
        redirect,
        ..Answer::default()
    })
}

fn fault(fault: Fault) -> Outcome<'static> {
    Outcome::Failed { fault, reason: "" }
}

proptest::proptest! {
    /// Whatever the failures, clock and `Retry-After`: a retry is taken only while retries are left and
    /// its wait ends before the deadline, never for what a send may have delivered, and an attempt's
    /// timeout never reaches past the deadline.
    #[test]
    fn the_budget_holds(
        max in 0u32..5,
        total in 1.0f64..1e7,
        steps in proptest::collection::vec(
            (proptest::bool::ANY, 0u8..5, proptest::option::of(0.0f64..1e8), 0.0f64..1.0, 0.0f64..1e6),
            0..12,
        ),
        timeout in 1.0f64..1e7,
    ) {
        let mut budget = Budget::new(max, total, 0.0);
        let (mut now, mut retries) = (0.0, 0);
        for (idempotent, kind, retry_after, jitter, elapsed) in steps {
            now += elapsed;
            if let Some((ms, cut)) = budget.attempt_timeout(now, timeout) {
                proptest::prop_assert!(ms > 0.0 && ms <= timeout && now + ms <= total + 1e-6);
                proptest::prop_assert_eq!(cut, ms < timeout);
            } else {
                proptest::prop_assert!(now >= total);
            }
            let outcome = [fault(Fault::Refused), fault(Fault::Dropped), fault(Fault::TimedOut), busy(retry_after), answered(302, false)][usize::from(kind)];
            match budget.next(idempotent, &outcome, jitter, now) {
                Step::Retry(wait) => {
                    retries += 1;
                    proptest::prop_assert!(retries <= max && now + wait < total);
                    proptest::prop_assert!(idempotent || kind == 0);
                    now += wait;
                }
                Step::OutOfTime(wait) => proptest::prop_assert!(now + wait >= total),
                Step::Stop => {}
            }
        }
    }
}
