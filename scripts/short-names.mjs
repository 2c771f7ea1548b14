// Gives the names that the .wasm and its wasm-bindgen glue know each other by (the glue's imports, which carry a
// 16-digit hash each, and the .wasm's exports) one or two letters, in both files. `memory` keeps its name (tests read
// it). The glue names an export only as `wasm.NAME` and an import only as the key `NAME:` of its imports object; each
// is checked to be there, and no old name to be left, or the build fails.
// Usage: node scripts/short-names.mjs WASM GLUE (both rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, gluePath] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const imports = new Map(); // old name → new name
const exports = new Map();
const fresh = () => {
  const i = imports.size + exports.size;
  return i < LETTERS.length ? LETTERS[i] : LETTERS[Math.floor(i / LETTERS.length) - 1] + LETTERS[i % LETTERS.length];
};

/** Reads a module's bytes from `at` on. */
function reader(bytes, at = 0) {
  return {
    get at() {
      return at;
    },
    byte: () => bytes[at++],
    skip(count) {
      at += count;
    },
    uleb() {
      let value = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = bytes[at++];
        value += (byte & 0x7f) * 2 ** shift;
        if (!(byte & 0x80)) return value;
      }
    },
    name() {
      const length = this.uleb();
      this.skip(length);
      return bytes.toString("utf8", at - length, at);
    },
    limits() {
      if (this.byte() & 1) this.uleb();
      this.uleb();
    },
  };
}

function uleb(value) {
  const out = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return Buffer.from(out);
}

const name = (text) => Buffer.concat([uleb(Buffer.byteLength(text)), Buffer.from(text)]);

/** The import section's body with each field name shortened. */
function importSection(body) {
  const r = reader(body);
  const parts = [uleb(r.uleb())];
  while (r.at < body.length) {
    const start = r.at;
    r.name(); // the module: kept
    const moduleEnd = r.at;
    const field = r.name();
    const kindAt = r.at;
    const kind = r.byte();
    if (kind === 0) r.uleb(); // a function: its type
    else if (kind === 1) (r.byte(), r.limits()); // a table: its element type and limits
    else if (kind === 2) r.limits(); // a memory
    else if (kind === 3) (r.byte(), r.byte()); // a global: its type and mutability
    else throw new Error(`short-names: an import of kind ${kind}`);
    imports.set(field, fresh());
    parts.push(body.subarray(start, moduleEnd), name(imports.get(field)), body.subarray(kindAt, r.at));
  }
  return Buffer.concat(parts);
}

/** The export section's body with each name but `memory` shortened. */
function exportSection(body) {
  const r = reader(body);
  const parts = [uleb(r.uleb())];
  while (r.at < body.length) {
    const old = r.name();
    const rest = r.at;
    r.byte();
    r.uleb();
    if (old !== "memory") exports.set(old, fresh());
    parts.push(name(exports.get(old) ?? old), body.subarray(rest, r.at));
  }
  return Buffer.concat(parts);
}

const r = reader(wasm, 8);
const sections = [wasm.subarray(0, 8)];
while (r.at < wasm.length) {
  const id = r.byte();
  const size = r.uleb();
  let body = wasm.subarray(r.at, r.at + size);
  r.skip(size);
  if (id === 2) body = importSection(body);
  if (id === 7) body = exportSection(body);
  sections.push(Buffer.from([id]), uleb(body.length), body);
}

for (const [old, short] of exports) {
  const pattern = new RegExp(`\\bwasm\\.${old}\\b`, "g");
  // wasm-bindgen's own aborting hooks are exported for its runtime, not called by this glue.
  if (glue.search(pattern) === -1 && !["__abort_handler", "__instance_terminated"].includes(old)) {
    throw new Error(`short-names: the glue does not call the export ${old}`);
  }
  glue = glue.replace(pattern, `wasm.${short}`);
  if (glue.search(pattern) !== -1) throw new Error(`short-names: the glue still calls ${old}`);
}
for (const [old, short] of imports) {
  const pattern = new RegExp(`(?<=[{,\\s])${old}(?=:)`, "g");
  if (glue.search(pattern) === -1) throw new Error(`short-names: the glue does not provide the import ${old}`);
  glue = glue.replace(pattern, short);
  if (glue.includes(old)) throw new Error(`short-names: the glue still names ${old}`);
}
writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(gluePath, glue);
