//! The protocol between a relay-mode client and `createRelay()`: the header that marks the SDK's
//! relay-mode requests (one a cross-site form cannot send, and a cross-origin script only after a CORS
//! preflight that the relay grants to no origin it was not given), the marks on the relay's answers,
//! and how a relay-mode client reads an answer: LuxSci's, passed through, or the relay's own.

use crate::prelude::*;
use crate::text::text;

/// The header of both directions: on requests, [`REQUEST_MARK`]; on answers, [`FROM_LUXSCI`] or [`FROM_RELAY`].
pub const HEADER: &str = "luxsci-relay";
/// Its value on every request of a relay-mode client.
pub const REQUEST_MARK: &str = "1";
/// Its value on LuxSci's answers, passed through by the relay.
pub const FROM_LUXSCI: &str = "luxsci";
/// Its value on the relay's own answers (refusals, limits, its failures).
pub const FROM_RELAY: &str = "relay";

/// Whether an answer with the [`HEADER`] value `mark` is the relay's own: final for a relay-mode client,
/// which does not repeat it (the relay has retried towards LuxSci itself).
pub fn own_answer(mark: Option<&str>) -> bool {
    mark == Some(FROM_RELAY)
}

/// How a relay-mode client reads an answer with `status`, the [`HEADER`] value `mark`, and the
/// `error_message` of its body: `None` when it is LuxSci's answer passed through (judged as any
/// LuxSci answer), otherwise the message of the relay failure it reports. An answer without the mark
/// did not come from a relay: a server with no relay mounted there, or one that failed before the
/// relay could answer (it did not load, it crashed).
pub fn failure(status: u16, mark: Option<&str>, message: Option<&str>) -> Option<String> {
    match mark {
        Some(FROM_LUXSCI) => None,
        Some(FROM_RELAY) => Some(text!(
            "the relay answered HTTP ",
            status,
            ": ",
            message.unwrap_or("no reason given")
        )),
        _ => Some(text!(
            "the relay's address answered HTTP ",
            status,
            " without the relay's mark: no createRelay() answered there (is it mounted at the client's \
             baseUrl, and did it load?)"
        )),
    }
}
