#!/usr/bin/env bash
# Installs what building and testing need, idempotently: the wasm32 target, wasm-bindgen-cli at the
# Cargo.lock version, the npm dev dependencies (esbuild, npm binaryen's wasm-opt, TypeScript, workerd,
# Deno, ioredis and redis), the bundler suite's pinned tools (tests/bundlers/tools), Debian's Chromium +
# ChromeDriver for the browser tests and redis-server for the fleet tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  # Not --locked: cargo cannot select the locked webpki-roots, so the resolver picks one it has.
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -x node_modules/.bin/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

tools=tests/bundlers/tools
if [ ! -d "$tools/node_modules" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$tools" --no-audit --no-fund
fi

# apt may be locked by another installer on the machine: retry for a few minutes before giving up.
apt_install() {
  for attempt in $(seq 1 30); do
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; then return 0; fi
    echo "apt-get install $* failed (attempt $attempt; the apt lock may be held): retrying in 10 s" >&2
    sleep 10
  done
  return 1
}
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then apt_install chromium chromium-driver; fi
command -v redis-server >/dev/null || apt_install redis-server
