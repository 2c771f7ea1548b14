//! The one path encoder and the one path check: expands an endpoint's template with percent-encoded
//! segments, after checking the documented rules (directories end in `/`, file paths do not, no empty,
//! `.` or `..` segments), and checks the paths `request()` and the relay send by the same rule: no
//! segment that decodes, once or more, to a dot segment, and only characters that fetch and servers
//! pass through unchanged, so that the request that arrives is the one signed.

use crate::endpoints::{Endpoint, Param, Piece};
use crate::error::Error;
use crate::prelude::*;
use crate::text::text;

macro_rules! api_prefix {
    () => {
        "/perl/api/v2"
    };
}

/// Every LuxSci v2 path starts with this.
pub const API_PREFIX: &str = api_prefix!();

/// The authentication call's path.
pub const AUTH_PATH: &str = concat!(api_prefix!(), "/auth");

/// Values for a template's placeholders.
#[derive(Clone, Copy, Debug, Default)]
pub struct PathArgs<'a> {
    /// `{accountId}`.
    pub account_id: Option<&'a str>,
    /// `{username}`.
    pub username: Option<&'a str>,
    /// The operation's explicit parameter (segment, directory or file path).
    pub param: Option<&'a str>,
}

/// The encoded absolute path (`/perl/api/v2/...`) of `endpoint` with `args`.
pub fn build(endpoint: &Endpoint, args: PathArgs<'_>) -> Result<String, Error> {
    let mut out = String::from(API_PREFIX);
    let name = endpoint.param.unwrap_or("parameter");
    for piece in endpoint.pieces() {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::AccountId => segment(
                &mut out,
                "accountId",
                required(args.account_id, "accountId")?,
            )?,
            Piece::Username => segment(&mut out, "username", required(args.username, "username")?)?,
            Piece::Param(Param::Segment) => segment(&mut out, name, required(args.param, name)?)?,
            Piece::Param(Param::Directory { top_allowed: true }) => {
                directory(&mut out, name, args.param.unwrap_or(""), true)?
            }
            Piece::Param(Param::Directory { top_allowed: false }) => {
                directory(&mut out, name, required(args.param, name)?, false)?
            }
            Piece::Param(Param::File) => file_path(&mut out, name, required(args.param, name)?)?,
        }
    }
    Ok(out)
}

fn required<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, Error> {
    value.ok_or_else(|| {
        Error::validation(text!(
            name,
            " is required: set it in the client options or in this call's options"
        ))
    })
}

/// Appends one percent-encoded path segment (`@` stays literal: LuxSci usernames are addresses).
pub fn segment(out: &mut String, name: &str, value: &str) -> Result<(), Error> {
    check_segment(name, value)?;
    encode_into(out, value);
    Ok(())
}

fn check_segment(name: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::validation(text!(name, " must not be empty")));
    }
    if !dot_free(value) {
        return Err(Error::validation(text!(
            name,
            " must not be \".\" or \"..\", nor decode to them (%2e, double encoding, encoded slashes)"
        )));
    }
    Ok(())
}

/// Whether `segment`, as given and after each round of percent-decoding (double encoding included), has
/// no `.` or `..` piece between `/` or `\` (which some servers read as `/`): the URL parser of fetch
/// removes `%2e%2e` segments, and a server that decodes `%2F` would resolve `..%2F` pieces.
fn dot_free(segment: &str) -> bool {
    let mut bytes = segment.as_bytes().to_vec();
    loop {
        let dotted = bytes
            .split(|&b| b == b'/' || b == b'\\')
            .any(|piece| piece == b"." || piece == b"..");
        if dotted {
            return false;
        }
        let decoded = percent_decode(&bytes);
        if decoded == bytes {
            return true;
        }
        bytes = decoded;
    }
}

/// One round of percent-decoding; a `%` not followed by two hex digits stays as it is.
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = bytes
            .get(i + 1)
            .copied()
            .and_then(hex)
            .zip(bytes.get(i + 2).copied().and_then(hex));
        match pair {
            Some((hi, lo)) if bytes[i] == b'%' => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// Whether `b` may appear as is in a path sent on the wire: RFC 3986's unreserved and sub-delimiters,
/// `:`, `@`, and `%` (of an escape): characters that fetch's URL parser neither encodes nor rewrites.
fn path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%".contains(&b)
}

/// The check of an encoded absolute path as it goes on the wire: it starts with `/`, has no empty
/// segment but a last one (directories end in `/`), only RFC 3986 path characters (unreserved,
/// sub-delimiters, `:`, `@`) and whole `%XX` escapes, and no segment that is or decodes to a dot segment.
pub fn check_wire(path: &str) -> Result<(), Error> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Error::validation("path must start with \"/\""));
    };
    let bytes = path.as_bytes();
    let escapes_whole = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_whole || !bytes.iter().all(|&b| b == b'/' || path_byte(b)) {
        return Err(Error::validation(
            "path must be percent-encoded: only letters, digits, -._~!$&'()*+,;=:@ and %XX escapes between its \"/\"s \
             (no spaces, \"#\", \"\\\" or other characters that fetch would rewrite)",
        ));
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() && i != last {
            return Err(Error::validation("path must not contain \"//\""));
        }
        if !dot_free(segment) {
            return Err(Error::validation(
                "path must not contain \".\" or \"..\" segments, nor segments that decode to them \
                 (%2e, double encoding, encoded slashes)",
            ));
        }
    }
    Ok(())
}

/// The check of a raw query as it goes on the wire: the path's characters plus `/` and `?`, except
/// `'`, which fetch encodes in queries.
fn check_query(query: &str) -> Result<(), Error> {
    let ok = query
        .bytes()
        .all(|b| b != b'\'' && (path_byte(b) || b == b'/' || b == b'?'));
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "query must be percent-encoded (no spaces, \"#\", quotes or other characters that fetch would rewrite): \
             or give it as an object",
        ))
    }
}

/// A content-library directory: a leading `/` is dropped, a trailing `/` added; `""` or `"/"` is the top level.
fn directory(out: &mut String, name: &str, value: &str, top_allowed: bool) -> Result<(), Error> {
    let inner = value.strip_prefix('/').unwrap_or(value);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return if top_allowed {
            Ok(())
        } else {
            Err(Error::validation(text!(
                name,
                " must name a directory below the top level"
            )))
        };
    }
    nested(out, name, inner)?;
    out.push('/');
    Ok(())
}

/// A content-library file path: may contain `/`, must not end in one.
fn file_path(out: &mut String, name: &str, value: &str) -> Result<(), Error> {
    let inner = value.strip_prefix('/').unwrap_or(value);
    if inner.is_empty() || inner.ends_with('/') {
        return Err(Error::validation(text!(
            name,
            " must name a file: not empty, and not ending in \"/\""
        )));
    }
    nested(out, name, inner)
}

fn nested(out: &mut String, name: &str, inner: &str) -> Result<(), Error> {
    for (i, part) in inner.split('/').enumerate() {
        if part.is_empty() {
            return Err(Error::validation(text!(name, " must not contain \"//\"")));
        }
        check_segment(name, part)?;
        if i > 0 {
            out.push('/');
        }
        encode_into(out, part);
    }
    Ok(())
}

/// Appends a percent-encoded query key or value (the same unreserved set as path segments).
pub fn query_component(out: &mut String, value: &str) {
    encode_into(out, value);
}

fn encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// Splits a caller's path for `request()` and the relay: accepts `/perl/api/v2/...` or a path relative
/// to it, and an optional `?query`, both checked by [`check_wire`]'s rules. Returns the absolute path
/// and the raw query.
pub fn split_custom(path: &str) -> Result<(String, String), Error> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    check_wire(path)?;
    check_query(query)?;
    let absolute = if path == API_PREFIX
        || path
            .strip_prefix(API_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
    {
        path.to_owned()
    } else {
        text!(API_PREFIX, path)
    };
    Ok((absolute, query.to_owned()))
}
