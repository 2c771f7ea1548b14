//! Property tests of the decoders and encoders that see outside input: the envelope judge, the path
//! encoder, the multipart layout and de-duplication, and the retry policy — no input panics, and each
//! output keeps its invariants.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly"
)]

use luxsci::endpoints::ENDPOINTS;
use luxsci::envelope::{judge, server_text, text_window, Body, Flag};
use luxsci::multipart::{boundary, dedupe, escape_filename, layout, FilePart, Segment};
use luxsci::path::{build, query_component, segment, split_custom, PathArgs, API_PREFIX};
use luxsci::retry::{
    delay_ms, retry_after_ms, verdict, Answer, Fault, Next, Outcome, MAX_RETRY_AFTER_MS,
};
use proptest::prelude::*;

fn flag() -> impl Strategy<Value = (u8, f64, String)> {
    (0u8..6, any::<f64>(), ".{0,4}")
}

fn to_flag(kind: u8, n: f64, text: &str) -> Flag<'_> {
    match kind {
        0 => Flag::Missing,
        1 => Flag::Bool(n.is_sign_positive()),
        2 => Flag::Number(n),
        3 => Flag::Number(f64::from(n.is_sign_positive() as u8)),
        4 => Flag::Text(text),
        _ => Flag::Other,
    }
}

/// Percent-decodes `text`, failing on anything but unreserved characters, `@` and `%XX`.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                if hex.chars().any(|c| c.is_ascii_lowercase()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) => {
                out.push(b);
                i += 1;
            }
            _ => return None,
        }
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Success exactly when the status is 2xx and the flag means true; a failure message is the
    /// server's text as server_text() shows it (trimmed, clipped to 500 characters) when it gave
    /// one, and never empty.
    #[test]
    fn envelope_judge_is_total_and_exact(
        status in any::<u16>(),
        body_kind in 0u8..3,
        (kind, n, text) in flag(),
        message in proptest::option::of(".{0,700}"),
    ) {
        let shown = message.as_deref().map(|m| server_text(m, &[]));
        let body = match body_kind {
            0 => Body::NotJson,
            1 => Body::NotObject,
            _ => Body::Object { success: to_flag(kind, n, &text), error_message: shown.as_deref() },
        };
        let verdict = judge(status, body);
        let ok_status = (200..300).contains(&status);
        let truthy = matches!(body, Body::Object { success, .. } if success.truth() == Some(true));
        prop_assert_eq!(verdict.is_ok(), ok_status && truthy);
        if let Err(text) = verdict {
            prop_assert!(!text.trim().is_empty());
            prop_assert!(text.chars().count() <= 501);
            if let (Body::Object { .. }, Some(m)) = (body, &message) {
                let m = m.trim();
                if !m.is_empty() {
                    let kept: String = m.chars().take(500).collect();
                    prop_assert!(text.starts_with(&kept));
                }
            }
        }
    }

    /// Redacting then cutting the window of a server's text that is copied into wasm gives the same
    /// message as the whole text would (credentials of every length, packed or sparse).
    #[test]
    fn the_text_window_loses_nothing(
        secrets in proptest::collection::vec("[!-~]{4,80}", 1..3),
        parts in proptest::collection::vec((any::<bool>(), 0usize..2, "[!-~\u{e9}\u{1F600}]{0,12}"), 0..400),
    ) {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let text: String = parts
            .iter()
            .map(|(credential, i, plain)| if *credential { secrets[i % secrets.len()] } else { plain.as_str() })
            .collect();
        let units: Vec<u16> = text.encode_utf16().take(text_window(&secrets)).collect();
        let window = String::from_utf16_lossy(&units);
        prop_assert_eq!(server_text(&window, &secrets), server_text(&text, &secrets));
    }

    /// A path segment is percent-encoded with uppercase hex and decodes back to the exact bytes.
    #[test]
    fn segment_encoding_round_trips(value in any::<String>()) {
        let mut out = String::new();
        match segment(&mut out, "p", &value) {
            Ok(()) => prop_assert_eq!(percent_decode(&out), Some(value.into_bytes())),
            // Refused only when empty or when it holds a dot, literal or percent-encoded (%2e, %252e, …).
            Err(_) => prop_assert!(value.is_empty() || value.contains('.') || value.to_ascii_lowercase().contains("%2")),
        }
        let mut query = String::new();
        query_component(&mut query, &"k=v&x y".repeat(2));
        prop_assert_eq!(percent_decode(&query), Some(b"k=v&x yk=v&x y".to_vec()));
    }

    /// Every endpoint's path, for any arguments, is absolute under the API prefix, with no empty,
    /// `.` or `..` segment, no query or fragment, and only encoded or unreserved characters; each
    /// segment decodes back to what the caller gave (directories and file paths keep their `/`s).
    #[test]
    fn every_endpoint_path_is_well_formed(
        index in 0..ENDPOINTS.len(),
        account in proptest::option::of(any::<String>()),
        user in proptest::option::of("[a-z.@%/ ]{0,12}"),
        param in proptest::option::of(prop_oneof![any::<String>(), "(/?[a-z.]{0,3}){0,4}/?"]),
    ) {
        let endpoint = &ENDPOINTS[index];
        let args = PathArgs { account_id: account.as_deref(), username: user.as_deref(), param: param.as_deref() };
        if let Ok(path) = build(endpoint, args) {
            prop_assert!(path.starts_with(API_PREFIX));
            prop_assert!(!path.contains(['?', '#']));
            let body = path.strip_suffix('/').unwrap_or(&path);
            for part in body.split('/').skip(1) {
                prop_assert!(!part.is_empty(), "empty segment in {}", path);
                prop_assert!(part != "." && part != "..", "dot segment in {}", path);
                prop_assert!(percent_decode(part).is_some(), "raw character in {}", path);
            }
            if let Some(a) = &account {
                if endpoint.path.contains("{accountId}") {
                    let mut encoded = String::new();
                    segment(&mut encoded, "accountId", a).unwrap();
                    let (inner, last) = (format!("/{encoded}/"), format!("/{encoded}"));
                    prop_assert!(path.contains(&inner) || path.ends_with(&last));
                }
            }
        }
    }

    /// `request()` paths: accepted ones are absolute under the prefix with no dot segments; no input panics.
    #[test]
    fn custom_paths_are_checked(path in prop_oneof![any::<String>(), "(/[a-z.%?#@ ]{0,4}){0,5}"]) {
        if let Ok((absolute, query)) = split_custom(&path) {
            prop_assert!(absolute.starts_with(API_PREFIX));
            prop_assert!(!absolute.contains("//") && !absolute.contains('?'));
            prop_assert!(absolute.split('/').all(|s| s != "." && s != ".."));
            prop_assert!(path.ends_with(&query));
        }
    }

    /// The multipart layout: one JSON slot, then every file slot in order, closed by the boundary; its
    /// header lines are only the structural ones, so no filename or content type can inject a header or
    /// a part (quotes and line breaks in names are escaped, control characters dropped from types).
    #[test]
    fn multipart_layout_cannot_be_injected(
        random in any::<[u8; 16]>(),
        files in proptest::collection::vec((any::<String>(), "[0-9a-f]{64}", any::<String>()), 0..6),
    ) {
        let b = boundary(&random);
        prop_assert!(b.len() == 7 + 32 && b.starts_with("luxsci-"));
        let files: Vec<FilePart> = files
            .into_iter()
            .map(|(name, hash, content_type)| FilePart { name, hash, content_type })
            .collect();
        let segments = layout(&b, &files);
        let slots: Vec<&Segment> = segments.iter().filter(|s| !matches!(s, Segment::Text(_))).collect();
        let expected: Vec<Segment> = std::iter::once(Segment::Json).chain((0..files.len()).map(Segment::File)).collect();
        prop_assert_eq!(slots, expected.iter().collect::<Vec<_>>());
        let Some(Segment::Text(last)) = segments.last() else { panic!("ends with text") };
        let closing = format!("\r\n--{b}--\r\n");
        prop_assert!(last.ends_with(&closing));
        let mut heads = 0;
        for segment in &segments {
            let Segment::Text(text) = segment else { continue };
            for line in text.split("\r\n") {
                let structural = line.is_empty()
                    || line == format!("--{b}")
                    || line == format!("--{b}--")
                    || line.starts_with("Content-Type: ")
                    || line.starts_with("Content-Disposition: form-data; name=\"");
                prop_assert!(structural, "unexpected header line {:?}", line);
                if let Some(rest) = line.strip_prefix("Content-Disposition: form-data; name=\"") {
                    heads += 1;
                    // name="json"|"files"; filename="<escaped>" — exactly four quotes.
                    prop_assert_eq!(rest.matches('"').count(), 3);
                }
            }
        }
        prop_assert_eq!(heads, files.len() + 1);
    }

    /// Filename escaping leaves no quote or line break, and changes nothing else.
    #[test]
    fn filenames_are_escaped(name in any::<String>()) {
        let escaped = escape_filename(&name);
        prop_assert!(!escaped.contains(['"', '\r', '\n']));
        if !name.contains('%') {
            let back = escaped.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
            prop_assert_eq!(back, name);
        }
    }

    /// De-duplication keeps the first reference of each name, in order, and refuses one name with
    /// two different contents.
    #[test]
    fn dedupe_keeps_first_of_each_name(refs in proptest::collection::vec(("[ab]{1,2}", "[xy]"), 0..12)) {
        let pairs: Vec<(&str, &str)> = refs.iter().map(|(n, h)| (n.as_str(), h.as_str())).collect();
        let conflict = pairs.iter().any(|(n, h)| pairs.iter().any(|(m, g)| n == m && h != g));
        match dedupe(pairs.iter().copied()) {
            Ok(firsts) => {
                prop_assert!(!conflict);
                prop_assert!(firsts.windows(2).all(|w| w[0] < w[1]));
                let names: Vec<&str> = firsts.iter().map(|&i| pairs[i].0).collect();
                let mut distinct: Vec<&str> = Vec::new();
                for (n, _) in &pairs {
                    if !distinct.contains(n) {
                        distinct.push(n);
                    }
                }
                prop_assert_eq!(names, distinct);
            }
            Err(_) => prop_assert!(conflict),
        }
    }

    /// Waits are finite, never negative and never above 60 s; a call that is not safe to repeat is
    /// retried only when nothing was sent.
    #[test]
    fn retry_policy_bounds(
        retry in any::<u32>(),
        after in proptest::option::of(any::<f64>()),
        jitter in any::<f64>(),
        header in prop_oneof![any::<String>(), "-?[0-9]{0,12}(\\.[0-9]{0,3})?"],
        now in any::<f64>(),
        status in any::<u16>(),
    ) {
        if let Some(wait) = delay_ms(retry, after, jitter) {
            prop_assert!(wait.is_finite() && (0.0..=MAX_RETRY_AFTER_MS).contains(&wait));
        }
        if let Some(ms) = retry_after_ms(&header, now.abs() % 1e13, |_| Some(now)) {
            prop_assert!(ms >= 0.0 && !ms.is_nan());
            prop_assert_eq!(delay_ms(0, Some(ms), jitter).is_some(), ms <= MAX_RETRY_AFTER_MS);
        }
        let retried = |idempotent, outcome| verdict(idempotent, &outcome).next == Next::Retry;
        let fault = |fault| Outcome::Failed { fault, reason: "" };
        let answered = |status, redirect| Outcome::Answered(Answer { status, redirect, ..Answer::default() });
        for outcome in [fault(Fault::Dropped), fault(Fault::TimedOut), answered(status, false), answered(302, false), answered(status, true)] {
            prop_assert!(!retried(false, outcome));
        }
        prop_assert!(retried(false, fault(Fault::Refused)) && retried(true, fault(Fault::Refused)));
    }
}
