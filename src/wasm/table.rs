//! What the package's JavaScript asks of the core while it binds a call's arguments (js/bind.js,
//! js/payload.js): the table's shape of an operation and its path, `request()`'s path split and checked,
//! query strings encoded, the documented send limits, and the multipart layout. Each is the core's one
//! rule, so that the native client and the package agree; failures are `LuxSciValidationError`s.

use super::js::to_js_error;
use crate::endpoints::{self, Shape};
use crate::error::Error;
use crate::limits::{self, MessageSize, SendLimits};
use crate::multipart::{self, FilePart, Segment};
use crate::path::{self, PathArgs};
use crate::prelude::*;
use crate::signing;
use crate::text::text;
use js_sys::Array;
use wasm_bindgen::prelude::*;

fn thrown(error: Error) -> JsValue {
    to_js_error(&error)
}

/// How operation `id` takes its arguments, as `"Shape"` or `"Shape paramName"` (see
/// [`endpoints::Shape`]); `undefined` for an id the table does not have.
#[wasm_bindgen(js_name = operationShape)]
pub fn operation_shape(id: &str) -> Option<String> {
    let endpoint = endpoints::by_id(id)?;
    let shape = match endpoint.shape {
        Shape::Auth => "Auth",
        Shape::Options => "Options",
        Shape::Param => "Param",
        Shape::Body => "Body",
        Shape::ParamBody => "ParamBody",
        Shape::OptQuery => "OptQuery",
        Shape::Report => "Report",
        Shape::OptDir => "OptDir",
        Shape::Dir => "Dir",
        Shape::File => "File",
        Shape::Upload => "Upload",
        Shape::Send => "Send",
    };
    Some(match endpoint.param {
        Some(param) => text!(shape, " ", param),
        None => shape.to_owned(),
    })
}

/// Throws when operation `id`'s path cannot be built for this account, user and parameter (checked
/// before a call's files are read; the call's job builds it).
#[wasm_bindgen(js_name = checkOperationPath)]
pub fn check_operation_path(
    id: &str,
    account_id: Option<String>,
    username: Option<String>,
    param: Option<String>,
) -> Result<(), JsValue> {
    let endpoint =
        endpoints::by_id(id).ok_or_else(|| thrown(Error::validation("unknown operation")))?;
    let args = PathArgs {
        account_id: account_id.as_deref(),
        username: username.as_deref(),
        param: param.as_deref(),
    };
    path::build(endpoint, args).map(drop).map_err(thrown)
}

/// `request()`'s (and the relay's) path, relative to `/perl/api/v2` or absolute, with an optional
/// `?query`: `absolute path?raw query` (the query possibly empty), both checked as they go on the wire.
#[wasm_bindgen(js_name = splitPath)]
pub fn split_path(path: &str) -> Result<String, JsValue> {
    let (path, query) = path::split_custom(path).map_err(thrown)?;
    Ok(text!(path, "?", query))
}

/// `k=v&…` of alternating keys and values, each encoded.
#[wasm_bindgen(js_name = queryString)]
pub fn query_string(pairs: &Array) -> String {
    let pairs = strings(pairs);
    let mut out = String::new();
    for pair in pairs.chunks(2) {
        if let [key, value] = pair {
            if !out.is_empty() {
                out.push('&');
            }
            path::query_component(&mut out, key);
            out.push('=');
            path::query_component(&mut out, value);
        }
    }
    out
}

/// The recipients in a comma-separated address list.
#[wasm_bindgen(js_name = countAddresses)]
pub fn count_addresses(list: &str) -> u32 {
    limits::count_addresses(list)
}

/// Checks a send's messages (their recipients and raw bytes, in order) and priority against the
/// limits: `[maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall]` and the SMTP size limit.
#[wasm_bindgen(js_name = checkSendLimits)]
pub fn check_send_limits(
    counts: &[u32],
    smtp_size_limit: Option<f64>,
    recipients: &[u32],
    raw_bytes: &[f64],
    priority: Option<f64>,
) -> Result<(), JsValue> {
    let mut limits = SendLimits::default();
    if let [messages, per_message, per_call] = counts {
        limits.max_messages = *messages;
        limits.max_recipients_per_message = *per_message;
        limits.max_recipients_per_call = *per_call;
    }
    limits.smtp_size_limit = smtp_size_limit;
    let sizes: Vec<MessageSize> = recipients
        .iter()
        .zip(raw_bytes)
        .map(|(&recipients, &raw_bytes)| MessageSize {
            recipients,
            raw_bytes,
        })
        .collect();
    limits::check(&limits, &sizes, priority).map_err(thrown)
}

/// The documented send limits: `[maxMessages, maxRecipientsPerMessage, maxRecipientsPerCall]`.
#[wasm_bindgen(js_name = sendLimitDefaults)]
pub fn send_limit_defaults() -> Vec<u32> {
    let l = SendLimits::default();
    vec![
        l.max_messages,
        l.max_recipients_per_message,
        l.max_recipients_per_call,
    ]
}

/// Throws when `name` cannot be a file part's filename (`what` names the file in the message).
#[wasm_bindgen(js_name = checkFileName)]
pub fn check_file_name(name: &str, what: &str) -> Result<(), JsValue> {
    multipart::check_name(name, what).map_err(thrown)
}

/// The content type of a file named `name`: `given` when it says one, else by extension.
#[wasm_bindgen(js_name = defaultContentType)]
pub fn default_content_type(name: &str, given: Option<String>) -> String {
    multipart::default_content_type(name, given.as_deref())
}

/// Of the `(name, hash)` pairs, the indices of the first of each name; throws when one name is given
/// to two different files.
#[wasm_bindgen(js_name = dedupeFiles)]
pub fn dedupe_files(names: &Array, hashes: &Array) -> Result<Vec<u32>, JsValue> {
    let (names, hashes) = (strings(names), strings(hashes));
    let pairs = names
        .iter()
        .zip(&hashes)
        .map(|(n, h)| (n.as_str(), h.as_str()));
    let firsts = multipart::dedupe(pairs).map_err(thrown)?;
    Ok(firsts.into_iter().map(|i| i as u32).collect())
}

/// The multipart body of a JSON part and files (`names`, `types`) with a boundary made of 16 random
/// bytes: `[contentType, …segments]`, each segment a string of text, `null` for the JSON part, or the
/// index of a file.
#[wasm_bindgen(js_name = multipartLayout)]
pub fn multipart_layout(random: &[u8], names: &Array, types: &Array) -> Vec<JsValue> {
    let (names, types) = (strings(names), strings(types));
    let mut bytes = [0u8; 16];
    for (b, r) in bytes.iter_mut().zip(random) {
        *b = *r;
    }
    let boundary = multipart::boundary(&bytes);
    let files: Vec<FilePart> = names
        .into_iter()
        .zip(types)
        .map(|(name, content_type)| FilePart {
            name,
            hash: String::new(),
            content_type,
        })
        .collect();
    let mut out = vec![JsValue::from_str(&multipart::content_type(&boundary))];
    out.extend(
        multipart::layout(&boundary, &files)
            .into_iter()
            .map(|segment| match segment {
                Segment::Text(text) => JsValue::from_str(&text),
                Segment::Json => JsValue::NULL,
                Segment::File(i) => JsValue::from(i as u32),
            }),
    );
    out
}

/// SHA-256 hex of a JSON body text exactly as it is sent: the hash that signs it (the JavaScript has
/// trimmed the text already, so that what is signed is what is sent).
#[wasm_bindgen(js_name = textSha256)]
pub fn text_sha256(text: &str) -> String {
    signing::sha256_hex(text.as_bytes())
}

/// The strings of a JavaScript array (an entry that is not a string reads as empty). Lists of strings
/// cross as arrays read here entry by entry: wasm-bindgen's conversion of a `Vec<String>` argument
/// would cost the .wasm ~0.5 KB gzip.
fn strings(array: &Array) -> Vec<String> {
    array
        .iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect()
}
