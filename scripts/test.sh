#!/usr/bin/env bash
# The tests: every gate, in order — formatting, clippy on host (with and without the native client) and
# wasm32, docs, native tests (the core, and the native client against the sandbox), the
# signing known-answer tests under wasm in Node, the package build, TypeScript checks, and the Node
# suites (sandbox, client, files, resilience, batch, runtimes: Node ESM/CJS, Chromium, workerd, Deno).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n== %s\n' "$*"; }

step "format";            cargo fmt --all -- --check
step "clippy (host)";     cargo clippy --all-targets -- -D warnings
step "clippy (native)";   cargo clippy --all-targets --features native -- -D warnings
step "clippy (wasm32)";   cargo clippy --target wasm32-unknown-unknown --lib --test signing --test browser --test browser_worker -- -D warnings
step "docs";              RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --features native
step "native tests";      cargo test --features native   # the core, and the native client against the sandbox
step "wasm tests (Node, then headless Chromium page and worker)"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown --test signing
cargo test --target wasm32-unknown-unknown --test browser --test browser_worker
step "package build";     scripts/build.sh
step "TypeScript";        tsc -p tests/types
step "node suites"
mapfile -t suites < <(find tests -name '*.test.mjs' -not -path '*/node_modules/*' | sort)
node --test --test-reporter=spec "${suites[@]}"
