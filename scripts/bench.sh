#!/usr/bin/env bash
# `bench`: builds the package in release mode into build/bench/ (its own folder), and the package as it was before
# the bundler work (BENCH_BEFORE, default commit 77dd3cc) from that commit's sources into folders of its own, then
# measures every performance budget against the plain-JS baseline, and each entry's size and cold start
# against the package before, and prints the tables (bench/run.mjs, which also writes bench/RESULTS.md). Exits
# non-zero when a budget is missed. Benchmarks are not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=build/bench
mkdir -p "$out"
LUXSCI_PKG="$out/pkg" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}" scripts/build.sh >&2
before=${BENCH_BEFORE:-77dd3cc}
if [ ! -f "$out/before-$before/pkg/package.json" ]; then
  rm -rf "$out/before-$before" && mkdir -p "$out/before-$before/src"
  git archive "$before" | tar -x -C "$out/before-$before/src"
  # Its build script, with this checkout's tools on PATH (its own folder has no node_modules).
  (cd "$out/before-$before" && LUXSCI_PKG="$PWD/pkg" CARGO_TARGET_DIR="$PWD/target" src/scripts/build.sh) >&2
fi
# A 64 MB attachment on disk, made once (its bytes do not matter, only that they are not all alike).
big="$out/attachment-64mb.bin"
if [ ! -f "$big" ] || [ "$(wc -c < "$big")" -ne 67108864 ]; then
  head -c 67108864 /dev/urandom > "$big"
fi
exec node bench/run.mjs "$out/pkg" "$big" "$out/before-$before/pkg" "$before"
