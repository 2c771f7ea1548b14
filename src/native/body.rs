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
        files: &[(FilePart, &[u8])],
        random: &[u8; 16],
    ) -> Result<Prepared, Error> {
        let text = serde_json::to_string(json)
            .map_err(|_| Error::validation("the body cannot be serialised as JSON"))?;
        let distinct = multipart::dedupe(files.iter().map(|(f, _)| (&*f.name, &*f.hash)))?;
        let parts: Vec<&(FilePart, &[u8])> =
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

/// A file attached to messages of [`LuxSciClient::send_email_with_files`](super::LuxSciClient::send_email_with_files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Its name, which the messages' `attachments` entries give as `{ "name": … }`.
    pub name: String,
    /// Its bytes.
    pub content: Vec<u8>,
    /// Its `Content-Type` (default: guessed from the name's extension).
    pub content_type: Option<String>,
}

/// The body of `sendEmail` (`messages`) or `sendSecureEmailOrSecureText` (one message), checked
/// against the send limits before anything is sent; each `attachments` entry `{ "name" }` completed
/// with the SHA-256 of the file of that name, and then sent as multipart with each file once.
pub(super) fn send_body(
    id: &str,
    body: &Value,
    files: &[Attachment],
    limits: &SendLimits,
    random: &[u8; 16],
) -> Result<Prepared, Error> {
    let mut parts = Vec::with_capacity(files.len());
    for file in files {
        multipart::check_name(&file.name, "attachment")?;
        let part = FilePart {
            name: file.name.clone(),
            hash: signing::sha256_hex(&file.content),
            content_type: multipart::default_content_type(&file.name, file.content_type.as_deref()),
        };
        parts.push((part, file.content.as_slice()));
    }
    let mut json = body.clone();
    let messages: Vec<&mut Value> = if id == "sendEmail" {
        json.get_mut("messages")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| {
                Error::validation("sendEmail body.messages must be an array of messages")
            })?
            .iter_mut()
            .collect()
    } else {
        vec![&mut json]
    };
    let mut sizes = Vec::with_capacity(messages.len());
    let mut used = vec![false; parts.len()];
    for (i, message) in messages.into_iter().enumerate() {
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
        let text = |k: &str| {
            message
                .get(k)
                .and_then(Value::as_str)
                .map_or(0.0, |s| s.len() as f64)
        };
        let mut raw_bytes = text("subject") + text("body");
        if let Some(entries) = message.get_mut("attachments") {
            let entries = entries.as_array_mut().ok_or_else(|| {
                Error::validation(format!("messages[{i}].attachments must be an array"))
            })?;
            for (j, entry) in entries.iter_mut().enumerate() {
                let named = entry
                    .as_object()
                    .filter(|e| e.len() == 1)
                    .and_then(|e| e.get("name"))
                    .and_then(Value::as_str);
                let found = named.and_then(|name| parts.iter().position(|(p, _)| p.name == name));
                let Some(k) = found else {
                    return Err(Error::validation(format!(
                        "messages[{i}].attachments[{j}] must be {{\"name\": …}} naming one of the files given"
                    )));
                };
                used[k] = true;
                raw_bytes += parts[k].1.len() as f64;
                *entry = serde_json::json!({ "name": parts[k].0.name, "hash": parts[k].0.hash });
            }
        }
        sizes.push(MessageSize {
            recipients,
            raw_bytes,
        });
    }
    let priority = match json.get("priority") {
        None => None,
        Some(p) => Some(
            p.as_f64()
                .ok_or_else(|| Error::validation("priority must be an integer from 0 to 9"))?,
        ),
    };
    limits::check(limits, &sizes, priority)?;
    if let Some(k) = used.iter().position(|u| !u) {
        return Err(Error::validation(format!(
            "file \"{}\" is attached to no message",
            multipart::escape_filename(&parts[k].0.name)
        )));
    }
    if parts.is_empty() {
        return Prepared::json(&json);
    }
    Prepared::multipart(&json, &parts, random)
}
