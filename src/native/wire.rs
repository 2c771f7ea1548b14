//! The native client's IO: one attempt over reqwest (redirects off, its own timeout), and what came
//! back as the core's [`Outcome`].

use super::body::Prepared;
use crate::envelope::{Body, Flag};
use crate::retry::{self, Answer, Fault, Limit, Outcome};
use crate::step::{Attempt, Outgoing};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch.
pub(super) fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// What came back from one attempt, owned until the core has judged it.
pub(super) enum Received {
    /// No answer.
    Failed(Fault, String),
    /// An answer and its parsed body (`None` when not JSON, or not read: over `oversized` bytes).
    Answered {
        status: u16,
        json: Option<Value>,
        retry_after: Option<String>,
        date: Option<String>,
        location: Option<String>,
        oversized: Option<u64>,
    },
}

impl Received {
    /// The core's view of it.
    pub fn outcome(&self, now_ms: f64) -> Outcome<'_> {
        match self {
            Received::Failed(fault, reason) => Outcome::Failed {
                fault: *fault,
                reason,
            },
            Received::Answered {
                status,
                json,
                retry_after,
                date,
                location,
                oversized,
            } => Outcome::Answered(Answer {
                status: *status,
                body: Some(body(json.as_ref())),
                retry_after_ms: retry_after
                    .as_deref()
                    .and_then(|v| retry::retry_after_ms(v, now_ms, http_date_ms)),
                date_secs: date.as_deref().and_then(http_date_ms).map(|ms| ms / 1000.0),
                location: location.as_deref(),
                auth: json
                    .as_ref()
                    .and_then(|j| j.get("auth"))
                    .and_then(Value::as_str),
                // reqwest's policy is set never to follow one, and a 3xx shows as one.
                redirect: false,
                // A native client signs its requests: it never talks to a relay.
                relay: None,
                oversized: oversized.map(|value| Limit {
                    value,
                    option: "max_response_bytes",
                }),
            }),
        }
    }

    /// The parsed body, if JSON.
    pub fn into_json(self) -> Option<Value> {
        match self {
            Received::Answered { json, .. } => json,
            Received::Failed(..) => None,
        }
    }
}

fn body(json: Option<&Value>) -> Body<'_> {
    match json {
        None => Body::NotJson,
        Some(Value::Object(object)) => Body::Object {
            success: match object.get("success") {
                None => Flag::Missing,
                Some(Value::Bool(b)) => Flag::Bool(*b),
                Some(Value::Number(n)) => n.as_f64().map_or(Flag::Other, Flag::Number),
                Some(Value::String(s)) => Flag::Text(s),
                Some(_) => Flag::Other,
            },
            error_message: object.get("error_message").and_then(Value::as_str),
        },
        Some(_) => Body::NotObject,
    }
}

/// Sends one attempt to `base` + its target with `prepared` as the body it refers to, reading at most
/// `max_bytes` of the answer's body (the rest of a longer one is not read: the core judges it).
pub(super) async fn send(
    http: &reqwest::Client,
    base: &str,
    attempt: &Attempt,
    prepared: &Prepared,
    max_bytes: usize,
) -> Received {
    let origin = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    let method = match attempt.method {
        crate::endpoints::Method::Get => reqwest::Method::GET,
        crate::endpoints::Method::Post => reqwest::Method::POST,
        crate::endpoints::Method::Put => reqwest::Method::PUT,
        crate::endpoints::Method::Delete => reqwest::Method::DELETE,
    };
    let mut request = http
        .request(method, format!("{base}{}", attempt.target))
        .header("accept", "application/json")
        .timeout(Duration::from_secs_f64(
            attempt.timeout_ms.max(0.0) / 1000.0,
        ));
    if let Some(cookie) = &attempt.cookie {
        request = request.header("cookie", cookie.expose());
    }
    request = match &attempt.body {
        Outgoing::Empty => request,
        Outgoing::Prepared => match &prepared.content_type {
            Some(content_type) => request
                .header("content-type", content_type)
                .body(prepared.bytes.clone()),
            None => request,
        },
        // The auth body holds the password: this copy is reqwest's to send and drop.
        Outgoing::Json(text) => request
            .header("content-type", "application/json")
            .body(text.as_bytes().to_vec()),
    };
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) => return failed(&e, &origin),
    };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (status, retry_after, date, location) = (
        response.status().as_u16(),
        header("retry-after"),
        header("date"),
        header("location"),
    );
    let mut body = Vec::new();
    let mut oversized = None;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > max_bytes => {
                oversized = Some(max_bytes as u64);
                break;
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            // The answer began but broke off: the request was received.
            Err(e) => return failed(&e, &origin),
        }
    }
    Received::Answered {
        status,
        json: oversized
            .is_none()
            .then(|| serde_json::from_slice(&body).ok())
            .flatten(),
        retry_after,
        date,
        location,
        oversized,
    }
}

fn failed(e: &reqwest::Error, origin: &str) -> Received {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let reason = format!("could not reach {origin}: {cause}");
    let fault = if e.is_timeout() {
        return Received::Failed(
            Fault::TimedOut,
            "the attempt timed out (timeout)".to_owned(),
        );
    } else if e.is_connect() {
        // Connecting (DNS, TCP, TLS) failed: nothing of the request was sent.
        Fault::Refused
    } else {
        Fault::Dropped
    };
    Received::Failed(fault, reason)
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, the form HTTP servers send) as ms since the epoch.
pub(super) fn http_date_ms(value: &str) -> Option<f64> {
    let mut parts = value.trim().split([' ', ':']);
    let _weekday = parts.next()?;
    let day: i64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = [0i64; 3];
    for slot in &mut clock {
        *slot = parts.next()?.parse().ok()?;
    }
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || clock[0] > 23 || clock[1] > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::http_date_ms;

    #[test]
    fn http_dates() {
        assert_eq!(
            http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000.0)
        );
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(
            http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599_000.0)
        );
        for bad in [
            "",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }
}
