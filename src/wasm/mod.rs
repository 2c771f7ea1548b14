//! The `#[wasm_bindgen]` facade: what the package's JavaScript holds of the core — a client's `Core`
//! (its session and the jobs of its calls, run by js/drive.js), the core's rules its argument binding
//! asks (table.rs), and its errors as the package's `LuxSciError`s. The JavaScript reads and checks every
//! option and argument, and does the IO (fetch, timers, signals, reading answers); everything here is
//! thin over the pure core.

mod client;
mod digest;
mod job;
mod js;
mod relay;
mod state;
mod table;
mod verdict;

pub use client::Core;
pub use digest::Sha256;
pub use job::{Job, Settled, Step};

// The wasm's allocator: a free list of ~1 KB, not Rust's default dlmalloc (~7 KB of a .wasm whose every
// byte an edge function ships). The SDK makes few, short-lived allocations per call; a soak of 80,000
// mixed calls grew linear memory exactly as dlmalloc did (1.15 → 1.34 MB), and no slower.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature, as built here, runs on one thread, which
// is all `AssumeSingleThreaded` requires.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
