//! A redirect answer: never followed (nothing may be sent anywhere but the configured host, and
//! LuxSci's API has no reason to redirect), and the error that names it. The error names the target's
//! origin only: a `Location`'s path, query and user-info may carry secrets.

use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use crate::text::text;

/// How an answer showed itself to be a redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen<'a> {
    /// A 3xx status, with its `Location` header if any.
    Status(u16, Option<&'a str>),
    /// A browser's `opaqueredirect` response: status and target hidden.
    Opaque,
    /// The fetch followed a redirect itself (an injected fetch that ignores `redirect: "manual"`):
    /// the request also went elsewhere, and the answer came from there.
    Followed,
}

/// Whether an answer is a redirect: a 3xx status, an opaque redirect, or one the fetch followed.
pub fn seen(status: u16, opaque: bool, followed: bool, location: Option<&str>) -> Option<Seen<'_>> {
    if opaque {
        Some(Seen::Opaque)
    } else if followed {
        Some(Seen::Followed)
    } else if (300..400).contains(&status) {
        Some(Seen::Status(status, location))
    } else {
        None
    }
}

/// The error for a redirect answer (a `LuxSciApiError`, with the status when there is one).
pub fn error(seen: Seen<'_>) -> Error {
    const RULE: &str = "redirects are never followed, so nothing was sent anywhere else";
    match seen {
        Seen::Status(status, location) => {
            let target = location
                .and_then(origin)
                .map_or_else(String::new, |o| text!(" to ", o));
            Error::new(
                ErrorKind::Api,
                text!("LuxSci answered HTTP ", status, ", a redirect", target, ": ", RULE),
            )
            .with_status(status)
        }
        Seen::Opaque => Error::new(
            ErrorKind::Api,
            text!("LuxSci answered with a redirect (the browser hides its status and target): ", RULE),
        ),
        Seen::Followed => Error::new(
            ErrorKind::Api,
            "the fetch followed a redirect, which this client never does: its answer came from elsewhere and is not used",
        ),
    }
}

/// The `scheme://host[:port]` of an absolute http(s) `Location`, without user-info; `None` for a
/// relative one (same host) or anything else.
pub fn origin(location: &str) -> Option<String> {
    // Split at the first `:` (a char pattern, not core's substring searcher): an http(s) scheme has none.
    let (scheme, rest) = location.trim().split_once(':')?;
    let rest = rest.strip_prefix("//")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#', '\\']).next()?;
    let host = authority.rsplit('@').next()?;
    let usable = !host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic());
    (usable && matches!(scheme.as_str(), "http" | "https")).then(|| text!(scheme, "://", host))
}

#[cfg(test)]
mod tests {
    use super::{error, origin, seen, Seen};

    #[test]
    fn origin_only_never_path_query_or_user_info() {
        assert_eq!(
            origin("https://evil.test/p?token=SECRET").as_deref(),
            Some("https://evil.test")
        );
        assert_eq!(
            origin("HTTP://u:pw@evil.test:81#x").as_deref(),
            Some("http://evil.test:81")
        );
        assert_eq!(
            origin("http://evil.test?pass=1").as_deref(),
            Some("http://evil.test")
        );
        for other in [
            "/perl/api/v2/auth?x=1",
            "ftp://evil.test",
            "https://",
            "https://@/",
            "",
        ] {
            assert_eq!(origin(other), None, "{other}");
        }
    }

    #[test]
    fn a_redirect_is_seen_and_named() {
        assert_eq!(seen(200, false, false, None), None);
        assert_eq!(seen(200, false, true, None), Some(Seen::Followed));
        assert_eq!(seen(0, true, false, None), Some(Seen::Opaque));
        let location = Some("https://u:p@evil.test/x?pass=SECRET");
        assert_eq!(
            seen(307, false, false, location),
            Some(Seen::Status(307, location))
        );
        let e = error(Seen::Status(307, location));
        assert_eq!(e.status, Some(307));
        assert!(
            e.message.contains("HTTP 307")
                && e.message.contains("https://evil.test:")
                && e.message.contains("never followed")
        );
        assert!(!e.message.contains("SECRET") && !e.message.contains("u:p"));
        assert_eq!(error(Seen::Opaque).status, None);
    }
}
