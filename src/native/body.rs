//! The native client's request bodies: JSON text and its hash, multipart uploads and query strings,
//! built with the core's encoders, and the sendEmail limits checked before anything is sent.

use crate::error::Error;
use crate::limits::{self, MessageSize, SendLimits};
use crate::multipart::{self, FilePart, Segment};
use crate::path;
use crate::signing;
use serde_json::Value;

/// A request body, ready to send and sign.
#[derive(Clone, Debug, Default)]
pub(super) struct Prepared {
    /// `Content-Type`, when there is a body.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The hash that is signed (empty without a body).
    pub hash: String,
}

impl Prepared {
    /// A JSON body: the text of `value` and its hash.
    pub fn json(value: &Value) -> Result<Prepared, Error> {
        let text = serde_json::to_string(value)
            .map_err(|_| Error::validation("the body cannot be serialised as JSON"))?;
        Ok(Prepared {
            content_type: Some("application/json".into()),
            hash: signing::body_hash(&text),
            bytes: text.into_bytes(),
        })
    }

    /// A multipart body: `json` (whose text is signed), then one `files` part per distinct file.
    pub fn multipart(
        json: &Value,
        files: &[(FilePart, Vec<u8>)],
        random: &[u8; 16],
    ) -> Result<Prepared, Error> {
        let text = serde_json::to_string(json)
            .map_err(|_| Error::validation("the body cannot be serialised as JSON"))?;
        let distinct = multipart::dedupe(files.iter().map(|(f, _)| (&*f.name, &*f.hash)))?;
        let parts: Vec<&(FilePart, Vec<u8>)> =
            distinct.iter().filter_map(|&i| files.get(i)).collect();
        let boundary = multipart::boundary(random);
        let layout_files: Vec<FilePart> = parts.iter().map(|(f, _)| f.clone()).collect();
        let mut bytes = Vec::new();
        for segment in multipart::layout(&boundary, &layout_files) {
            match segment {
                Segment::Text(t) => bytes.extend_from_slice(t.as_bytes()),
                Segment::Json => bytes.extend_from_slice(text.as_bytes()),
                Segment::File(i) => {
                    if let Some((_, content)) = parts.get(i) {
                        bytes.extend_from_slice(content);
                    }
                }
            }
        }
        Ok(Prepared {
            content_type: Some(multipart::content_type(&boundary)),
            hash: signing::body_hash(&text),
            bytes,
        })
    }
}

/// A query object as `k=v&…` (arrays as repeated keys, null skipped), or a query string as given.
pub(super) fn query_string(value: Option<&Value>) -> Result<String, Error> {
    let object = match value {
        None | Some(Value::Null) => return Ok(String::new()),
        Some(Value::String(raw)) => return Ok(raw.trim_start_matches('?').to_owned()),
        Some(Value::Object(object)) => object,
        Some(_) => return Err(Error::validation("query must be an object or a string")),
    };
    let mut out = String::new();
    for (key, value) in object {
        let items = match value {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for item in items {
            let text = match item {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(Error::validation(format!(
                        "query.{key} must be a string, number or boolean"
                    )))
                }
            };
            if !out.is_empty() {
                out.push('&');
            }
            path::query_component(&mut out, key);
            out.push('=');
            path::query_component(&mut out, &text);
        }
    }
    Ok(out)
}

/// A JSON body that must be an object.
pub(super) fn object(input: Option<&Value>) -> Result<&Value, Error> {
    match input {
        Some(value @ Value::Object(_)) => Ok(value),
        _ => Err(Error::validation("the body must be a JSON object")),
    }
}

/// The documented sendEmail limits, checked before anything is sent.
pub(super) fn check_send(id: &str, body: &Value, limits: &SendLimits) -> Result<(), Error> {
    let messages: Vec<&Value> = if id == "sendEmail" {
        body.get("messages")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                Error::validation("sendEmail body.messages must be an array of messages")
            })?
            .iter()
            .collect()
    } else {
        vec![body]
    };
    let mut sizes = Vec::with_capacity(messages.len());
    for (i, message) in messages.iter().enumerate() {
        let mut recipients = 0;
        for key in ["to", "cc", "bcc"] {
            recipients += match message.get(key) {
                None | Some(Value::Null) => 0,
                Some(Value::Array(list)) => list.len() as u32,
                Some(Value::String(list)) => limits::count_addresses(list),
                Some(_) => {
                    return Err(Error::validation(format!(
                        "messages[{i}].{key} must be an array of addresses"
                    )))
                }
            };
        }
        if message.get("attachments").is_some() {
            return Err(Error::validation(format!(
                "messages[{i}].attachments: the native client does not send attachments"
            )));
        }
        let text = |k: &str| {
            message
                .get(k)
                .and_then(Value::as_str)
                .map_or(0.0, |s| s.len() as f64)
        };
        sizes.push(MessageSize {
            recipients,
            raw_bytes: text("subject") + text("body"),
        });
    }
    let priority = match body.get("priority") {
        None => None,
        Some(p) => Some(
            p.as_f64()
                .ok_or_else(|| Error::validation("priority must be an integer from 0 to 9"))?,
        ),
    };
    limits::check(limits, &sizes, priority)
}
