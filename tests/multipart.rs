//! Native tests of the multipart/form-data layout: the boundary pinned and the exact bytes compared for
//! one file, several files, attachments shared across messages, odd filenames and an empty file; the
//! de-duplication rule; content-type defaults.

use luxsci::multipart::{
    boundary, content_type, dedupe, default_content_type, escape_filename, layout, FilePart,
    Segment,
};
use proptest::prelude::*;

const B: &str = "luxsci-0123456789abcdef0123456789abcdef";

fn file(name: &str, hash: &str, content_type: &str) -> FilePart {
    FilePart {
        name: name.to_owned(),
        hash: hash.to_owned(),
        content_type: content_type.to_owned(),
    }
}

/// The body bytes, assembled from the layout as the wasm facade assembles its Blob.
fn render(files: &[FilePart], json: &str, contents: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for segment in layout(B, files) {
        match segment {
            Segment::Text(text) => out.extend_from_slice(text.as_bytes()),
            Segment::Json => out.extend_from_slice(json.as_bytes()),
            Segment::File(i) => out.extend_from_slice(contents[i]),
        }
    }
    out
}

const JSON_HEAD: &str = "--luxsci-0123456789abcdef0123456789abcdef\r\n\
    Content-Type: application/json\r\n\
    Content-Disposition: form-data; name=\"json\"; filename=\"json.js\"\r\n\r\n";

fn file_head(filename: &str, content_type: &str) -> String {
    format!(
        "\r\n--{B}\r\nContent-Type: {content_type}\r\n\
         Content-Disposition: form-data; name=\"files\"; filename=\"{filename}\"\r\n\r\n"
    )
}

fn closing() -> String {
    format!("\r\n--{B}--\r\n")
}

#[test]
fn boundary_and_content_type_are_pinned() {
    assert_eq!(
        boundary(&[
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
            0xcd, 0xef
        ]),
        B
    );
    assert_eq!(boundary(&[0; 16]), format!("luxsci-{}", "0".repeat(32)));
    assert_eq!(
        content_type(B),
        "multipart/form-data; boundary=luxsci-0123456789abcdef0123456789abcdef"
    );
}

#[test]
fn one_file_exact_bytes() {
    let json = r#"{"attachments":[{"name":"a.txt","hash":"2cf2"}]}"#;
    let body = render(&[file("a.txt", "2cf2", "text/plain")], json, &[b"hello"]);
    let expected = "--luxsci-0123456789abcdef0123456789abcdef\r\n\
        Content-Type: application/json\r\n\
        Content-Disposition: form-data; name=\"json\"; filename=\"json.js\"\r\n\
        \r\n\
        {\"attachments\":[{\"name\":\"a.txt\",\"hash\":\"2cf2\"}]}\r\n\
        --luxsci-0123456789abcdef0123456789abcdef\r\n\
        Content-Type: text/plain\r\n\
        Content-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\
        \r\n\
        hello\r\n\
        --luxsci-0123456789abcdef0123456789abcdef--\r\n";
    assert_eq!(String::from_utf8_lossy(&body), expected);
}

#[test]
fn segments_alternate_text_and_content() {
    let files = [file("a", "1", "x/a"), file("b", "2", "x/b")];
    let kinds: Vec<String> = layout(B, &files)
        .iter()
        .map(|s| match s {
            Segment::Text(_) => "T".to_owned(),
            Segment::Json => "J".to_owned(),
            Segment::File(i) => format!("F{i}"),
        })
        .collect();
    assert_eq!(kinds, ["T", "J", "T", "F0", "T", "F1", "T"]);
}

#[test]
fn several_files_exact_bytes() {
    let files = [
        file("report.pdf", "h1", "application/pdf"),
        file("data.bin", "h2", "application/octet-stream"),
        file("notes.txt", "h3", "text/plain; charset=utf-8"),
    ];
    let json = "{}";
    let binary: &[u8] = &[0, 255, 13, 10, 45, 45];
    let body = render(&files, json, &[b"%PDF-1.7", binary, b"line 1\r\nline 2"]);
    let mut expected = format!("{JSON_HEAD}{{}}").into_bytes();
    expected.extend_from_slice(file_head("report.pdf", "application/pdf").as_bytes());
    expected.extend_from_slice(b"%PDF-1.7");
    expected.extend_from_slice(file_head("data.bin", "application/octet-stream").as_bytes());
    expected.extend_from_slice(binary);
    expected.extend_from_slice(file_head("notes.txt", "text/plain; charset=utf-8").as_bytes());
    expected.extend_from_slice(b"line 1\r\nline 2");
    expected.extend_from_slice(closing().as_bytes());
    assert_eq!(body, expected);
}

#[test]
fn shared_attachments_across_messages_are_sent_once() {
    // Three messages: [logo, a], [logo], [b, logo, a] — logo and a are the same content each time.
    let refs = [
        ("logo.png", "aa"),
        ("a.txt", "bb"),
        ("logo.png", "aa"),
        ("b.txt", "cc"),
        ("logo.png", "aa"),
        ("a.txt", "bb"),
    ];
    let firsts = dedupe(refs);
    assert_eq!(firsts, Ok(vec![0, 1, 3]));
    let files: Vec<FilePart> = firsts
        .unwrap_or_default()
        .iter()
        .map(|&i| file(refs[i].0, refs[i].1, &default_content_type(refs[i].0, None)))
        .collect();
    let body = render(&files, "{}", &[b"PNG", b"A", b"B"]);
    let expected = format!(
        "{JSON_HEAD}{{}}{}PNG{}A{}B{}",
        file_head("logo.png", "image/png"),
        file_head("a.txt", "text/plain"),
        file_head("b.txt", "text/plain"),
        closing()
    );
    assert_eq!(String::from_utf8_lossy(&body), expected);
}

#[test]
fn same_content_under_two_names_is_two_parts() {
    assert_eq!(dedupe([("a.txt", "h"), ("b.txt", "h")]), Ok(vec![0, 1]));
}

#[test]
fn same_name_with_different_content_is_refused() {
    let err = dedupe([("x.txt", "h1"), ("y.txt", "h2"), ("x.txt", "h3")]).err();
    assert_eq!(
        err.as_ref().map(|e| e.kind.class_name()),
        Some("LuxSciValidationError")
    );
    let message = err.map(|e| e.message).unwrap_or_default();
    assert!(message.contains("\"x.txt\""), "{message}");
    assert!(message.contains("distinct names"), "{message}");
}

#[test]
fn odd_filenames_exact_bytes() {
    let names = [
        "say \"hi\".txt",
        "two\r\nlines.txt",
        "naïve résumé 日本語.pdf",
        "back\\slash.txt",
        "semi;colon=equals.txt",
    ];
    let files: Vec<FilePart> = names.iter().map(|n| file(n, "h", "text/plain")).collect();
    let body = render(&files, "{}", &[b"1", b"2", b"3", b"4", b"5"]);
    let expected = format!(
        "{JSON_HEAD}{{}}{}1{}2{}3{}4{}5{}",
        file_head("say %22hi%22.txt", "text/plain"),
        file_head("two%0D%0Alines.txt", "text/plain"),
        file_head("naïve résumé 日本語.pdf", "text/plain"),
        file_head("back\\slash.txt", "text/plain"),
        file_head("semi;colon=equals.txt", "text/plain"),
        closing()
    );
    assert_eq!(String::from_utf8_lossy(&body), expected);
}

/// Renders a `json` part and one file part (named `name`, typed `content_type`) and compares it with
/// the expected text, whose part header shows `shown_type`.
fn assert_one_part(json: &str, name: &str, content_type: &str, content: &str, shown_type: &str) {
    let body = render(
        &[file(name, "h", content_type)],
        json,
        &[content.as_bytes()],
    );
    let expected = format!(
        "{JSON_HEAD}{json}{}{content}{}",
        file_head(name, shown_type),
        closing()
    );
    assert_eq!(String::from_utf8_lossy(&body), expected);
}

#[test]
fn content_type_cannot_inject_header_lines() {
    assert_one_part(
        "{}",
        "a.txt",
        "text/plain\r\nX-Evil: 1",
        "x",
        "text/plainX-Evil: 1",
    );
}

#[test]
fn empty_file_exact_bytes() {
    let octets = "application/octet-stream";
    assert_one_part("{\"a\":1}", "empty.dat", octets, "", octets);
}

#[test]
fn no_files_is_the_json_part_alone() {
    let body = render(&[], "{}", &[]);
    assert_eq!(
        String::from_utf8_lossy(&body),
        format!("{JSON_HEAD}{{}}{}", closing())
    );
}

#[test]
fn content_types_default_from_the_extension() {
    for (name, expected) in [
        ("a.TXT", "text/plain"),
        ("page.htm", "text/html"),
        ("x.tar.gz", "application/octet-stream"),
        ("photo.JPeG", "image/jpeg"),
        ("report.pdf", "application/pdf"),
        ("noext", "application/octet-stream"),
        (".hidden", "application/octet-stream"),
    ] {
        assert_eq!(default_content_type(name, None), expected, "{name}");
    }
    assert_eq!(
        default_content_type("a.txt", Some("text/markdown")),
        "text/markdown"
    );
    assert_eq!(default_content_type("a.txt", Some("  ")), "text/plain");
}

proptest! {
    #[test]
    fn escaped_filenames_stay_inside_their_quotes(name in any::<String>()) {
        let escaped = escape_filename(&name);
        prop_assert!(!escaped.contains(['"', '\r', '\n']));
        let part = [file(&name, "h", "text/plain")];
        let body = String::from_utf8_lossy(&render(&part, "{}", &[b"x"])).into_owned();
        // Exactly the structural line breaks: 3 + 1 in the json head, 1 + 3 + 1 per file head, 2 closing.
        prop_assert_eq!(body.matches("\r\n").count(), 4 + 5 + 2);
        let filename = format!("filename=\"{escaped}\"\r\n");
        prop_assert!(body.contains(&filename));
    }
}
