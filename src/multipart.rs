//! The multipart/form-data layout LuxSci expects: a `json` part, then one `files` part per distinct
//! file. The layout is a list of text segments and file slots, so that the caller can compose the body
//! from the original file objects (a Blob sequence) without copying files into wasm memory.

use crate::error::Error;
use crate::prelude::*;
use crate::text::text;

/// One distinct file of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    /// The part's filename, equal to the `name` its attachment entries carry.
    pub name: String,
    /// Lowercase hex SHA-256 of its content.
    pub hash: String,
    /// `Content-Type` of the part.
    pub content_type: String,
}

/// A piece of the body: literal text, the JSON text, or the content of `files[i]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Boundary lines and part headers.
    Text(String),
    /// The JSON text (signed; kept by the caller in whatever form it already has).
    Json,
    /// The bytes of the distinct file with this index.
    File(usize),
}

/// The `Content-Type` header value for `boundary`.
pub fn content_type(boundary: &str) -> String {
    text!("multipart/form-data; boundary=", boundary)
}

/// A boundary made of 16 bytes the caller draws at random. The body is only well-formed if no part
/// contains the boundary, so the bytes should be unpredictable to whoever supplies the content: how
/// unlikely a collision is depends on the caller's source of randomness.
pub fn boundary(random: &[u8; 16]) -> String {
    text!("luxsci-", crate::signing::hex(random))
}

/// The body layout: the JSON part, then each file part, then the closing boundary.
pub fn layout(boundary: &str, files: &[FilePart]) -> Vec<Segment> {
    let mut segments = Vec::with_capacity(files.len() * 2 + 3);
    segments.push(Segment::Text(head(
        boundary,
        "json",
        "json.js",
        "application/json",
    )));
    segments.push(Segment::Json);
    let mut text = String::new();
    for (i, file) in files.iter().enumerate() {
        text.push_str("\r\n");
        text.push_str(&head(boundary, "files", &file.name, &file.content_type));
        segments.push(Segment::Text(core::mem::take(&mut text)));
        segments.push(Segment::File(i));
    }
    for piece in ["\r\n--", boundary, "--\r\n"] {
        text.push_str(piece);
    }
    segments.push(Segment::Text(text));
    segments
}

fn head(boundary: &str, field: &str, filename: &str, content_type: &str) -> String {
    text!(
        "--",
        boundary,
        "\r\nContent-Type: ",
        header_safe(content_type),
        "\r\nContent-Disposition: form-data; name=\"",
        field,
        "\"; filename=\"",
        escape_filename(filename),
        "\"\r\n\r\n"
    )
}

/// Escapes a filename for a quoted `Content-Disposition` parameter as browsers do (WHATWG
/// multipart/form-data): `"` → `%22`, CR → `%0D`, LF → `%0A`; other characters, non-ASCII included,
/// stay as UTF-8.
pub fn escape_filename(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn header_safe(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// A file's name must come back unchanged as its part's filename, because LuxSci pairs each part with
/// its attachment entry by name: characters that a `Content-Disposition` filename cannot carry
/// verbatim (they are escaped, as browsers do) or that a server may read as a path are refused.
pub fn check_name(name: &str, what: &str) -> Result<(), Error> {
    if name.contains(['/', '\\', '"']) || name.chars().any(char::is_control) {
        return Err(Error::validation(text!(
            what,
            " name \"",
            escape_filename(name),
            "\" cannot be sent: a file name must not contain /, \\, \" or control characters (LuxSci matches each file part's filename with its attachment name)"
        )));
    }
    Ok(())
}

/// Of references `(name, hash)` in order, the indices of the distinct files (the first reference to
/// each): identical content under the same name is sent once. The same name with different content is
/// refused rather than renamed: a part's filename must equal its attachment name, so LuxSci could not
/// tell them apart, and a silent rename would change what recipients see.
pub fn dedupe<'a>(refs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Vec<usize>, Error> {
    // A list, not a map: calls have few distinct names, and a map costs ~5 KB of wasm.
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut firsts = Vec::new();
    for (i, (name, hash)) in refs.into_iter().enumerate() {
        match seen.iter().find(|(n, _)| *n == name) {
            Some((_, h)) if *h == hash => {}
            Some(_) => {
                return Err(Error::validation(text!(
                    "two different files are both named \"",
                    escape_filename(name),
                    "\" in one call; give them distinct names"
                )))
            }
            None => {
                seen.push((name, hash));
                firsts.push(i);
            }
        }
    }
    Ok(firsts)
}

/// The `Content-Type` of a file part: the given one, else guessed from the name's extension.
pub fn default_content_type(name: &str, given: Option<&str>) -> String {
    if let Some(t) = given.filter(|t| !t.trim().is_empty()) {
        return t.to_owned();
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt") => "text/plain",
        Some("html" | "htm") => "text/html",
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
    .to_owned()
}
