//! LuxSci request signing, as pure functions: the auth call's string-to-sign, the per-request
//! string-to-sign, HMAC-SHA256 / SHA-256 in lowercase hex, and the secret holder that zeroises itself.
//! Whatever held the secret, the password or a signature is wiped after use: the strings, the
//! hasher's state (the crates' `zeroize` feature) and the stack the hashing ran on.

use crate::prelude::*;
use crate::text::text;
use core::fmt;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// A credential (API secret or user password): zeroised on drop, never shown by `Debug`.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Takes ownership of the credential text.
    pub fn new(value: String) -> Secret {
        Secret(Zeroizing::new(value))
    }

    /// The credential, for signing and for redacting it from outside text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The auth call's string-to-sign: `token\ndate\n`, plus `user\npass\n` for user scope.
pub fn auth_string_to_sign(
    token: &str,
    date: &str,
    user_pass: Option<(&str, &str)>,
) -> Zeroizing<String> {
    // Sized once: a reallocation would free a copy of the password without wiping it.
    let extra = user_pass.map_or(0, |(user, pass)| user.len() + pass.len() + 2);
    let mut s = Zeroizing::new(String::with_capacity(token.len() + date.len() + 2 + extra));
    for part in [token, date] {
        s.push_str(part);
        s.push('\n');
    }
    if let Some((user, pass)) = user_pass {
        for part in [user, pass] {
            s.push_str(part);
            s.push('\n');
        }
    }
    s
}

/// A request's string-to-sign: `auth\nMETHOD\npath\nquery\nbody_hash\n`, from the exact encoded
/// path, raw query and body hash that go on the wire.
pub fn request_string_to_sign(
    auth: &str,
    method: &str,
    path: &str,
    query: &str,
    body_hash: &str,
) -> String {
    text!(auth, "\n", method, "\n", path, "\n", query, "\n", body_hash, "\n")
}

/// The `Cookie` header that carries a request's signature: `signature=<auth code>:<signature>`, wiped
/// when dropped (sized once, so that no partial copy is freed unwiped).
pub fn signature_cookie(code: &str, signature: &str) -> Zeroizing<String> {
    let mut cookie = Zeroizing::new(String::with_capacity(
        "signature=".len() + code.len() + 1 + signature.len(),
    ));
    for part in ["signature=", code, ":", signature] {
        cookie.push_str(part);
    }
    cookie
}

/// Lowercase hex HMAC-SHA256 of `message` under `key`: a signature, wiped when dropped. The stack
/// below the caller's frame, where the hashing left copies of the key blocks and of `message`'s last
/// block (the password, for the auth call), is overwritten before it returns.
pub fn hmac_hex(key: &str, message: &str) -> Zeroizing<String> {
    let signature = hmac_hex_unwiped(key, message);
    wipe_stack();
    signature
}

// Not inlined: its frame and those of the hashing lie below hmac_hex's, where wipe_stack() reaches.
#[inline(never)]
fn hmac_hex_unwiped(key: &str, message: &str) -> Zeroizing<String> {
    match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            Zeroizing::new(hex(&mac.finalize().into_bytes()))
        }
        // HMAC accepts keys of any length; this arm is unreachable and kept only to avoid a panic path.
        Err(_) => Zeroizing::new(String::new()),
    }
}

/// How much stack [`wipe_stack`] overwrites: several times what one HMAC-SHA256 uses (under 2 KiB).
const STACK_WIPE_BYTES: usize = 8 * 1024;

/// Overwrites the stack below the caller's frame with zeros (written for real: the buffer's address
/// escapes into `black_box`).
#[inline(never)]
fn wipe_stack() {
    let mut scratch = [0u64; STACK_WIPE_BYTES / 8];
    core::hint::black_box(&mut scratch);
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The body hash that signs a JSON body: SHA-256 of the trimmed text, as LuxSci's clients compute it.
pub fn body_hash(json: &str) -> String {
    sha256_hex(json.trim().as_bytes())
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// An incremental SHA-256, for files hashed in bounded chunks.
#[derive(Default)]
pub struct StreamHash(Sha256);

impl StreamHash {
    /// Feeds the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    /// Lowercase hex of everything fed.
    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}
