//! Uploadables (`Blob | File | Uint8Array | ArrayBuffer | ArrayBufferView | string |
//! {name?, content, contentType?}`): naming, the distinct contents to hash (JavaScript reads and
//! hashes them: js/drive.js), and the multipart body composed as a Blob of the original file objects.

use super::js::{get, is_plain_object, optional};
use crate::error::Error;
use crate::multipart::{self, FilePart, Segment};
use js_sys::{Array, ArrayBuffer, Map, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Blob;

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

    /// The contents to hash, each once (a Blob or a Uint8Array view), in the order added.
    pub fn distinct(&self) -> Array {
        let seen = Map::new();
        let out = Array::new();
        for p in &self.pending {
            if !seen.has(&p.content) {
                seen.set(&p.content, &JsValue::TRUE);
                out.push(&p.part);
            }
        }
        out
    }

    /// The uploads, given the hashes of [`Batch::distinct`]'s contents in its order.
    pub fn uploads(self, hashes: &[String]) -> Result<Vec<Upload>, Error> {
        let index = Map::new();
        let mut uploads = Vec::with_capacity(self.pending.len());
        for p in self.pending {
            let i = match index.get(&p.content).as_f64() {
                Some(i) => i as usize,
                None => {
                    let i = index.size() as usize;
                    index.set(&p.content, &JsValue::from(i as u32));
                    i
                }
            };
            let hash = hashes.get(i).cloned().ok_or_else(unreadable)?;
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

/// The error of a call whose file could not be read (or hashed).
pub fn unreadable() -> Error {
    Error::validation("a file could not be read")
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
