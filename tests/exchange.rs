//! Property tests of the sans-IO exchange, driven over random sequences of outcomes: a request that is
//! not safe to repeat is never sent again once it may have arrived, every call settles in a bounded
//! number of steps, at most one authentication is in flight across concurrent calls, `mayHaveBeenSent`
//! is true whenever such a request may have arrived, every attempt is signed over its exact bytes,
//! no redirect is followed, no wait runs past the deadline, and no error carries a credential.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use luxsci::endpoints::Method;
use luxsci::envelope::{Body, Flag};
use luxsci::error::{Error, ErrorKind};
use luxsci::exchange::{Action, Authentication, Exchange, Request, Resolution};
use luxsci::retry::{Answer, Fault, Limit, Outcome};
use luxsci::session::{Credentials, Session};
use luxsci::signing::{hmac_hex, request_string_to_sign, Secret};
use luxsci::step::{Attempt, Deadline, Outgoing, Policy};
use proptest::prelude::*;

const SECRET: &str = "s3cret-value-never-shown";
const PASSWORD: &str = "pa55word-never-shown";

/// One scripted outcome.
#[derive(Clone, Debug)]
enum Script {
    Fault(Fault),
    Status {
        status: u16,
        body: BodyKind,
        retry_after_s: Option<u32>,
        echo_secret: bool,
    },
}

#[derive(Clone, Copy, Debug)]
enum BodyKind {
    Success,
    Failure,
    NotJson,
    NotObject,
    UnknownFlag,
    Unread,
}

fn script() -> impl Strategy<Value = Script> {
    let fault = prop_oneof![
        Just(Fault::Refused),
        Just(Fault::Dropped),
        Just(Fault::TimedOut),
        Just(Fault::Unclassified),
    ];
    let status = prop::sample::select(vec![
        200u16, 201, 204, 301, 302, 303, 307, 308, 400, 401, 401, 403, 404, 408, 409, 413, 429,
        500, 502, 503, 504, 600,
    ]);
    let body = prop_oneof![
        4 => Just(BodyKind::Success),
        2 => Just(BodyKind::Failure),
        1 => Just(BodyKind::NotJson),
        1 => Just(BodyKind::NotObject),
        1 => Just(BodyKind::UnknownFlag),
        1 => Just(BodyKind::Unread),
    ];
    prop_oneof![
        1 => fault.prop_map(Script::Fault),
        3 => (status, body, prop::option::of(0u32..200), any::<bool>()).prop_map(
            |(status, body, retry_after_s, echo_secret)| Script::Status {
                status,
                body,
                retry_after_s,
                echo_secret,
            }
        ),
    ]
}

/// Whether a request that met `script` may have reached LuxSci: this test's own statement of the rule.
fn may_have_arrived(script: &Script) -> bool {
    match script {
        Script::Fault(Fault::Refused) => false,
        Script::Fault(_) => true,
        Script::Status { status, body, .. } => match status {
            200..=299 => !matches!(body, BodyKind::Failure),
            300..=399 => true,
            400..=499 => false,
            _ => true,
        },
    }
}

/// Feeds `script` to `feed` as an outcome (`auth_code` is the auth field of a 2xx answer).
fn with_outcome<T>(script: &Script, auth_code: &str, feed: impl FnOnce(Outcome<'_>) -> T) -> T {
    match script {
        Script::Fault(fault) => feed(Outcome::Failed {
            fault: *fault,
            reason: "could not reach http://127.0.0.1:9: scripted",
        }),
        Script::Status {
            status,
            body,
            retry_after_s,
            echo_secret,
        } => {
            let message = if *echo_secret {
                format!("bad request: {SECRET} and {PASSWORD}")
            } else {
                "scripted failure".to_owned()
            };
            let body = match body {
                BodyKind::Success => Some(Body::Object {
                    success: Flag::Number(1.0),
                    error_message: None,
                }),
                BodyKind::Failure => Some(Body::Object {
                    success: Flag::Number(0.0),
                    error_message: Some(&message),
                }),
                BodyKind::NotJson => Some(Body::NotJson),
                BodyKind::NotObject => Some(Body::NotObject),
                BodyKind::UnknownFlag => Some(Body::Object {
                    success: Flag::Text("yes"),
                    error_message: None,
                }),
                BodyKind::Unread => None,
            };
            feed(Outcome::Answered(Answer {
                status: *status,
                body,
                retry_after_ms: retry_after_s.map(|s| f64::from(s) * 1000.0),
                date_secs: None,
                location: Some("https://elsewhere.example/steal"),
                auth: Some(auth_code),
                redirect: false,
                relay: None,
                oversized: None,
            }))
        }
    }
}

fn session() -> Session {
    Session::new(Some(Credentials {
        token: "tok".into(),
        secret: Secret::new(SECRET.into()),
        user_pass: Some(("me@example.com".into(), Secret::new(PASSWORD.into()))),
    }))
}

fn request(idempotent: bool, resendable: bool) -> Request {
    Request {
        operation: Some("sendEmail"),
        method: if idempotent {
            Method::Get
        } else {
            Method::Post
        },
        path: "/perl/api/v2/user/me@example.com/email/send".into(),
        query: "a=1&b=%20".into(),
        body_hash: "abc".into(),
        idempotent,
        resendable,
        decode: true,
    }
}

/// Checks an attempt of `request` is signed with the session's code over its exact bytes.
fn assert_signed(attempt: &Attempt, request: &Request, code: &str) {
    assert_eq!(
        attempt.target,
        format!("{}?{}", request.path, request.query)
    );
    assert!(matches!(attempt.body, Outgoing::Prepared));
    let to_sign = request_string_to_sign(
        code,
        request.method.as_str(),
        &request.path,
        &request.query,
        &request.body_hash,
    );
    let expected = format!("signature={code}:{}", hmac_hex(SECRET, &to_sign).as_str());
    assert_eq!(
        attempt.cookie.as_ref().map(|c| c.expose()),
        Some(expected.as_str())
    );
}

/// A session that has authenticated for a POST call, the call, its authentication, and the call's
/// first attempt (in flight).
fn signed_in(policy: Policy) -> (Session, Exchange, Authentication, Attempt) {
    let mut session = session();
    let mut call = Exchange::call(request(false, true), policy, 1);
    let Action::Authenticate { mut auth, .. } = call.next(&mut session, 0.0) else {
        panic!("leads")
    };
    let mut none = std::iter::empty();
    let (mut now, mut codes) = (0.0, 0);
    authenticate(&mut auth, &mut session, &mut none, &mut now, &mut codes);
    let Action::Send(attempt) = call.next(&mut session, 0.0) else {
        panic!("sends")
    };
    (session, call, auth, attempt)
}

#[test]
fn debug_shows_no_credential_code_or_signature() {
    let (session, call, auth, attempt) = signed_in(fixed(1000.0, 0, None));
    let shown = format!("{session:?} {attempt:?} {call:?} {auth:?}");
    for hidden in [SECRET, PASSWORD, "code-1", "signature="] {
        assert!(!shown.contains(hidden), "{shown} shows {hidden}");
    }
}

fn no_credentials(error: &Error) {
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains(PASSWORD),
        "{shown}"
    );
}

/// What one call did.
#[derive(Debug, Default)]
struct Record {
    sends: usize,
    steps: usize,
    arrived: bool,
    sent_after_arrival: bool,
    settled: Option<Result<Resolution, Error>>,
}

/// Runs an authentication to its end with outcomes from `scripts`.
fn authenticate(
    auth: &mut Authentication,
    session: &mut Session,
    scripts: &mut impl Iterator<Item = Script>,
    now: &mut f64,
    codes: &mut u32,
) {
    let mut action = auth.next(session, *now);
    for _ in 0..100 {
        action = match action {
            Action::Send(attempt) => {
                match &attempt.body {
                    Outgoing::Json(text) => {
                        assert!(
                            text.contains(PASSWORD) && !format!("{attempt:?}").contains(PASSWORD)
                        )
                    }
                    other => panic!("an auth attempt without its JSON body: {other:?}"),
                }
                *codes += 1;
                let code = format!("code-{codes}");
                let script = scripts.next().unwrap_or(SUCCESS);
                with_outcome(&script, &code, |o| auth.on_outcome(session, o, *now))
            }
            Action::Wait { ms } => {
                *now += ms;
                auth.next(session, *now)
            }
            Action::Resolve(_) | Action::Reject(_) => return,
            other => panic!("an authentication asked for {other:?}"),
        };
    }
    panic!("the authentication did not settle");
}

const SUCCESS: Script = Script::Status {
    status: 200,
    body: BodyKind::Success,
    retry_after_s: None,
    echo_secret: false,
};

fn run_one(req: Request, policy: Policy, scripts: Vec<Script>) -> (Record, f64) {
    let mut session = session();
    let mut scripts = scripts.into_iter();
    let mut now = 1_000_000.0;
    let mut codes = 0;
    let mut ex = Exchange::call(req.clone(), policy, 42);
    let mut record = Record::default();
    let mut action = ex.next(&mut session, now);
    while record.steps < 200 {
        record.steps += 1;
        if let Some(deadline) = policy.deadline {
            assert!(now <= deadline.at_ms, "a wait ran past the deadline");
        }
        action = match action {
            Action::Send(attempt) => {
                record.sends += 1;
                if record.arrived && !req.idempotent {
                    record.sent_after_arrival = true;
                }
                let code = session.code().expect("signed with a cached code");
                assert_signed(&attempt, &req, &code);
                if let Some(deadline) = policy.deadline {
                    assert!(attempt.timeout_ms <= deadline.at_ms - now + 1e-9);
                }
                let script = scripts.next().unwrap_or(SUCCESS);
                record.arrived |= may_have_arrived(&script);
                with_outcome(&script, "unused", |o| ex.on_outcome(&mut session, o, now))
            }
            Action::Wait { ms } => {
                assert!((0.0..=60_000.0).contains(&ms));
                now += ms;
                ex.next(&mut session, now)
            }
            Action::Authenticate { mut auth, .. } => {
                assert_eq!(session.in_flight(), Some(auth.flight()));
                authenticate(&mut auth, &mut session, &mut scripts, &mut now, &mut codes);
                assert_eq!(session.in_flight(), None);
                // The driver stops waiting at the deadline (the authentication goes on for others).
                now = policy.deadline.map_or(now, |d| now.min(d.at_ms));
                ex.next(&mut session, now)
            }
            Action::AwaitAuthentication { .. } => panic!("a lone call waits on nobody"),
            Action::Resolve(r) => {
                record.settled = Some(Ok(r));
                break;
            }
            Action::Reject(e) => {
                record.settled = Some(Err(e));
                break;
            }
        };
    }
    (record, now)
}

/// The policy of a call that starts at the test's clock of 1 000 000 ms, with `total_ms` in all.
fn fixed(timeout_ms: f64, max_retries: u32, total_ms: Option<f64>) -> Policy {
    Policy {
        timeout_ms,
        max_retries,
        deadline: total_ms.map(|total| Deadline::starting(1_000_000.0, total, "totalTimeoutMs")),
    }
}

fn policy() -> impl Strategy<Value = Policy> {
    (0u32..4, prop::option::of(1_000.0f64..200_000.0)).prop_map(|(max_retries, budget)| Policy {
        timeout_ms: 30_000.0,
        max_retries,
        deadline: budget.map(|b| Deadline::starting(1_000_000.0, b, "totalTimeoutMs")),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn one_call_over_random_outcomes(
        idempotent in any::<bool>(),
        resendable in any::<bool>(),
        policy in policy(),
        scripts in prop::collection::vec(script(), 0..12),
    ) {
        let (record, now) = run_one(request(idempotent, resendable), policy, scripts);
        let settled = record.settled.expect("every call settles");
        prop_assert!(record.steps < 60, "{} steps", record.steps);
        // Never sent again once it may have arrived, unless repeating is harmless.
        prop_assert!(!record.sent_after_arrival);
        // Attempts: the first, the retries, one replay after a 401.
        prop_assert!(record.sends as u32 <= 2 + policy.max_retries);
        if !resendable {
            prop_assert!(record.sends <= 1);
        }
        match settled {
            Ok(resolution) => prop_assert_eq!(resolution, Resolution::Data),
            Err(error) => {
                no_credentials(&error);
                prop_assert_eq!(error.operation_id.is_some(), true);
                if idempotent {
                    prop_assert_eq!(error.may_have_been_sent, None);
                } else {
                    // mayHaveBeenSent exactly when an attempt may have arrived.
                    prop_assert_eq!(error.may_have_been_sent, Some(record.arrived));
                }
                if let Some(status) = error.status.filter(|s| (300..400).contains(s)) {
                    prop_assert!(error.message.contains("redirect") && error.message.contains(&status.to_string()));
                }
                if error.kind == ErrorKind::Timeout && policy.deadline.is_some_and(|d| now < d.at_ms) {
                    // Settled early: the wait would not fit, or an attempt timed out.
                    prop_assert!(error.message.contains("totalTimeoutMs") || error.message.contains("scripted"));
                }
            }
        }
    }
}

#[test]
fn a_redirect_is_an_error_naming_it_and_a_post_may_have_been_sent() {
    let redirect = Script::Status {
        status: 307,
        body: BodyKind::NotJson,
        retry_after_s: None,
        echo_secret: false,
    };
    let policy = fixed(1000.0, 2, None);
    let (record, _) = run_one(
        request(false, true),
        policy,
        vec![SUCCESS, redirect.clone()],
    );
    let error = record.settled.unwrap().unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::Api, Some(307)));
    assert!(
        error
            .message
            .contains("redirect to https://elsewhere.example: redirects are never followed"),
        "{}",
        error.message
    );
    assert_eq!(error.may_have_been_sent, Some(true));
    assert_eq!(record.sends, 1);
    let (record, _) = run_one(request(true, true), policy, vec![SUCCESS, redirect]);
    assert_eq!(
        record.sends, 1,
        "a GET is not retried after a redirect either"
    );
}

#[test]
fn a_2xx_that_is_not_an_envelope_may_have_been_sent() {
    for body in [
        BodyKind::NotJson,
        BodyKind::NotObject,
        BodyKind::UnknownFlag,
    ] {
        let answer = Script::Status {
            status: 200,
            body,
            retry_after_s: None,
            echo_secret: false,
        };
        let policy = fixed(1000.0, 2, None);
        let (record, _) = run_one(request(false, true), policy, vec![SUCCESS, answer]);
        let error = record.settled.unwrap().unwrap_err();
        assert_eq!(error.may_have_been_sent, Some(true), "{body:?}");
    }
}

#[test]
fn a_retry_after_beyond_the_deadline_settles_at_once_as_a_timeout() {
    let busy = Script::Status {
        status: 503,
        body: BodyKind::Failure,
        retry_after_s: Some(50),
        echo_secret: false,
    };
    let policy = fixed(30_000.0, 2, Some(3_000.0));
    let (record, now) = run_one(request(true, true), policy, vec![SUCCESS, busy]);
    let error = record.settled.unwrap().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Timeout);
    assert_eq!(
        error.message,
        "LuxSci answered HTTP 503; waiting 50000 ms before the next attempt would exceed the call's totalTimeoutMs (3000 ms)"
    );
    assert_eq!(
        (error.status, error.retry_after_ms),
        (Some(503), Some(50_000.0))
    );
    assert_eq!(now, 1_000_000.0, "no time passed");
    assert_eq!(record.sends, 1);
}

#[test]
fn a_retry_after_over_a_minute_ends_the_call_with_the_answer() {
    let quota = Script::Status {
        status: 429,
        body: BodyKind::Failure,
        retry_after_s: Some(61),
        echo_secret: false,
    };
    let (record, now) = run_one(
        request(true, true),
        fixed(30_000.0, 2, None),
        vec![SUCCESS, quota],
    );
    let error = record.settled.unwrap().unwrap_err();
    assert_eq!((error.kind, error.status), (ErrorKind::Api, Some(429)));
    assert_eq!(error.retry_after_ms, Some(61_000.0));
    assert_eq!((record.sends, now), (1, 1_000_000.0));
}

/// One task of the concurrent simulation.
enum Task {
    Call {
        ex: Box<Exchange>,
        req: Request,
        state: CallState,
        record: Record,
    },
    Auth {
        auth: Authentication,
        pending: Option<()>,
        done: bool,
    },
}

enum CallState {
    Ready,
    Sent,
    Waiting(u64),
    Done,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn concurrent_calls_share_one_authentication(
        kinds in prop::collection::vec(any::<bool>(), 2..6),
        choices in prop::collection::vec(any::<usize>(), 400),
        scripts in prop::collection::vec(script(), 0..30),
        expire in prop::collection::vec(any::<bool>(), 400),
    ) {
        let mut session = session();
        let mut scripts = scripts.into_iter();
        let policy = Policy { timeout_ms: 30_000.0, max_retries: 2, deadline: None };
        let mut tasks: Vec<Task> = kinds
            .iter()
            .enumerate()
            .map(|(i, idempotent)| {
                let req = request(*idempotent, true);
                Task::Call { ex: Box::new(Exchange::call(req.clone(), policy, i as u64)), req, state: CallState::Ready, record: Record::default() }
            })
            .collect();
        let mut codes = 0u32;
        let now = 1_000_000.0;
        let mut choices = choices.into_iter().chain(std::iter::repeat(0)).take(2000);
        let mut steps = 0;
        loop {
            let runnable: Vec<usize> = (0..tasks.len())
                .filter(|&i| match &tasks[i] {
                    Task::Call { state: CallState::Done, .. } | Task::Auth { done: true, .. } => false,
                    Task::Call { state: CallState::Waiting(flight), .. } => session.in_flight() != Some(*flight),
                    _ => true,
                })
                .collect();
            if runnable.is_empty() {
                break;
            }
            steps += 1;
            prop_assert!(steps < 2000, "the calls did not settle");
            let running = tasks.iter().filter(|t| matches!(t, Task::Auth { done: false, .. })).count();
            prop_assert!(running <= 1, "{running} authentications in flight");
            if expire.get(steps).copied().unwrap_or(false) && steps % 7 == 0 {
                if let Some(code) = session.code() {
                    session.invalidate(&code);
                }
            }
            let pick = runnable[choices.next().unwrap() % runnable.len()];
            let mut spawned = None;
            match &mut tasks[pick] {
                Task::Call { ex, req, state, record } => {
                    let action = match state {
                        CallState::Sent => {
                            let script = scripts.next().unwrap_or(SUCCESS);
                            record.arrived |= may_have_arrived(&script);
                            with_outcome(&script, "unused", |o| ex.on_outcome(&mut session, o, now))
                        }
                        _ => ex.next(&mut session, now),
                    };
                    *state = CallState::Ready;
                    match action {
                        Action::Send(attempt) => {
                            if record.arrived && !req.idempotent {
                                record.sent_after_arrival = true;
                            }
                            let code = session.code().expect("signed with the cached code");
                            assert_signed(&attempt, req, &code);
                            *state = CallState::Sent;
                        }
                        Action::Wait { .. } => {}
                        Action::Authenticate { auth, .. } => {
                            *state = CallState::Waiting(auth.flight());
                            spawned = Some(auth);
                        }
                        Action::AwaitAuthentication { flight, .. } => *state = CallState::Waiting(flight),
                        Action::Resolve(r) => { record.settled = Some(Ok(r)); *state = CallState::Done; }
                        Action::Reject(e) => { record.settled = Some(Err(e)); *state = CallState::Done; }
                    }
                }
                Task::Auth { auth, pending, done } => {
                    let action = match pending.take() {
                        Some(()) => {
                            codes += 1;
                            let code = format!("code-{codes}");
                            let script = scripts.next().unwrap_or(SUCCESS);
                            with_outcome(&script, &code, |o| auth.on_outcome(&mut session, o, now))
                        }
                        None => auth.next(&mut session, now),
                    };
                    match action {
                        Action::Send(_) => *pending = Some(()),
                        Action::Wait { .. } => {}
                        Action::Resolve(_) | Action::Reject(_) => *done = true,
                        other => panic!("an authentication asked for {other:?}"),
                    }
                }
            }
            if let Some(auth) = spawned {
                tasks.push(Task::Auth { auth, pending: None, done: false });
            }
        }
        for task in &tasks {
            if let Task::Call { req, record, .. } = task {
                prop_assert!(!record.sent_after_arrival);
                match record.settled.as_ref().expect("every call settles") {
                    Ok(_) => {}
                    Err(error) => {
                        no_credentials(error);
                        if !req.idempotent {
                            prop_assert_eq!(error.may_have_been_sent, Some(record.arrived));
                        }
                    }
                }
            }
        }
        prop_assert_eq!(session.in_flight(), None);
    }
}

#[test]
fn an_abandoned_authentication_fails_its_followers_and_the_next_call_leads_anew() {
    let mut session = session();
    let policy = fixed(1000.0, 0, None);
    let mut first = Exchange::call(request(true, true), policy, 1);
    let mut second = Exchange::call(request(false, true), policy, 2);
    let Action::Authenticate { auth, .. } = first.next(&mut session, 0.0) else {
        panic!("the first call leads")
    };
    let Action::AwaitAuthentication { flight, .. } = second.next(&mut session, 0.0) else {
        panic!("the second follows")
    };
    assert_eq!(flight, auth.flight());
    session.abandon(auth.flight());
    let Action::Reject(error) = second.next(&mut session, 0.0) else {
        panic!("the follower fails")
    };
    assert_eq!(error.kind, ErrorKind::Abort);
    assert_eq!(error.may_have_been_sent, Some(false));
    let mut third = Exchange::call(request(true, true), policy, 3);
    assert!(matches!(
        third.next(&mut session, 0.0),
        Action::Authenticate { .. }
    ));
}

#[test]
fn an_abort_during_an_attempt_may_have_sent_it() {
    let policy = fixed(1000.0, 0, None);
    let (mut session, mut call, _, _) = signed_in(policy);
    let error = call.abort(&mut session);
    assert_eq!(
        (error.kind, error.may_have_been_sent),
        (ErrorKind::Abort, Some(true))
    );
    let mut waiting = Exchange::call(request(false, true), policy, 2);
    assert!(matches!(waiting.next(&mut session, 0.0), Action::Send(_)));
    let refused = Outcome::Failed {
        fault: Fault::Refused,
        reason: "refused",
    };
    let mut retrying = Exchange::call(
        request(false, true),
        Policy {
            max_retries: 1,
            ..policy
        },
        3,
    );
    assert!(matches!(retrying.next(&mut session, 0.0), Action::Send(_)));
    assert!(matches!(
        retrying.on_outcome(&mut session, refused, 0.0),
        Action::Wait { .. }
    ));
    assert_eq!(retrying.abort(&mut session).may_have_been_sent, Some(false));
    drop(waiting);
}

#[test]
fn revocation_uses_the_code_in_hand_and_sends_nothing_without_one() {
    let mut session = session();
    let policy = fixed(1000.0, 1, None);
    let mut revoke = Exchange::revoke(policy, 1);
    assert!(matches!(
        revoke.next(&mut session, 0.0),
        Action::Resolve(Resolution::Nothing)
    ));
    let mut login = Exchange::authenticate(policy, 2);
    let Action::Authenticate { mut auth, .. } = login.next(&mut session, 0.0) else {
        panic!("leads")
    };
    let mut revoke = Exchange::revoke(policy, 3);
    assert!(matches!(
        revoke.next(&mut session, 0.0),
        Action::AwaitAuthentication { .. }
    ));
    let mut none = std::iter::empty();
    let (mut now, mut codes) = (0.0, 0);
    authenticate(&mut auth, &mut session, &mut none, &mut now, &mut codes);
    assert!(matches!(
        login.next(&mut session, 0.0),
        Action::Resolve(Resolution::Nothing)
    ));
    let Action::Send(attempt) = revoke.next(&mut session, 0.0) else {
        panic!("revokes")
    };
    assert_eq!(
        (attempt.method, attempt.target.as_str()),
        (Method::Delete, "/perl/api/v2/auth")
    );
    let answered_401 = Outcome::Answered(Answer {
        status: 401,
        ..Answer::default()
    });
    assert!(matches!(
        revoke.on_outcome(&mut session, answered_401, 0.0),
        Action::Resolve(Resolution::Nothing)
    ));
    assert_eq!(session.code(), None);
}

#[test]
fn the_clock_is_corrected_once_from_the_servers_date() {
    let mut session = session();
    let policy = fixed(1000.0, 0, None);
    let mut call = Exchange::authenticate(policy, 1);
    let Action::Authenticate { mut auth, .. } = call.next(&mut session, 0.0) else {
        panic!("leads")
    };
    let now = 1_700_000_000_000.0;
    assert!(matches!(auth.next(&mut session, now), Action::Send(_)));
    let refused = |date: f64| {
        Outcome::Answered(Answer {
            status: 401,
            date_secs: Some(date),
            ..Answer::default()
        })
    };
    let Action::Send(again) = auth.on_outcome(&mut session, refused(1_700_000_600.0), now) else {
        panic!("a skewed clock is corrected and the auth call signed again")
    };
    assert_eq!(session.clock_offset(), 600);
    let Outgoing::Json(body) = &again.body else {
        panic!("JSON")
    };
    assert!(body.contains("\"date\":1700000600,"), "{}", &**body);
    let Action::Reject(error) = auth.on_outcome(&mut session, refused(1_700_001_200.0), now) else {
        panic!("corrected once only")
    };
    assert_eq!((error.kind, error.status), (ErrorKind::Auth, Some(401)));
    assert_eq!(session.clock_offset(), 600);
}

#[test]
fn a_custom_request_is_as_repeatable_as_the_operation_it_addresses() {
    let judged = |method, path: &str| {
        let r = Request::custom(
            method,
            format!("/perl/api/v2{path}"),
            String::new(),
            String::new(),
        );
        (r.operation, r.idempotent)
    };
    let recipients = "/user/me@example.com/email/compose/secureline/recipients";
    assert_eq!(
        judged(Method::Post, recipients),
        (Some("retrieveSecureLineRecipientListEncryptionData"), true)
    );
    assert_eq!(
        judged(Method::Post, "/user/me@example.com/email/send"),
        (Some("sendEmail"), false)
    );
    assert_eq!(judged(Method::Post, "/elsewhere"), (None, false));
    assert_eq!(judged(Method::Get, "/elsewhere"), (None, true));
}

#[test]
fn an_auth_code_too_long_for_a_cookie_header_is_refused_and_not_cached() {
    let success = Body::Object {
        success: Flag::Number(1.0),
        error_message: None,
    };
    let answered = |auth| {
        Outcome::Answered(Answer {
            status: 200,
            body: Some(success),
            auth,
            ..Answer::default()
        })
    };
    let longest = "c".repeat(1024);
    let too_long = "c".repeat(1025);
    for (auth, refused) in [
        (
            Some(too_long.as_str()),
            Some("(longer than 1024 characters)"),
        ),
        (None, Some("(no auth string)")),
        (
            Some("a:b"),
            Some("(empty, or characters a cookie cannot hold)"),
        ),
        (Some(longest.as_str()), None),
    ] {
        let mut session = session();
        let mut call = Exchange::authenticate(fixed(1000.0, 0, None), 1);
        let Action::Authenticate {
            auth: mut auth_call,
            ..
        } = call.next(&mut session, 0.0)
        else {
            panic!("leads")
        };
        assert!(matches!(auth_call.next(&mut session, 0.0), Action::Send(_)));
        let action = auth_call.on_outcome(&mut session, answered(auth), 0.0);
        match (action, refused) {
            (Action::Reject(error), Some(why)) => {
                assert_eq!((error.kind, error.status), (ErrorKind::Api, Some(200)));
                assert!(
                    error.message.contains("no usable auth code") && error.message.contains(why),
                    "{}",
                    error.message
                );
                assert_eq!(session.code(), None);
            }
            (Action::Resolve(Resolution::Nothing), None) => {
                assert_eq!(session.code().as_deref(), Some(longest.as_str()));
            }
            (other, _) => panic!("{auth:?}: {other:?}"),
        }
    }
}

#[test]
fn a_redirect_its_status_does_not_show_is_an_error_and_a_post_may_have_been_sent() {
    let success = Body::Object {
        success: Flag::Number(1.0),
        error_message: None,
    };
    // A browser's opaque redirect (status hidden), and a success from wherever an injected fetch went.
    for (status, says) in [
        (0, "the browser hides its status"),
        (200, "followed a redirect"),
    ] {
        let (mut session, mut call, _, _) = signed_in(fixed(1000.0, 2, None));
        let answer = Outcome::Answered(Answer {
            status,
            body: Some(success),
            redirect: true,
            ..Answer::default()
        });
        let Action::Reject(error) = call.on_outcome(&mut session, answer, 0.0) else {
            panic!("a redirect is never a success, nor repeated")
        };
        assert_eq!(error.kind, ErrorKind::Api);
        assert!(error.message.contains(says), "{}", error.message);
        assert_eq!(error.may_have_been_sent, Some(true));
    }
}

#[test]
fn the_deadline_is_named_as_totaltimeoutms_in_the_facades_words() {
    // An attempt cut short by the deadline that times out: the call's time, not the attempt's.
    let cut = Script::Fault(Fault::TimedOut);
    let (record, _) = run_one(
        request(false, true),
        fixed(60_000.0, 2, Some(300.0)),
        vec![SUCCESS, cut.clone()],
    );
    let error = record.settled.unwrap().unwrap_err();
    assert_eq!(
        (error.kind, error.may_have_been_sent),
        (ErrorKind::Timeout, Some(true))
    );
    assert!(
        error
            .message
            .starts_with("the call took longer than its totalTimeoutMs (300 ms) — "),
        "{}",
        error.message
    );
    // A timeout of an attempt left whole is the attempt's own, retried where harmless.
    let (record, _) = run_one(
        request(true, true),
        fixed(1_000.0, 2, Some(300_000.0)),
        vec![SUCCESS, cut],
    );
    assert!(matches!(record.settled, Some(Ok(Resolution::Data))));
    assert_eq!(record.sends, 2);

    // No time left for a backoff after a dropped connection: the failure, then why it stops.
    let mut session = session();
    let mut call = Exchange::call(request(true, true), fixed(1_000.0, 2, Some(600.0)), 7);
    let Action::Authenticate { mut auth, .. } = call.next(&mut session, 1_000_000.0) else {
        panic!("leads")
    };
    let (mut now, mut codes) = (1_000_000.0, 0);
    authenticate(
        &mut auth,
        &mut session,
        &mut std::iter::empty(),
        &mut now,
        &mut codes,
    );
    assert!(matches!(
        call.next(&mut session, now + 500.0),
        Action::Send(_)
    ));
    let dropped = Outcome::Failed {
        fault: Fault::Dropped,
        reason: "could not reach http://127.0.0.1:9: ECONNRESET",
    };
    let Action::Reject(error) = call.on_outcome(&mut session, dropped, now + 599.0) else {
        panic!("settles")
    };
    assert!(
        error
            .message
            .starts_with("could not reach http://127.0.0.1:9: ECONNRESET; waiting ")
            && error.message.ends_with(
                " ms before the next attempt would exceed the call's totalTimeoutMs (600 ms)"
            ),
        "{}",
        error.message
    );
}

#[test]
fn a_follower_whose_time_runs_out_says_it_waited_for_another_calls_authentication() {
    let mut session = session();
    let mut leader = Exchange::call(request(true, true), fixed(1_000.0, 0, Some(5_000.0)), 1);
    let mut follower = Exchange::call(request(true, true), fixed(1_000.0, 0, Some(300.0)), 2);
    let start = 1_000_000.0;
    let Action::Authenticate { auth, .. } = leader.next(&mut session, start) else {
        panic!("the first call leads")
    };
    let Action::AwaitAuthentication { until_ms, .. } = follower.next(&mut session, start) else {
        panic!("the second follows")
    };
    assert_eq!(until_ms, Some(start + 300.0));
    let Action::Reject(error) = follower.next(&mut session, start + 300.0) else {
        panic!("the follower stops at its deadline")
    };
    assert_eq!(
        (error.kind, error.message.as_str()),
        (
            ErrorKind::Timeout,
            "the call's totalTimeoutMs ran out while it waited for an authentication another call started"
        )
    );
    assert_eq!(
        session.in_flight(),
        Some(auth.flight()),
        "the leader goes on"
    );
    // The leader itself, past its own deadline, names its time.
    let Action::Reject(error) = leader.next(&mut session, start + 5_000.0) else {
        panic!("the leader stops at its deadline")
    };
    assert_eq!(
        error.message,
        "the call took longer than its totalTimeoutMs (5000 ms)"
    );
}

#[test]
fn the_authentication_a_call_leads_runs_within_what_is_left_of_its_time() {
    let start = 1_000_000.0;
    let leads = |session: &mut Session, call: &mut Exchange, now: f64| {
        let Action::Authenticate { auth, until_ms } = call.next(session, now) else {
            panic!("leads")
        };
        assert_eq!(until_ms, Some(start + 300.0));
        auth
    };
    // Its attempt is shortened to the call's time left; timing out there is the call's time spent.
    let mut session = session();
    let mut call = Exchange::call(request(false, true), fixed(60_000.0, 2, Some(300.0)), 1);
    let mut auth = leads(&mut session, &mut call, start + 100.0);
    let Action::Send(attempt) = auth.next(&mut session, start + 100.0) else {
        panic!("sends")
    };
    assert_eq!(attempt.timeout_ms, 200.0);
    let timed_out = Outcome::Failed {
        fault: Fault::TimedOut,
        reason: "scripted",
    };
    let Action::Reject(error) = auth.on_outcome(&mut session, timed_out, start + 300.0) else {
        panic!("the authentication ends with the call's time")
    };
    assert_eq!(
        (error.kind, error.message.as_str()),
        (
            ErrorKind::Timeout,
            "the call took longer than its totalTimeoutMs (200 ms)"
        )
    );
    assert_eq!(session.in_flight(), None);

    // A Retry-After past the call's deadline ends the authentication at once, and a send was not sent.
    let mut session = self::session();
    let mut call = Exchange::call(request(false, true), fixed(1_000.0, 2, Some(300.0)), 2);
    let mut auth = leads(&mut session, &mut call, start);
    assert!(matches!(auth.next(&mut session, start), Action::Send(_)));
    let busy = Script::Status {
        status: 503,
        body: BodyKind::Failure,
        retry_after_s: Some(50),
        echo_secret: false,
    };
    let action = with_outcome(&busy, "unused", |o| auth.on_outcome(&mut session, o, start));
    let Action::Reject(error) = action else {
        panic!("settles at once")
    };
    assert_eq!(
        error.message,
        "LuxSci answered HTTP 503; waiting 50000 ms before the next attempt would exceed the call's totalTimeoutMs (300 ms)"
    );
    let Action::Reject(error) = call.next(&mut session, start) else {
        panic!("the call takes the authentication's failure")
    };
    assert_eq!(
        (error.kind, error.may_have_been_sent),
        (ErrorKind::Timeout, Some(false))
    );
    assert!(error.message.contains("totalTimeoutMs (300 ms)"));
}

#[test]
fn a_relays_own_answer_is_final_and_a_relay_failure_is_a_relay_error() {
    let answer = |status: u16, relay: Option<&'static str>, success: f64| {
        Outcome::Answered(Answer {
            status,
            body: Some(Body::Object {
                success: Flag::Number(success),
                error_message: Some("LuxSci could not be reached"),
            }),
            relay,
            ..Answer::default()
        })
    };
    let call = |session: &mut Session, idempotent: bool| {
        let mut call = Exchange::call(request(idempotent, true), fixed(1000.0, 2, None), 1);
        let Action::Send(attempt) = call.next(session, 0.0) else {
            panic!("a relay-mode call sends at once")
        };
        assert!(attempt.cookie.is_none(), "unsigned");
        call
    };
    let mut session = Session::new(None);
    // The relay's own 503 is not repeated, even for a call that is safe to repeat.
    let mut get = call(&mut session, true);
    let Action::Reject(error) = get.on_outcome(&mut session, answer(503, Some("relay"), 0.0), 0.0)
    else {
        panic!("final")
    };
    assert_eq!(
        (error.kind, error.message.as_str(), error.status),
        (
            ErrorKind::Relay,
            "the relay answered HTTP 503: LuxSci could not be reached",
            Some(503)
        )
    );
    // LuxSci's 503, passed through, is repeated as any.
    let mut get = call(&mut session, true);
    assert!(matches!(
        get.on_outcome(&mut session, answer(503, Some("luxsci"), 0.0), 0.0),
        Action::Wait { .. }
    ));
    // LuxSci's own answers decode as usual.
    let mut get = call(&mut session, true);
    assert!(matches!(
        get.on_outcome(&mut session, answer(200, Some("luxsci"), 1.0), 0.0),
        Action::Resolve(Resolution::Data)
    ));
    let mut get = call(&mut session, true);
    let Action::Reject(error) = get.on_outcome(&mut session, answer(404, Some("luxsci"), 0.0), 0.0)
    else {
        panic!("LuxSci's failure")
    };
    assert_eq!(
        (error.kind, error.message.as_str()),
        (ErrorKind::Api, "LuxSci could not be reached")
    );
    // An answer without the mark came from no relay: a send that got a 2xx may have been sent.
    let mut send = call(&mut session, false);
    let Action::Reject(error) = send.on_outcome(&mut session, answer(200, None, 1.0), 0.0) else {
        panic!("not the relay's")
    };
    assert_eq!(
        (error.kind, error.may_have_been_sent),
        (ErrorKind::Relay, Some(true))
    );
    assert!(error
        .message
        .starts_with("the relay's address answered HTTP 200 without the relay's mark"));
}

#[test]
fn an_answer_over_max_response_bytes_is_an_api_error_and_a_2xx_may_have_been_sent() {
    let oversized = |status: u16| {
        Outcome::Answered(Answer {
            status,
            body: Some(Body::NotJson),
            oversized: Some(Limit {
                value: 256,
                option: "maxResponseBytes",
            }),
            ..Answer::default()
        })
    };
    let over = |status: u16| {
        format!(
            "LuxSci answered HTTP {status} with a body over maxResponseBytes (256 bytes); it was not read further"
        )
    };
    // A send cut off at the limit may be LuxSci's acceptance: not repeated, and said so.
    let (mut session, mut send, _, _) = signed_in(fixed(1000.0, 2, None));
    let Action::Reject(error) = send.on_outcome(&mut session, oversized(200), 0.0) else {
        panic!("a 2xx over the limit is not a success")
    };
    assert_eq!(
        (error.kind, error.status, error.may_have_been_sent),
        (ErrorKind::Api, Some(200), Some(true))
    );
    assert!(error.message.starts_with(&over(200)), "{}", error.message);
    // A 4xx over the limit was not acted on.
    let (mut session, mut send, _, _) = signed_in(fixed(1000.0, 2, None));
    let Action::Reject(error) = send.on_outcome(&mut session, oversized(400), 0.0) else {
        panic!("a failure")
    };
    assert_eq!(
        (error.message, error.may_have_been_sent),
        (over(400), Some(false))
    );
    // The authentication's answer over the limit fails it.
    let mut session = self::session();
    let mut call = Exchange::authenticate(fixed(1000.0, 0, None), 1);
    let Action::Authenticate { mut auth, .. } = call.next(&mut session, 0.0) else {
        panic!("leads")
    };
    assert!(matches!(auth.next(&mut session, 0.0), Action::Send(_)));
    let Action::Reject(error) = auth.on_outcome(&mut session, oversized(200), 0.0) else {
        panic!("no code read")
    };
    assert_eq!((error.kind, error.message), (ErrorKind::Api, over(200)));
    assert_eq!(session.code(), None);
}

#[test]
fn an_abort_before_the_attempt_started_did_not_send_it() {
    let (mut session, mut call, _, _) = signed_in(fixed(1000.0, 0, None));
    call.unsent();
    let error = call.abort(&mut session);
    assert_eq!(
        (error.kind, error.may_have_been_sent),
        (ErrorKind::Abort, Some(false))
    );
    assert!(
        !error.message.contains("may have reached"),
        "{}",
        error.message
    );
}

#[test]
fn a_relays_message_is_clipped_as_any_servers_text() {
    let long = "x".repeat(2_000);
    let mut session = Session::new(None);
    let mut call = Exchange::call(request(true, true), fixed(1000.0, 0, None), 1);
    assert!(matches!(call.next(&mut session, 0.0), Action::Send(_)));
    let answer = Outcome::Answered(Answer {
        status: 502,
        body: Some(Body::Object {
            success: Flag::Number(0.0),
            error_message: Some(&long),
        }),
        relay: Some("relay"),
        ..Answer::default()
    });
    let Action::Reject(error) = call.on_outcome(&mut session, answer, 0.0) else {
        panic!("final")
    };
    let shown = error
        .message
        .strip_prefix("the relay answered HTTP 502: ")
        .unwrap();
    assert_eq!(shown, format!("{}…", "x".repeat(500)));
}
