//! Request bodies: JSON serialised by the JavaScript engine (fast, no copy of large payloads into wasm
//! beyond the hash), and the multipart bodies of sends with attachments, library uploads and
//! `request(..., { files })`, with the documented send limits checked before anything is read or sent.

use super::files::{self, Batch, Naming, Upload};
use super::js::{get, is_plain_object, optional, set};
use crate::endpoints::Endpoint;
use crate::error::Error;
use crate::limits::{self, MessageSize, SendLimits};
use crate::multipart;
use crate::signing;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The body hash signed for a request without a body: empty, as for GET and DELETE. The one place
/// this choice is made (LuxSci's docs do not say how a bodiless POST is hashed).
pub const NO_BODY_HASH: &str = "";

/// A request body, ready to send and sign.
pub enum Payload {
    /// No body.
    None,
    /// `application/json`: the text and its hash.
    Json { text: JsValue, hash: String },
    /// `multipart/form-data`: the composed Blob, its content type, and the JSON part's hash.
    Multipart {
        blob: JsValue,
        content_type: String,
        hash: String,
    },
}

impl Payload {
    /// The body to hand to fetch.
    pub fn body(&self) -> Option<&JsValue> {
        match self {
            Payload::None => None,
            Payload::Json { text, .. } => Some(text),
            Payload::Multipart { blob, .. } => Some(blob),
        }
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Payload::None => None,
            Payload::Json { .. } => Some("application/json"),
            Payload::Multipart { content_type, .. } => Some(content_type),
        }
    }

    /// The hash that goes into the string-to-sign.
    pub fn hash(&self) -> &str {
        match self {
            Payload::None => NO_BODY_HASH,
            Payload::Json { hash, .. } | Payload::Multipart { hash, .. } => hash,
        }
    }
}

/// A request body as bound from a call's arguments: ready, or waiting for its files to be read.
pub enum Body {
    Ready(Payload),
    /// The files to read and hash, and how their uploads complete the payload.
    Files(
        Batch,
        Box<dyn FnOnce(Vec<Upload>) -> Result<Payload, Error>>,
    ),
}

impl Body {
    /// The body once its files' hashes are known (`hashes` in the order of `Batch::distinct`).
    pub fn complete(self, hashes: &[String]) -> Result<Body, Error> {
        match self {
            Body::Files(batch, complete) => complete(batch.uploads(hashes)?).map(Body::Ready),
            ready => Ok(ready),
        }
    }

    /// The payload, when no file is left to read.
    pub fn ready(self) -> Option<Payload> {
        match self {
            Body::Ready(payload) => Some(payload),
            Body::Files(..) => None,
        }
    }
}

/// `JSON.stringify(value)` and the hash of the text; a string is taken as JSON text already.
pub fn stringify(value: &JsValue, what: &str) -> Result<(JsValue, String), Error> {
    if let Some(s) = value.as_string() {
        let text = s.trim();
        return Ok((JsValue::from_str(text), signing::body_hash(text)));
    }
    // The text stays a JavaScript string (a 1 MB batch is not copied into wasm and back).
    let text: JsValue = js_sys::JSON::stringify(value)
        .ok()
        .map(Into::into)
        .filter(JsValue::is_string)
        .ok_or_else(|| Error::validation(format!("{what} cannot be serialised as JSON")))?;
    let hash = super::digest::json_text_hash(&text);
    Ok((text, hash))
}

/// A JSON body that must be an object.
pub fn json_object(value: &JsValue, what: &str) -> Result<Payload, Error> {
    if !is_plain_object(value) {
        return Err(Error::validation(format!("{what} must be an object")));
    }
    let (text, hash) = stringify(value, what)?;
    Ok(Payload::Json { text, hash })
}

/// One entry of a message's `attachments`.
enum Entry {
    /// `{ name, hash }`: a reference, passed through.
    Ref(JsValue),
    /// Content to upload: the index of its upload.
    File(usize),
}

/// The body of `sendEmail` (`messages`) or `sendSecureEmailOrSecureText` (one message): limits
/// checked before any file is read, attachment contents hashed, each distinct file sent once,
/// `{name, hash}` in the JSON.
pub fn send(endpoint: &Endpoint, body: &JsValue, limits: &SendLimits) -> Result<Body, Error> {
    let what = format!("{} body", endpoint.id);
    if !is_plain_object(body) {
        return Err(Error::validation(format!("{what} must be an object")));
    }
    let many = endpoint.id == "sendEmail";
    let messages: Vec<JsValue> = if many {
        let list = get(body, "messages");
        if !Array::is_array(&list) {
            return Err(Error::validation(
                "sendEmail body.messages must be an array of messages",
            ));
        }
        list.unchecked_into::<Array>().iter().collect()
    } else {
        vec![body.clone()]
    };
    let priority = optional(
        body,
        "priority",
        |p| p.as_f64(),
        format_args!("priority must be an integer from 0 to 9"),
    )?;
    let mut sizes = Vec::with_capacity(messages.len());
    let mut entries: Vec<Option<Vec<Entry>>> = Vec::with_capacity(messages.len());
    let mut batch = Batch::new();
    for (i, m) in messages.iter().enumerate() {
        if !is_plain_object(m) {
            return Err(Error::validation(format!(
                "messages[{i}] must be an object"
            )));
        }
        let recipients = ["to", "cc", "bcc"]
            .iter()
            .map(|k| count_recipients(&get(m, k), i, k))
            .sum::<Result<u32, Error>>()?;
        let mut raw_bytes = 0.0;
        if limits.smtp_size_limit.is_some() {
            raw_bytes = utf8_len(&get(m, "subject")) + utf8_len(&get(m, "body"));
        }
        entries.push(attachments(m, i, &mut batch, &mut raw_bytes)?);
        sizes.push(MessageSize {
            recipients,
            raw_bytes,
        });
    }
    limits::check(limits, &sizes, priority)?;
    if batch.is_empty() {
        return json_object(body, &what).map(Body::Ready);
    }
    let body = body.clone();
    let complete =
        move |uploads: Vec<Upload>| composed(&body, many, &messages, &entries, &uploads, &what);
    Ok(Body::Files(batch, Box::new(complete)))
}

/// The multipart payload of a send whose files are read: `uploads`, referenced from the entries.
fn composed(
    body: &JsValue,
    many: bool,
    messages: &[JsValue],
    entries: &[Option<Vec<Entry>>],
    uploads: &[Upload],
    what: &str,
) -> Result<Payload, Error> {
    let refs = |list: &[Entry]| -> Array {
        list.iter()
            .map(|e| match e {
                Entry::Ref(r) => r.clone(),
                Entry::File(k) => reference(&uploads[*k]),
            })
            .collect()
    };
    let copy = Object::assign(&Object::new(), body.unchecked_ref());
    if many {
        let list = Array::new();
        for (m, e) in messages.iter().zip(entries) {
            list.push(&match e {
                Some(e) => with_attachments(m, &refs(e)).into(),
                None => m.clone(),
            });
        }
        set(&copy, "messages", &list);
    } else if let Some(Some(e)) = entries.first() {
        set(&copy, "attachments", &refs(e));
    }
    let references: Vec<(String, String)> = entries
        .iter()
        .flatten()
        .flatten()
        .filter_map(|e| match e {
            Entry::Ref(r) => Some((get(r, "name").as_string()?, get(r, "hash").as_string()?)),
            Entry::File(_) => None,
        })
        .collect();
    multipart_body(&copy.into(), uploads, &references, what)
}

/// The entries of `message.attachments` (`None` when it has none), each content entry added to
/// `batch` and its size to `raw_bytes`. An entry is `{ name, hash }`, `{ name?, content,
/// contentType? }`, or a bare File (or other named Uploadable).
fn attachments(
    message: &JsValue,
    i: usize,
    batch: &mut Batch,
    raw_bytes: &mut f64,
) -> Result<Option<Vec<Entry>>, Error> {
    let list = get(message, "attachments");
    if list.is_undefined() {
        return Ok(None);
    }
    if !Array::is_array(&list) {
        return Err(Error::validation(format!(
            "messages[{i}].attachments must be an array"
        )));
    }
    let mut entries = Vec::new();
    for (j, a) in list.unchecked_into::<Array>().iter().enumerate() {
        let label = format!("messages[{i}].attachments[{j}]");
        if is_plain_object(&a) && get(&a, "content").is_undefined() {
            if get(&a, "name").as_string().is_none() || get(&a, "hash").as_string().is_none() {
                return Err(Error::validation(format!(
                    "{label} needs name and hash, or name and content"
                )));
            }
            entries.push(Entry::Ref(a));
            continue;
        }
        let (k, size) = batch.add(&a, Naming::Own, &label)?;
        *raw_bytes += size;
        entries.push(Entry::File(k));
    }
    Ok(Some(entries))
}

/// `uploadContentLibraryFile`: the file under the last segment of its path, listed in `attachments`.
pub fn upload(file_path: &str, file: &JsValue) -> Result<Body, Error> {
    let name = file_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(file_path);
    let mut batch = Batch::new();
    batch.add(file, Naming::Fixed(name), "file")?;
    let complete = |uploads: Vec<Upload>| {
        let json = Object::new();
        set(
            &json,
            "attachments",
            &uploads.iter().map(reference).collect::<Array>(),
        );
        multipart_body(&json.into(), &uploads, &[], "upload")
    };
    Ok(Body::Files(batch, Box::new(complete)))
}

/// `request(..., { body, files })`: the files listed in the body's `attachments` unless it has its own.
pub fn with_files(body: &JsValue, list: &JsValue) -> Result<Body, Error> {
    if !Array::is_array(list) {
        return Err(Error::validation("files must be an array of Uploadables"));
    }
    let json = match body {
        b if b.is_undefined() => Object::new(),
        b if is_plain_object(b) => Object::assign(&Object::new(), b.unchecked_ref()),
        _ => {
            return Err(Error::validation(
                "body must be an object when files are sent",
            ))
        }
    };
    let mut batch = Batch::new();
    for (i, f) in list.unchecked_ref::<Array>().iter().enumerate() {
        batch.add(&f, Naming::Own, &format!("files[{i}]"))?;
    }
    let complete = move |uploads: Vec<Upload>| {
        if get(&json, "attachments").is_undefined() {
            let refs: Array = uploads.iter().map(reference).collect();
            set(&json, "attachments", &refs);
        }
        multipart_body(&json.into(), &uploads, &[], "request body")
    };
    Ok(Body::Files(batch, Box::new(complete)))
}

/// The multipart payload of `json` and the distinct `uploads`; `references` are the `{name, hash}`
/// entries given as such, checked against the uploads for a name used by two different files.
fn multipart_body(
    json: &JsValue,
    uploads: &[Upload],
    references: &[(String, String)],
    what: &str,
) -> Result<Payload, Error> {
    let names = uploads
        .iter()
        .map(|u| (u.meta.name.as_str(), u.meta.hash.as_str()))
        .chain(references.iter().map(|(n, h)| (n.as_str(), h.as_str())));
    let distinct: Vec<&Upload> = multipart::dedupe(names)?
        .into_iter()
        .filter_map(|i| uploads.get(i))
        .collect();
    let (text, hash) = stringify(json, what)?;
    let boundary = multipart::boundary(&super::js::random_16());
    let blob = files::compose(&boundary, &text, &distinct)?;
    Ok(Payload::Multipart {
        blob: blob.into(),
        content_type: multipart::content_type(&boundary),
        hash,
    })
}

fn reference(upload: &Upload) -> JsValue {
    let r = Object::new();
    set(&r, "name", &JsValue::from_str(&upload.meta.name));
    set(&r, "hash", &JsValue::from_str(&upload.meta.hash));
    r.into()
}

fn with_attachments(message: &JsValue, refs: &Array) -> Object {
    let copy = Object::assign(&Object::new(), message.unchecked_ref());
    set(&copy, "attachments", refs);
    copy
}

fn count_recipients(value: &JsValue, i: usize, key: &str) -> Result<u32, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(0);
    }
    if Array::is_array(value) {
        return Ok(value.unchecked_ref::<Array>().length());
    }
    match value.as_string() {
        Some(s) => Ok(s.split(',').filter(|a| !a.trim().is_empty()).count() as u32),
        None => Err(Error::validation(format!(
            "messages[{i}].{key} must be an array of addresses"
        ))),
    }
}

fn utf8_len(value: &JsValue) -> f64 {
    value.as_string().map_or(0.0, |s| s.len() as f64)
}
