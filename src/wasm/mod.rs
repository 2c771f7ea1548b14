//! The `#[wasm_bindgen]` facade: the `LuxSciClient` class JavaScript sees, and the edges that touch
//! JavaScript (fetch, Blobs, errors). Everything here is thin over the pure core.

mod call;
mod client;
mod digest;
mod exchange;
mod files;
mod js;
mod methods;
mod options;
mod payload;
mod relay;
mod transport;

pub use client::LuxSciClient;
