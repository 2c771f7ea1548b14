#!/usr/bin/env bash
# `bench`: builds the package in release mode into build/bench/ (its own folder), then measures every performance
# budget of issue 7 against the plain-JS baseline and prints one table (bench/run.mjs, which also writes
# bench/RESULTS.md). Exits non-zero when a budget is missed. Benchmarks are not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
LUXSCI_PKG="$out/pkg" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}" scripts/build.sh >&2
# A 64 MB attachment on disk, made once (its bytes do not matter, only that they are not all alike).
big="$out/attachment-64mb.bin"
if [ ! -f "$big" ] || [ "$(wc -c < "$big")" -ne 67108864 ]; then
  head -c 67108864 /dev/urandom > "$big"
fi
exec node bench/run.mjs "$out/pkg" "$big"
