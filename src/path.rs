//! The one path encoder: expands an endpoint's template with percent-encoded segments, after checking
//! the documented rules (directories end in `/`, file paths do not, no empty, `.` or `..` segments).

use crate::endpoints::{Endpoint, Param, Piece};
use crate::error::Error;

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
        Error::validation(format!(
            "{name} is required: set it in the client options or in this call's options"
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
    match value {
        "" => Err(Error::validation(format!("{name} must not be empty"))),
        "." | ".." => Err(Error::validation(format!(
            "{name} must not be \".\" or \"..\""
        ))),
        _ => Ok(()),
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
            Err(Error::validation(format!(
                "{name} must name a directory below the top level"
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
        return Err(Error::validation(format!(
            "{name} must name a file: not empty, and not ending in \"/\""
        )));
    }
    nested(out, name, inner)
}

fn nested(out: &mut String, name: &str, inner: &str) -> Result<(), Error> {
    for (i, part) in inner.split('/').enumerate() {
        if part.is_empty() {
            return Err(Error::validation(format!("{name} must not contain \"//\"")));
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

/// Splits a caller's path for `request()`: accepts `/perl/api/v2/...` or a path relative to it, and
/// an optional `?query`. Returns the absolute path and the raw query.
pub fn split_custom(path: &str) -> Result<(String, String), Error> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    if !path.starts_with('/') || path.contains("//") || path.contains(['#', ' ']) {
        return Err(Error::validation(
            "path must start with \"/\" and contain no \"//\", \"#\" or spaces",
        ));
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err(Error::validation(
            "path must not contain \".\" or \"..\" segments",
        ));
    }
    let absolute = if path == API_PREFIX || path.starts_with(&format!("{API_PREFIX}/")) {
        path.to_owned()
    } else {
        format!("{API_PREFIX}{path}")
    };
    Ok((absolute, query.to_owned()))
}
