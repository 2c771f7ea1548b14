#!/usr/bin/env bash
# Builds the npm package into pkg/: the release .wasm through wasm-bindgen (--target web) and
# npm binaryen's wasm-opt, the JavaScript of js/ bundled per entry (the web entries as ES modules with chunks, a
# CommonJS bundle for Node, which the ESM Node entry imports: one wasm instance per process, with the .wasm's bytes
# inlined beside it), CommonJS twins (.d.cts) of the declarations, package.json from pkg-template/ and the package's
# README.
# LUXSCI_PKG (default pkg) and CARGO_TARGET_DIR (default target) move the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=${LUXSCI_PKG:-pkg}
target=${CARGO_TARGET_DIR:-target}
scratch="$target/wasm-bindgen"

# The dependencies' sources named by their crate, not by this machine's registry path (panic locations in the .wasm).
# Without the reference-types and multivalue features (and with the target_features section stripped, which is how
# wasm-bindgen is told: the standard library's objects would list reference-types), wasm-bindgen passes JavaScript
# values through a table in its JavaScript rather than as externref parameters: every export's signature is then plain
# numbers, whose calls V8 makes through one generic wrapper instead of compiling a wrapper per signature at start
# (measured in a fresh Node: the module's first compile 3.8 -> 1.9 ms).
# With WebAssembly SIMD (every runtime the package supports has it): sha2 then compresses with its simd128 backend,
# 6 KB smaller than its unrolled one and ~40% faster on a file (8 MiB: 78 -> 48 ms in Node).
# `--cfg luxsci_package` builds the crate no_std with a panic handler that only aborts (src/lib.rs): std's panic
# reporting, which has nowhere to print in a .wasm, is left out. Warnings are errors here: this configuration is built
# by nothing else.
CARGO_PROFILE_RELEASE_STRIP=true \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src=crates -C target-feature=-reference-types,-multivalue,+simd128 --cfg luxsci_package -D warnings" \
  cargo build --release --target wasm32-unknown-unknown --lib
rm -rf "$out" "$scratch" && mkdir -p "$out" "$scratch"
# Without the glue's fallback URL of the .wasm: every entry passes its own (bundlers follow the entries').
wasm-bindgen "$target/wasm32-unknown-unknown/release/luxsci.wasm" --target web --no-typescript --omit-default-module-path \
  --out-dir "$scratch"
# npm binaryen, never Debian's 108, which corrupts wasm-bindgen's externref table: a no-op round trip through it turns that table into a funcref one and the module fails to load.
# Its passes run until they change nothing more (--converge), knowing that Rust's layout leaves the first KB of memory
# unused (the stack grows down toward it from 1 MiB, the data lies above): 0.4 KB gzip less than one -Oz.
wasm-opt -Oz --converge --low-memory-unused --strip-producers --enable-simd --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$scratch/luxsci_bg.wasm" -o "$out/luxsci_bg.wasm"
# The names the .wasm and the glue know each other by, one or two letters in both (1.2 KB gzip off the browser entry).
node scripts/short-names.mjs "$out/luxsci_bg.wasm" "$scratch/luxsci.js"
# The package's modules as written (js/, with the wasm-bindgen glue and the snippet it imports, src/wasm/error.js),
# which its entries are bundled from, in modules/: not published (package.json's "files" leaves it out), kept for the
# tests that load a wasm instance of their own to measure.
mods="$out/modules"
mkdir -p "$mods" && cp -r "$scratch/snippets" "$mods/"
cp "$scratch/luxsci.js" "$mods/"
cp js/*.js "$mods/" && cp -r js/entry "$mods/entry"
# What runtimes load is minified: whitespace, syntax, and the names private to a module (about 40% less gzip). What
# callers meet keeps its name: exports (the client class, createRelay, the error classes, which are named by property
# keys), methods and property keys, so error names and the methods in stack traces read the same. wasm-bindgen lists
# the snippet once per function the wasm imports from it directly: a harmless duplicate key, not reported.
minify=(--minify-whitespace --minify-syntax --minify-identifiers --log-level=warning --log-override:duplicate-object-key=silent)
# Each web entry (browsers, workerd, Vercel's edge, Deno) as one file loaded at import (each ES module a browser loads
# costs it time at start, and each file served is compressed apart); the .wasm stays a file of its own, imported or
# fetched as each entry does. The parts loaded on first use (the batch sender, the report walk, the relay's request
# handling) are files of their own beside the entries, one for all four: each is bundled alone, with its own copy of
# the stateless helpers it uses (the error classes are one registry per realm, js/errors.js), and takes what holds
# state, the wasm's rules, as arguments from the entry that loads it. None may carry the wasm-bindgen glue: a second
# copy would be a wasm instance never loaded.
lazy=(batch.js report-pages.js relay-handler.js)
for entry in browser edge workerd deno; do
  esbuild "$mods/entry/$entry.js" --bundle --format=esm --outdir="$out/entry" "${lazy[@]/#/--external:./}" \
    --external:'*.wasm' --external:'*.wasm?module' "${minify[@]}"
done
esbuild "${lazy[@]/#/$mods/}" --bundle --format=esm --outdir="$out/entry" --metafile="$scratch/lazy.json" "${minify[@]}"
if grep -q 'modules/luxsci\.js"' "$scratch/lazy.json"; then echo "a part loaded on first use carries the wasm glue" >&2; exit 1; fi
# terser over esbuild's output: a second minifier finds ~0.35 KB gzip more in each entry (same names kept: exports,
# methods and property keys).
for file in "$out"/entry/*.js; do terser "$file" --module --ecma 2022 --compress passes=2 --mangle -o "$file"; done
# The fleet's rules (luxsci/fleet) as one module, with the checks and errors it shares with the client; the sandbox, a
# development tool, as written.
mkdir -p "$out/fleet"
esbuild js/fleet/index.js --bundle --format=esm --platform=neutral --outfile="$out/fleet/index.js" "${minify[@]}"
cp js/fleet/index.d.ts "$out/fleet/"
cp -r js/sandbox "$out/sandbox"
cp js/*.d.ts "$out/" && cp -r js/types "$out/types"
# The .wasm's bytes as a CommonJS module (base64, decoded once at load), which the Node bundle requires when the
# .wasm is not beside it (a bundler moved it: esbuild, ncc, bun build, Next.js follow that require); the bundle
# checks a .wasm it finds against this build's fingerprint (js/wasm-fingerprint.js, bundled into it, not shipped).
node -e '
  const fs = require("node:fs");
  const base64 = fs.readFileSync(process.argv[1]).toString("base64");
  fs.writeFileSync(process.argv[2], "\"use strict\";\n// The bytes of luxsci_bg.wasm, for a bundle of index.node.cjs that has no luxsci_bg.wasm beside it.\n" +
    `module.exports = Buffer.from("${base64}", "base64");\n`);
' "$out/luxsci_bg.wasm" "$out/luxsci_bg.wasm.cjs"
fingerprint=$(node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { resolve } from "node:path";
  import { pathToFileURL } from "node:url";
  const { wasmFingerprint } = await import(pathToFileURL(resolve(process.argv[1])));
  console.log(wasmFingerprint(readFileSync(process.argv[2])));
' "$mods/wasm-fingerprint.js" "$out/luxsci_bg.wasm")
esbuild "$mods/entry/node.js" --bundle --platform=node --format=cjs --target=node20 --minify-whitespace --minify-syntax \
  --define:WASM_FINGERPRINT="\"$fingerprint\"" --external:./luxsci_bg.wasm.cjs \
  --log-override:empty-import-meta=silent --log-override:duplicate-object-key=silent \
  --outfile="$out/index.node.cjs" --log-level=warning
# The Node ESM entries beside it (the script says why there are two).
node scripts/node-esm-entries.mjs "$out"
esbuild "$out/sandbox/index.js" --bundle --platform=node --format=cjs --target=node20 --outfile="$out/sandbox.cjs" --log-level=warning
esbuild js/fleet/index.js --bundle --platform=node --format=cjs --target=node20 --outfile="$out/fleet.cjs" --log-level=warning
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
node -e '
  const fs = require("node:fs");
  const pkg = JSON.parse(fs.readFileSync("pkg-template/package.json", "utf8"));
  pkg.version = process.argv[1];
  fs.writeFileSync(process.argv[2] + "/package.json", JSON.stringify(pkg, null, 2) + "\n");
' "$version" "$out"
# The declarations again as .d.cts (imports to .cjs), which TypeScript reads as CommonJS for `require`.
find "$out" -name '*.d.ts' -not -path '*/node_modules/*' | while read -r f; do
  sed -E 's/("\.\.?\/[^"]*)\.js"/\1.cjs"/g' "$f" > "${f%.d.ts}.d.cts"
done
# The README without links into the repository's folders, which the package does not ship.
sed -E 's/\[([^]]*)\]\(([a-z][^):]*)\)/\1/g' README.md > "$out/README.md"
cp LICENSE "$out/"
# Where the package is the default pkg/, make it importable by name inside the repo (examples, tests).
if [ "$out" = pkg ]; then mkdir -p node_modules && ln -sfn ../pkg node_modules/luxsci; fi
echo "built $out/ (luxsci $version): $(wc -c < "$out/luxsci_bg.wasm") bytes of wasm"
