//! Uploadables (`Blob | File | Uint8Array | ArrayBuffer | ArrayBufferView | string |
//! {name?, content, contentType?}`): naming, SHA-256 in bounded chunks (a file is never copied whole
//! into wasm memory), and the multipart body composed as a Blob of the original file objects.

use super::digest::Sha256;
use super::js::{get, is_plain_object, optional};
use crate::error::Error;
use crate::multipart::{self, FilePart, Segment};
use js_sys::{Array, ArrayBuffer, Map, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Bytes read (and, without a native hash, copied into wasm memory) at a time while hashing.
const CHUNK: u32 = 256 * 1024;

/// Where a file's name comes from.
#[derive(Clone, Copy)]
pub enum Naming<'a> {
    /// Its own: `{ name }`, else a File's name; content without one is refused.
    Own,
    /// This one, whatever the Uploadable carries (a library upload is named by its path).
    Fixed(&'a str),
}

/// A file named, typed and measured, not yet hashed.
struct Pending {
    /// The content as the caller gave it: the key under which its hash is remembered.
    content: JsValue,
    /// A Blob or a Uint8Array view of `content` (no copy).
    part: JsValue,
    name: String,
    content_type: String,
}

/// A file ready to go: its part (a Blob or a Uint8Array) and what the JSON and headers need.
pub struct Upload {
    pub part: JsValue,
    pub meta: FilePart,
}

/// The files of one call. Content given more than once (the same Blob, view or string: a logo
/// attached to 1000 messages) is wrapped and hashed once.
pub struct Batch {
    pending: Vec<Pending>,
    /// string content → its Blob.
    blobs: Map,
}

impl Batch {
    /// No files yet.
    pub fn new() -> Batch {
        Batch {
            pending: Vec::new(),
            blobs: Map::new(),
        }
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Adds an Uploadable without reading its bytes; returns its index among the files and its size.
    pub fn add(
        &mut self,
        value: &JsValue,
        naming: Naming<'_>,
        what: &str,
    ) -> Result<(usize, f64), Error> {
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
        let (part, size, blob_type) = self.part(&content, what)?;
        let name = match naming {
            Naming::Fixed(name) => name.to_owned(),
            Naming::Own => name
                .or_else(|| get(&content, "name").as_string().filter(|n| !n.is_empty()))
                .ok_or_else(|| {
                    Error::validation(format!(
                        "{what} needs a name: pass a File or {{ name, content }}"
                    ))
                })?,
        };
        check_name(&name, what)?;
        let content_type = multipart::default_content_type(
            &name,
            content_type.as_deref().or(blob_type.as_deref()),
        );
        self.pending.push(Pending {
            content,
            part,
            name,
            content_type,
        });
        Ok((self.pending.len() - 1, size))
    }

    /// The content as a Blob or a Uint8Array view (no copy: a string goes into a Blob straight from
    /// JavaScript, never through wasm memory, once per call), its size, and a Blob's own type.
    fn part(&self, content: &JsValue, what: &str) -> Result<(JsValue, f64, Option<String>), Error> {
        if let Some(blob) = content.dyn_ref::<Blob>() {
            let t = blob.type_();
            return Ok((content.clone(), blob.size(), (!t.is_empty()).then_some(t)));
        }
        if content.is_string() {
            let blob = match self.blobs.get(content).dyn_into::<Blob>() {
                Ok(blob) => blob,
                Err(_) => {
                    let blob = Blob::new_with_str_sequence(&Array::of1(content)).map_err(|_| {
                        Error::validation(format!("{what}: could not encode the string"))
                    })?;
                    self.blobs.set(content, &blob);
                    blob
                }
            };
            let size = blob.size();
            return Ok((blob.into(), size, None));
        }
        let bytes = if let Some(buffer) = content.dyn_ref::<ArrayBuffer>() {
            Uint8Array::new(buffer)
        } else if ArrayBuffer::is_view(content) {
            let number = |key| get(content, key).as_f64().unwrap_or(0.0) as u32;
            Uint8Array::new_with_byte_offset_and_length(
                &get(content, "buffer"),
                number("byteOffset"),
                number("byteLength"),
            )
        } else {
            return Err(Error::validation(format!(
                "{what} must be a Blob, File, Uint8Array, ArrayBuffer, ArrayBufferView, string or {{ name, content, contentType? }}"
            )));
        };
        let size = f64::from(bytes.length());
        Ok((bytes.into(), size, None))
    }

    /// Hashes every file, in the order added; content added more than once is read once.
    pub async fn read(self) -> Result<Vec<Upload>, Error> {
        let known = Map::new();
        let mut uploads = Vec::with_capacity(self.pending.len());
        for p in self.pending {
            let hash = match known.get(&p.content).as_string() {
                Some(hash) => hash,
                None => {
                    let hash = hash(&p.part).await?;
                    known.set(&p.content, &JsValue::from_str(&hash));
                    hash
                }
            };
            uploads.push(Upload {
                part: p.part,
                meta: FilePart {
                    name: p.name,
                    hash,
                    content_type: p.content_type,
                },
            });
        }
        Ok(uploads)
    }
}

/// A name must come back unchanged as the part's filename, because LuxSci pairs each part with its
/// attachment entry by name: characters that a `Content-Disposition` filename cannot carry verbatim
/// (they are escaped, as browsers do) or that a server may read as a path are refused.
fn check_name(name: &str, what: &str) -> Result<(), Error> {
    if name.contains(['/', '\\', '"']) || name.chars().any(char::is_control) {
        return Err(Error::validation(format!(
            "{what} name \"{}\" cannot be sent: a file name must not contain /, \\, \" or control characters (LuxSci matches each file part's filename with its attachment name)",
            multipart::escape_filename(name)
        )));
    }
    Ok(())
}

fn text_field(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, Error> {
    optional(
        obj,
        key,
        |v| v.as_string().filter(|s| !s.is_empty()),
        format_args!("{what}.{key} must be a non-empty string"),
    )
}

/// SHA-256 of a part, read CHUNK bytes at a time.
async fn hash(part: &JsValue) -> Result<String, Error> {
    let mut hasher = Sha256::default();
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
            hasher.update(&bytes).map_err(unreadable)?;
            at = end;
        }
        return hasher.finish().map_err(unreadable);
    }
    let bytes: &Uint8Array = part.unchecked_ref();
    let size = bytes.length();
    let mut at = 0;
    while at < size {
        let end = at.saturating_add(CHUNK).min(size);
        hasher
            .update(&bytes.subarray(at, end))
            .map_err(unreadable)?;
        at = end;
    }
    hasher.finish().map_err(unreadable)
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
