#!/usr/bin/env bash
# `bench-fleet`: builds the package in release mode into build/bench-fleet/ (its own folder), then measures the
# luxsci/fleet figures (bench/fleet.mjs: the Redis journal's and limiter's cost per call, the limiter's accuracy
# across processes next to single-process pacing) on a redis-server it starts on a unix socket, and writes
# bench/FLEET.md. Benchmarks are not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench-fleet
mkdir -p "$out"
LUXSCI_PKG="$out/pkg" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}" scripts/build.sh >&2
LUXSCI_PKG="$out/pkg" exec node bench/fleet.mjs
