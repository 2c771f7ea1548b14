//! luxsci: a client for the LuxSci REST API v2, compiled to WebAssembly and shipped as the npm package
//! `luxsci`.
//!
//! Module map — a pure core, tested natively, and thin edges that touch JavaScript:
//! - [`endpoints`]: THE table of LuxSci operations; everything per-operation derives from it.
//! - [`path`]: the one path encoder.
//! - [`signing`]: strings-to-sign, HMAC / SHA-256, the self-zeroising secret.
//! - [`auth`]: the auth-code session with single-flight authentication and clock-skew correction.
//! - [`envelope`]: how a status and body become success or failure.
//! - [`retry`]: when an attempt may be repeated, the backoff, and a call's overall time budget.
//! - [`redirect`]: redirect answers, never followed.
//! - [`multipart`]: the multipart/form-data layout and attachment de-duplication.
//! - [`limits`]: pre-flight checks of the documented sendEmail limits.
//! - [`relay`]: the relay protocol: the marks on relay-mode requests and on the relay's answers.
//! - [`error`]: the one error type.
//! - [`wasm`]: the `#[wasm_bindgen]` facade (`LuxSciClient`), fetch transport and file handling.

pub mod auth;
pub mod endpoints;
pub mod envelope;
pub mod error;
pub mod limits;
pub mod multipart;
pub mod path;
pub mod redirect;
pub mod relay;
pub mod retry;
pub mod signing;
pub mod wasm;
