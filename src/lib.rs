//! luxsci: a client for the LuxSci REST API v2 — a protocol core without IO, driven by the WebAssembly
//! facade shipped as the npm package `luxsci` and by a native Rust client (cargo feature `native`).
//!
//! Module map — a pure core, tested natively, and thin drivers that do the IO:
//! - [`endpoints`]: THE table of LuxSci operations; everything per-operation derives from it.
//! - [`path`]: the one path encoder.
//! - [`signing`]: strings-to-sign, HMAC / SHA-256, the self-zeroising secret.
//! - [`session`]: a client's credentials and auth state, without IO: the cached code, single-flight
//!   authentication, clock-skew correction, signing, redaction.
//! - [`step`]: one attempt (what a driver sends), a call's limits, the retry budget and deadline.
//! - [`exchange`]: one call's exchange with LuxSci as a state machine, fed outcomes, answering actions;
//!   the auth call's exchange.
//! - [`envelope`]: how a status and body become success or failure.
//! - [`retry`]: the one verdict on an attempt's outcome (may it have arrived, may it be repeated), the
//!   backoff, and the wording of a call's time running out; `sendEmailBatch` asks it too (`wasm`'s
//!   `retryWait`).
//! - [`redirect`]: redirect answers, never followed.
//! - [`multipart`]: the multipart/form-data layout and attachment de-duplication.
//! - [`limits`]: pre-flight checks of the documented sendEmail limits.
//! - [`relay`]: the relay protocol: the marks on relay-mode requests and on the relay's answers.
//! - [`error`]: the one error type (the native client's error enum is a view of it).
//! - [`wasm`]: the `#[wasm_bindgen]` facade: a client's `Core` (its session, and each call as a
//!   synchronous `Job` over [`exchange`], which the package's JavaScript runs over fetch), and the core's
//!   rules that the package's argument binding asks (paths, queries, send limits, multipart layout).
//! - `text` and `float` (private): texts joined and numbers floored without the standard library, for
//!   the package's `no_std` .wasm.
//! - `native` (cargo feature `native`, not on wasm32): `LuxSciClient` for Rust, over reqwest and tokio.

#![cfg_attr(luxsci_package, no_std)]

extern crate alloc;

/// What the standard prelude gives a module, from `alloc`, for the package's `no_std` build.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

/// The package's .wasm aborts on a panic, as any panic there does, without formatting a message nobody reads.
#[cfg(luxsci_package)]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

pub mod endpoints;
pub mod envelope;
pub mod error;
pub mod exchange;
mod float;
pub mod limits;
pub mod multipart;
pub mod path;
pub mod redirect;
pub mod relay;
pub mod retry;
pub mod session;
pub mod signing;
pub mod step;
mod text;
pub mod wasm;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;
