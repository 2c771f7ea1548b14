//! A client's authentication state, without IO: its credentials, the cached auth code, the one
//! authentication in flight (however many calls wait on it), the clock correction, the signing of a
//! request's exact bytes and the redaction of credentials from outside text. The auth call's own
//! exchange is [`crate::exchange::Authentication`].

use crate::endpoints::Method;
use crate::error::{redact, Error, ErrorKind};
use crate::prelude::*;
use crate::signing::{self, Secret};
use crate::text::text;
use alloc::sync::Arc;
use core::fmt;
use zeroize::Zeroizing;

/// LuxSci refuses an auth `date` this far from its own clock (as the sandbox does; LuxSci's exact
/// window is not published). A clock difference above [`SKEW_THRESHOLD_SECS`] is corrected once.
pub const SKEW_THRESHOLD_SECS: i64 = 30;

/// The offset to add to the local clock, when the server's `Date` shows the local clock is off by
/// more than [`SKEW_THRESHOLD_SECS`] at the time `sent_date` was sent.
pub fn skew_correction(sent_date: i64, server_date: i64) -> Option<i64> {
    let diff = server_date - sent_date;
    (diff.abs() > SKEW_THRESHOLD_SECS).then_some(diff)
}

/// The integration's credentials: token and secret, plus user and password for user scope.
#[derive(Clone)]
pub struct Credentials {
    /// The API token.
    pub token: String,
    /// The API secret.
    pub secret: Secret,
    /// User scope: the username and password.
    pub user_pass: Option<(String, Secret)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = if self.user_pass.is_some() {
            "user"
        } else {
            "account"
        };
        write!(f, "Credentials {{ scope: {scope}, [redacted] }}")
    }
}

impl Credentials {
    /// The auth call's JSON body for `date` (seconds since the epoch, as sent), signed, in memory that
    /// is wiped when dropped (it holds the password).
    pub fn auth_body(&self, date: i64) -> Zeroizing<String> {
        let date = text!(date);
        let user_pass = self
            .user_pass
            .as_ref()
            .map(|(u, p)| (u.as_str(), p.expose()));
        let signature = signing::hmac_hex(
            self.secret.expose(),
            &signing::auth_string_to_sign(&self.token, &date, user_pass),
        );
        auth_body(&self.token, &date, &signature, user_pass)
    }

    /// The credentials that must never show in text that came from outside.
    pub fn secrets(&self) -> Vec<&str> {
        let mut all = vec![self.secret.expose()];
        all.extend(self.user_pass.as_ref().map(|(_, pass)| pass.expose()));
        all
    }
}

/// Which authentication a call waits on.
pub type FlightId = u64;

/// Where a call stands with authentication.
#[derive(Debug)]
pub enum Acquire {
    /// The code to sign with.
    Ready(Arc<str>),
    /// Nobody is authenticating: the caller leads this flight (its authentication runs detached from
    /// the call, so that a call that gives up does not abandon the others), then asks again.
    Lead(FlightId),
    /// Another call is authenticating: wait until this flight ends, then ask again.
    Follow(FlightId),
    /// The authentication waited on (or a later one) failed.
    Failed(Error),
}

/// A client's authentication state. A relay-mode client has no credentials and signs nothing.
#[derive(Default)]
pub struct Session {
    credentials: Option<Credentials>,
    code: Option<Arc<str>>,
    flight: Option<FlightId>,
    flights: FlightId,
    failure: Option<(FlightId, Error)>,
    clock_offset: i64,
}

impl Session {
    /// A session signing with `credentials` (`None`: relay mode, requests go unsigned).
    pub fn new(credentials: Option<Credentials>) -> Session {
        Session {
            credentials,
            ..Session::default()
        }
    }

    /// The credentials (`None` in relay mode).
    pub(crate) fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// Whether requests are signed.
    pub fn signs(&self) -> bool {
        self.credentials.is_some()
    }

    /// The cached auth code, if any.
    pub fn code(&self) -> Option<Arc<str>> {
        self.code.clone()
    }

    /// Drops the cached code if it is still `used` (a 401 for an older code must not drop a newer one).
    pub fn invalidate(&mut self, used: &str) {
        if self.code.as_deref() == Some(used) {
            self.code = None;
        }
    }

    /// The authentication in flight, if any.
    pub fn in_flight(&self) -> Option<FlightId> {
        self.flight
    }

    /// Seconds to add to the local clock for the auth `date`.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    /// Adds a measured clock difference to the offset.
    pub fn correct_clock(&mut self, secs: i64) {
        self.clock_offset += secs;
    }

    /// The code for a call that last waited on `waited` (if any): cached, or the result of the one
    /// authentication in flight, which the caller leads when there is none.
    pub fn acquire(&mut self, waited: Option<FlightId>) -> Acquire {
        if let Some(code) = &self.code {
            return Acquire::Ready(code.clone());
        }
        if let (Some(w), Some((failed, error))) = (waited, &self.failure) {
            if *failed >= w {
                return Acquire::Failed(error.clone());
            }
        }
        match self.join_or_lead() {
            Err(flight) => Acquire::Follow(flight),
            Ok(flight) => Acquire::Lead(flight),
        }
    }

    /// Joins the authentication in flight (`Err` with its id) or starts one (`Ok` with its id): the
    /// single-flight rule.
    pub fn join_or_lead(&mut self) -> Result<FlightId, FlightId> {
        if let Some(flight) = self.flight {
            return Err(flight);
        }
        self.flights += 1;
        self.flight = Some(self.flights);
        Ok(self.flights)
    }

    /// Ends `flight` with its result: caches the code, or keeps the failure for the calls that waited.
    pub fn settle(&mut self, flight: FlightId, result: Result<Arc<str>, Error>) {
        if self.flight != Some(flight) {
            return;
        }
        self.flight = None;
        match result {
            Ok(code) => self.code = Some(code),
            Err(error) => self.failure = Some((flight, error)),
        }
    }

    /// Ends `flight` whose leader is gone before it finished: every call waiting on it fails.
    pub fn abandon(&mut self, flight: FlightId) {
        self.settle(
            flight,
            Err(Error::new(ErrorKind::Abort, "authentication was abandoned")),
        );
    }

    /// The `Cookie` header of a request signed with `code`, from the exact encoded path, raw query and
    /// body hash that go on the wire; `None` in relay mode.
    pub fn cookie(
        &self,
        code: &str,
        method: Method,
        path: &str,
        query: &str,
        body_hash: &str,
    ) -> Option<Cookie> {
        let creds = self.credentials.as_ref()?;
        let to_sign =
            signing::request_string_to_sign(code, method.as_str(), path, query, body_hash);
        let signature = signing::hmac_hex(creds.secret.expose(), &to_sign);
        Some(Cookie(signing::signature_cookie(code, &signature)))
    }

    /// The credentials that must never show in text that came from outside.
    pub fn secrets(&self) -> Vec<&str> {
        self.credentials
            .as_ref()
            .map_or_else(Vec::new, Credentials::secrets)
    }

    /// `text` with every credential of this session removed (for text that came from outside).
    pub fn redact(&self, text: &str) -> String {
        redact(text, &self.secrets())
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("credentials", &self.credentials)
            .field("has_code", &self.code.is_some())
            .field("flight", &self.flight)
            .field("clock_offset", &self.clock_offset)
            .finish_non_exhaustive()
    }
}

/// The `Cookie` header value `signature=<auth code>:<signature>`; `Debug` never shows it.
pub struct Cookie(Zeroizing<String>);

impl Cookie {
    /// The header value, to put on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cookie([redacted])")
    }
}

/// The failure message of an answer that is not a success envelope, as [`crate::envelope::server_text`]
/// shows a server's text: credentials redacted before it is clipped.
pub(crate) fn judged(session: &Session, answer: &crate::retry::Answer<'_>) -> Option<String> {
    use crate::envelope::{judge, Body};
    if let Some(limit) = answer.oversized {
        return Some(text!(
            "LuxSci answered HTTP ",
            answer.status,
            " with a body over ",
            limit.option,
            " (",
            limit.value,
            " bytes); it was not read further"
        ));
    }
    let body = answer.body.unwrap_or(Body::NotJson);
    match body {
        Body::Object {
            success,
            error_message: Some(text),
        } => {
            let clean = crate::envelope::server_text(text, &session.secrets());
            let body = Body::Object {
                success,
                error_message: Some(&clean),
            };
            judge(answer.status, body).err()
        }
        _ => judge(answer.status, body).err(),
    }
}

/// The longest auth code accepted, in characters. LuxSci's are under 100 (`<id>-<unix>-<64 hex>`); a
/// longer one would make every request's `Cookie` header too large for servers to accept.
pub const MAX_AUTH_CODE: usize = 1024;

/// The auth code of LuxSci's answer (its `auth` field, when a string), if it can go into the `Cookie`
/// header as is: at most [`MAX_AUTH_CODE`] characters of visible ASCII without the characters a cookie
/// value may not hold, nor the `:` that separates it from the signature. `Err` says why not.
pub fn usable_code(code: Option<&str>) -> Result<&str, Error> {
    let unusable = |why: &str| {
        Err(Error::new(
            ErrorKind::Api,
            text!(
                "LuxSci's auth answer carried no usable auth code (",
                why,
                ")"
            ),
        ))
    };
    let Some(code) = code else {
        return unusable("no auth string");
    };
    if code.len() > MAX_AUTH_CODE {
        return unusable(&text!("longer than ", MAX_AUTH_CODE, " characters"));
    }
    let cookie_safe =
        |b: u8| b.is_ascii_graphic() && !matches!(b, b':' | b';' | b',' | b'"' | b'\\');
    if code.is_empty() || !code.bytes().all(cookie_safe) {
        return unusable("empty, or characters a cookie cannot hold");
    }
    Ok(code)
}

/// The auth call's JSON body `{"token","date","signature","user"?,"pass"?}`, in memory that is wiped
/// when dropped.
fn auth_body(
    token: &str,
    date: &str,
    signature: &str,
    user_pass: Option<(&str, &str)>,
) -> Zeroizing<String> {
    let extra = user_pass.map_or(0, |(u, p)| 2 * (u.len() + p.len()) + 32);
    let mut out = Zeroizing::new(String::with_capacity(
        2 * token.len() + date.len() + signature.len() + 48 + extra,
    ));
    out.push_str("{\"token\":");
    json_string(&mut out, token);
    out.push_str(",\"date\":");
    out.push_str(date);
    out.push_str(",\"signature\":");
    json_string(&mut out, signature);
    if let Some((user, pass)) = user_pass {
        out.push_str(",\"user\":");
        json_string(&mut out, user);
        out.push_str(",\"pass\":");
        json_string(&mut out, pass);
    }
    out.push('}');
    out
}

/// Appends `value` as a JSON string, escaped as `JSON.stringify` does. The capacity is reserved first:
/// growing would free a copy of the password without wiping it.
fn json_string(out: &mut Zeroizing<String>, value: &str) {
    let needed = value.len() + 2 + value.chars().filter(|c| needs_escape(*c)).count() * 6;
    if out.capacity() - out.len() < needed {
        let mut bigger = Zeroizing::new(String::with_capacity(out.len() + needed + 64));
        bigger.push_str(out);
        *out = bigger;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(u32::from(c) >> 4) as usize]));
                out.push(char::from(HEX[(u32::from(c) & 15) as usize]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn needs_escape(c: char) -> bool {
    u32::from(c) < 0x20 || c == '"' || c == '\\'
}
