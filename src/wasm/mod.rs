//! The `#[wasm_bindgen]` facade: the `LuxSciClient` class JavaScript sees, and the edges that touch
//! JavaScript (fetch, Blobs, errors). Everything here is thin over the pure core.

mod call;
mod client;
mod digest;
mod files;
mod job;
mod js;
mod methods;
mod options;
mod payload;
mod relay;
mod transport;
mod verdict;

pub use client::LuxSciClient;
pub use job::{Job, Step};

// The wasm's allocator: a free list of ~1 KB, not Rust's default dlmalloc (~7 KB of a .wasm whose every
// byte an edge function ships). The SDK makes few, short-lived allocations per call; a soak of 80,000
// mixed calls grew linear memory exactly as dlmalloc did (1.15 → 1.34 MB), and no slower.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature, as built here, runs on one thread, which
// is all `AssumeSingleThreaded` requires.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
