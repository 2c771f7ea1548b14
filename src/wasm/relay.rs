//! What `createRelay()` (js/relay.js) needs from the core: the relay protocol's header and marks, and
//! which table operation a path is. (Its signed forward is a call through the client's core whose answer
//! is passed on unread; its redaction, the core's `redact`.)

use crate::endpoints::{self, Method, Shape};
use crate::path::API_PREFIX;
use crate::prelude::*;
use crate::relay;
use crate::text::text;
use wasm_bindgen::prelude::*;

/// The relay protocol (see `crate::relay`): `"header request luxsci relay"`, the header's name and its
/// values on relay-mode requests, on LuxSci's answers passed through, and on the relay's own answers,
/// separated by spaces (which none of them can hold).
#[wasm_bindgen(js_name = relayProtocol)]
pub fn relay_protocol() -> String {
    text!(
        relay::HEADER,
        " ",
        relay::REQUEST_MARK,
        " ",
        relay::FROM_LUXSCI,
        " ",
        relay::FROM_RELAY
    )
}

/// The operationId of a table operation addressed by `method` and `path` (absolute, `/perl/api/v2/...`),
/// or `undefined`. Authentication is never matched: a relay authenticates by itself.
#[wasm_bindgen(js_name = matchOperation)]
pub fn match_operation(method: &str, path: &str) -> Option<String> {
    let method = Method::parse(method)?;
    let relative = path.strip_prefix(API_PREFIX)?;
    endpoints::match_route(method, relative)
        .filter(|e| e.shape != Shape::Auth)
        .map(|e| e.id.to_owned())
}
