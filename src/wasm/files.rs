//! Uploadables (`Blob | File | Uint8Array | ArrayBuffer | string | {name?, content, contentType?}`):
//! naming, SHA-256 in bounded chunks (a file is never copied whole into wasm memory), and the
//! multipart body composed as a Blob of the original file objects.

use super::js::{get, is_plain_object};
use crate::error::Error;
use crate::multipart::{self, FilePart, Segment};
use crate::signing::StreamHash;
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Bytes copied into wasm memory at a time while hashing.
const CHUNK: u32 = 256 * 1024;

/// A file ready to go: its part (a Blob or a Uint8Array) and what the JSON and headers need.
pub struct Upload {
    pub part: JsValue,
    pub size: f64,
    pub meta: FilePart,
}

/// Reads one Uploadable. `fallback_name` names content that carries no name of its own.
pub async fn read(
    value: &JsValue,
    fallback_name: Option<&str>,
    what: &str,
) -> Result<Upload, Error> {
    let (content, name, content_type) = if is_plain_object(value) {
        let content = get(value, "content");
        if content.is_undefined() {
            return Err(Error::validation(format!("{what} has no content")));
        }
        let name = text_field(value, "name", what)?;
        (content, name, text_field(value, "contentType", what)?)
    } else {
        (value.clone(), None, None)
    };
    let (part, blob_type) = as_part(&content, what)?;
    let own_name = get(&content, "name").as_string().filter(|n| !n.is_empty());
    let name = name
        .or(own_name)
        .or_else(|| fallback_name.map(str::to_owned))
        .ok_or_else(|| {
            Error::validation(format!(
                "{what} needs a name: pass a File or {{ name, content }}"
            ))
        })?;
    if name.contains(['/', '\\']) {
        return Err(Error::validation(format!(
            "{what} name \"{name}\" must not contain a slash"
        )));
    }
    let (hash, size) = hash(&part).await?;
    let content_type =
        multipart::default_content_type(&name, content_type.as_deref().or(blob_type.as_deref()));
    Ok(Upload {
        part,
        size,
        meta: FilePart {
            name,
            hash,
            content_type,
        },
    })
}

fn text_field(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, Error> {
    match get(obj, key) {
        v if v.is_undefined() => Ok(None),
        v => v
            .as_string()
            .filter(|s| !s.is_empty())
            .map(Some)
            .ok_or_else(|| Error::validation(format!("{what}.{key} must be a non-empty string"))),
    }
}

/// The content as a Blob or a Uint8Array view (no copy), with a Blob's own type.
fn as_part(content: &JsValue, what: &str) -> Result<(JsValue, Option<String>), Error> {
    if let Some(blob) = content.dyn_ref::<Blob>() {
        let t = blob.type_();
        return Ok((content.clone(), (!t.is_empty()).then_some(t)));
    }
    if let Some(s) = content.as_string() {
        let parts = Array::of1(&JsValue::from_str(&s));
        let blob = Blob::new_with_str_sequence(&parts)
            .map_err(|_| Error::validation(format!("{what}: could not encode the string")))?;
        return Ok((blob.into(), None));
    }
    if let Some(buffer) = content.dyn_ref::<ArrayBuffer>() {
        return Ok((Uint8Array::new(buffer).into(), None));
    }
    if ArrayBuffer::is_view(content) {
        let buffer = get(content, "buffer");
        let offset = get(content, "byteOffset").as_f64().unwrap_or(0.0) as u32;
        let length = get(content, "byteLength").as_f64().unwrap_or(0.0) as u32;
        return Ok((
            Uint8Array::new_with_byte_offset_and_length(&buffer, offset, length).into(),
            None,
        ));
    }
    Err(Error::validation(format!(
        "{what} must be a Blob, File, Uint8Array, ArrayBuffer, string or {{ name, content, contentType? }}"
    )))
}

/// SHA-256 and size of a part, read CHUNK bytes at a time.
async fn hash(part: &JsValue) -> Result<(String, f64), Error> {
    let mut hasher = StreamHash::default();
    let mut buf = vec![0u8; CHUNK as usize];
    let unreadable = |_| Error::validation("a file could not be read");
    if let Some(blob) = part.dyn_ref::<Blob>() {
        let size = blob.size();
        let mut at = 0.0;
        while at < size {
            let end = (at + f64::from(CHUNK)).min(size);
            let piece = blob.slice_with_f64_and_f64(at, end).map_err(unreadable)?;
            let bytes = Uint8Array::new(
                &JsFuture::from(piece.array_buffer())
                    .await
                    .map_err(unreadable)?,
            );
            feed(&mut hasher, &mut buf, &bytes);
            at = end;
        }
        return Ok((hasher.finish(), size));
    }
    let bytes: &Uint8Array = part.unchecked_ref();
    let size = bytes.length();
    let mut at = 0;
    while at < size {
        let end = at.saturating_add(CHUNK).min(size);
        feed(&mut hasher, &mut buf, &bytes.subarray(at, end));
        at = end;
    }
    Ok((hasher.finish(), f64::from(size)))
}

fn feed(hasher: &mut StreamHash, buf: &mut [u8], bytes: &Uint8Array) {
    let n = (bytes.length() as usize).min(buf.len());
    bytes.copy_to(&mut buf[..n]);
    hasher.update(&buf[..n]);
}

/// The multipart body: the JSON text (`json`, kept as the JavaScript string it already is) and each
/// distinct file, as one Blob that references the original parts.
pub fn compose(boundary: &str, json: &JsValue, files: &[&Upload]) -> Result<Blob, Error> {
    let metas: Vec<FilePart> = files.iter().map(|f| f.meta.clone()).collect();
    let parts = Array::new();
    for segment in multipart::layout(boundary, &metas) {
        match segment {
            Segment::Text(text) => parts.push(&JsValue::from_str(&text)),
            Segment::Json => parts.push(json),
            Segment::File(i) => parts.push(&files[i].part),
        };
    }
    Blob::new_with_blob_sequence(&parts)
        .map_err(|_| Error::validation("could not compose the multipart body"))
}
