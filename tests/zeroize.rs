//! Native proof that credentials are wiped before their memory is returned: an allocator that looks
//! at every freed block reports any block still holding the marker, for `Secret` (alone and cloned),
//! for the auth string-to-sign that carries the password, and for a server's text that echoes one.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::panic, reason = "a test fails loudly")]

use luxsci::envelope::server_text;
use luxsci::exchange::{Action, Exchange};
use luxsci::session::{Credentials, Session};
use luxsci::signing::{auth_string_to_sign, hmac_hex, Secret};
use luxsci::step::{Outgoing, Policy};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use zeroize::Zeroizing;

const MARKER: &[u8] = b"zz-credential-marker-7c1f";

/// Counts freed blocks that still contain MARKER, on the thread that watches only: the harness and
/// the other tests free their own blocks on other threads at the same time.
struct Inspecting;
thread_local! {
    // `const` thread-locals have no lazy initialisation and no destructor: the allocator may read them.
    static WATCH: Cell<bool> = const { Cell::new(false) };
    static LEAKED: Cell<usize> = const { Cell::new(0) };
    static SEEN: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Inspecting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WATCH.try_with(Cell::get).unwrap_or(false) {
            // SAFETY: the block is still allocated and `layout.size()` bytes long until System frees it.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(MARKER.len()).any(|w| w == MARKER) {
                LEAKED.with(|n| n.set(n.get() + 1));
            }
            SEEN.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Inspecting = Inspecting;

/// Runs `f` with this thread's watch on; returns (blocks it freed with the marker still in them,
/// blocks it freed).
fn watched(f: impl FnOnce()) -> (usize, usize) {
    LEAKED.set(0);
    SEEN.set(0);
    WATCH.set(true);
    f();
    WATCH.set(false);
    (LEAKED.get(), SEEN.get())
}

/// A credential holding MARKER, built in one allocation (a growing String would free partial copies).
fn marked(prefix: &str) -> String {
    let marker = std::str::from_utf8(MARKER).unwrap();
    let mut s = String::with_capacity(prefix.len() + marker.len() + 5);
    s.push_str(prefix);
    s.push_str(marker);
    s.push_str("-tail");
    s
}

#[test]
fn the_watch_sees_an_unwiped_credential() {
    let (leaked, seen) = watched(|| drop(marked("plain-")));
    assert_eq!(
        (leaked, seen),
        (1, 1),
        "a plain String is freed with its content: the test can fail"
    );
}

#[test]
fn a_secret_is_wiped_before_it_is_freed() {
    let (leaked, seen) = watched(|| {
        let secret = Secret::new(marked("secret-"));
        let copy = secret.clone();
        assert!(copy.expose().contains("credential-marker"));
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        let signature = hmac_hex(secret.expose(), "string to sign");
        assert_eq!(signature.len(), 64);
        drop(secret);
        drop(copy);
    });
    assert!(
        seen >= 3,
        "the secret, its clone and the signature were freed ({seen})"
    );
    assert_eq!(leaked, 0);
}

#[test]
fn the_auth_string_to_sign_with_the_password_is_wiped() {
    // Every password length from 0 to 64 bytes of padding, so that any growth step would be hit.
    let (leaked, seen) = watched(|| {
        for pad in 0..64 {
            let pass = Secret::new(marked(&"p".repeat(pad)));
            let to_sign = auth_string_to_sign("token", "1700000000", Some(("user", pass.expose())));
            assert!(to_sign.contains("credential-marker"));
            drop(to_sign);
            drop(pass);
        }
    });
    assert!(seen >= 128);
    assert_eq!(leaked, 0);
}

#[test]
fn redacting_a_server_text_that_echoes_a_credential_frees_no_copy_of_it() {
    let (leaked, seen) = watched(|| {
        let secret = Secret::new(marked("secret-"));
        // Echoed at every distance from the 500-character cut.
        for pad in 0..64 {
            let mut echo = Zeroizing::new(String::with_capacity(pad * 9 + secret.expose().len()));
            echo.push_str(&"x".repeat(pad * 9));
            echo.push_str(secret.expose());
            let shown = server_text(&echo, &[secret.expose()]);
            assert!(!shown.contains("credential-marker"), "{shown}");
        }
    });
    assert!(seen >= 128);
    assert_eq!(leaked, 0);
}

#[test]
fn the_auth_body_with_the_password_is_wiped() {
    // The auth call's JSON body (built by the core for every driver) holds the password, escaped:
    // quotes and control characters make it grow past its first estimate, so the growth path is hit.
    let (leaked, seen) = watched(|| {
        for (pad, odd) in (0..96).zip(["", "\"", "\\\"\n", "\u{1}\u{2}\u{3}\u{4}"].iter().cycle()) {
            // The marker first, then a tail of `pad` bytes: any growth of the body falls after it.
            let marker = std::str::from_utf8(MARKER).unwrap();
            let mut text = String::with_capacity(odd.len() + marker.len() + pad);
            text.push_str(odd);
            text.push_str(marker);
            text.extend(std::iter::repeat_n('t', pad));
            let password = Secret::new(text);
            let mut session = Session::new(Some(Credentials {
                token: "token".into(),
                secret: Secret::new("secret".into()),
                user_pass: Some(("user".into(), password)),
            }));
            let policy = Policy {
                timeout_ms: 1000.0,
                max_retries: 0,
                deadline: None,
            };
            let mut call = Exchange::authenticate(policy, 1);
            let Action::Authenticate { mut auth, .. } = call.next(&mut session, 0.0) else {
                panic!("leads")
            };
            let Action::Send(attempt) = auth.next(&mut session, 1.7e12) else {
                panic!("sends")
            };
            let Outgoing::Json(body) = &attempt.body else {
                panic!("a JSON body")
            };
            assert!(body.contains("credential-marker"));
            drop(attempt);
            drop(session);
        }
    });
    assert!(seen >= 192);
    assert_eq!(leaked, 0);
}
