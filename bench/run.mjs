// The benchmark runner behind `scripts/bench.sh`: measures every budget of issue 7 against the plain-JS baseline in
// one run, prints one table, writes bench/RESULTS.md, and exits non-zero when a budget is missed.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { median } from "./stats.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const pkgDir = resolve(process.argv[2] ?? join(root, "pkg"));
const bigFile = resolve(process.argv[3]);
const KB = 1024;

const rows = [];
const row = (figure, value, unit, budget, pass, baseline, ratio) => rows.push({ figure, value, unit, budget, pass, baseline, ratio });
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");

// Size: the .wasm plus every JS file the entry loads (esbuild's module graph), each gzipped -9 as served.
const esbuild = await import(join(root, "node_modules/esbuild/lib/main.js"));
const baselineGz = gzipSync(readFileSync(join(here, "baseline.mjs")), { level: 9 }).length;
// The Node bundle inlines the .wasm (as base64, in its size), so the .wasm file is counted for the other entries only.
const entries = [
  ["node ESM", ["index.node.mjs", "index.node.cjs"], "node", ["node", "import"]],
  ["node CJS", ["index.node.cjs"], "node", ["node", "require"]],
  ["browser", ["entry/browser.js"], "browser", ["browser"]],
  ["workerd", ["entry/workerd.js"], "neutral", ["workerd", "worker"]],
  ["edge (Vercel / Next.js)", ["entry/edge.js"], "neutral", ["edge-light"]],
];
for (const [name, entryPoints, platform, conditions] of entries) {
  const { metafile } = await esbuild.build({
    entryPoints: Object.fromEntries(entryPoints.map((e, i) => [`e${i}`, join(pkgDir, e)])), bundle: true, write: false, metafile: true, platform, conditions,
    format: "esm", external: ["*.wasm", "*.wasm?module", "node:*"], logLevel: "silent", absWorkingDir: pkgDir, outdir: "out",
  });
  const files = [...Object.keys(metafile.inputs).map((f) => resolve(pkgDir, f)), ...(platform === "node" ? [] : [join(pkgDir, "luxsci_bg.wasm")])];
  const raw = files.reduce((n, f) => n + statSync(f).size, 0);
  const gz = files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const js = platform === "node" ? files.length : files.length - 1;
  row(`size, ${name} (${platform === "node" ? "wasm inlined, " : ".wasm + "}${js} JS file${js > 1 ? "s" : ""}; raw ${fmt(raw / KB)} KB)`, gz / KB, "KB gzip", "≤ 40 KB", gz <= 40 * KB,
    `${fmt(baselineGz / KB)} KB`, gz / baselineGz);
}

// Cold start: milliseconds from process start (performance.now() in the child) to the first signed request at
// fetch, over a bare node's time to its first line of user code; children interleaved.
const startMs = (args) => {
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: here, encoding: "utf8" });
  if (status !== 0) throw new Error(`cold start child ${args.join(" ")} failed: ${stderr}`);
  return Number(stdout.trim());
};
const cold = { bare: [], sdk: [], base: [] };
for (let i = 0; i < 31; i++) {
  cold.bare.push(startMs(["-e", "process.stdout.write(String(performance.now()))"]));
  cold.sdk.push(startMs([join(here, "cold.mjs"), "sdk", pkgDir]));
  cold.base.push(startMs([join(here, "cold.mjs"), "baseline"]));
}
const [bare, coldSdk, coldBase] = [median(cold.bare), median(cold.sdk) - median(cold.bare), median(cold.base) - median(cold.bare)];
row(`cold start over bare node (bare: ${fmt(bare)} ms to user code; SDK − baseline: ${fmt(coldSdk - coldBase)} ms)`, coldSdk, "ms", "≤ 15 ms", coldSdk <= 15, `${fmt(coldBase)} ms`, coldSdk / coldBase);

// Per-call overhead and batch preparation, in one child (the SDK and the baseline side by side on the stub fetch).
const inproc = child(["inproc.mjs", pkgDir]);
for (const [key, label] of [["get", "GET"], ["post", `${fmt(inproc.postBytes / KB)} KB JSON POST`]]) {
  const { sdk, base } = inproc[key];
  row(`per-call overhead, ${label} (SDK ${fmt(sdk)} µs/call)`, sdk - base, "µs over baseline", "≤ 20 µs", sdk - base <= 20, `${fmt(base)} µs`, sdk / base);
}
const { sdk: batchSdk, base: batchBase } = inproc.batch;
row(`1000-message sendEmail prepared (${fmt(inproc.sendBytes / 2 ** 20, 2)} MB JSON)`, batchSdk, "ms", "≤ 1.5× baseline",
  batchSdk <= 1.5 * batchBase, `${fmt(batchBase)} ms`, batchSdk / batchBase);

// Attachments, in their own child so that peak RSS is theirs alone.
const attach = child(["attach.mjs", pkgDir, bigFile]);
row(`${attach.mb} MB attachment hashed + composed`, attach.sdkMBps, "MB/s", "≥ 50% of node:crypto", attach.sdkMBps >= attach.nodeMBps / 2,
  `${fmt(attach.nodeMBps)} MB/s`, attach.sdkMBps / attach.nodeMBps);
row("  wasm memory growth", attach.growth / 2 ** 20, "MB", "< 2 MB", attach.growth < 2 * 2 ** 20, "—", NaN);
row("  peak RSS", attach.rss / 2 ** 20, "MB", `< ${fmt((2 * attach.fileBytes) / 2 ** 20, 0)} MB (2× file)`, attach.rss < 2 * attach.fileBytes, "—", NaN);

const table = [
  "| figure | value | budget | baseline (plain JS) | ratio | result |",
  "|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.budget} | ${r.baseline} | ${Number.isFinite(r.ratio) ? fmt(r.ratio, 2) + "×" : "—"} | ${r.pass ? "pass" : "**MISSED**"} |`),
].join("\n");
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
const machine = `${cpus()[0].model}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 0)} GB RAM; Node ${process.version}; ${process.platform}; commit ${commit}; ${new Date().toISOString().slice(0, 16)}Z`;
console.log(`${table}\n\n${machine}`);
writeFileSync(join(here, "RESULTS.md"), [
  "# Benchmark results (`bench`)",
  "",
  "Written by `scripts/bench.sh` (bench/run.mjs); medians of repeated runs. The baseline is bench/baseline.mjs, a",
  "hand-written plain-JS signer (node:crypto + fetch); both call the same in-process stub fetch (bench/stub.mjs).",
  "",
  table,
  "",
  `Machine: ${machine}.`,
  "",
  "How each figure is taken: size sums each file an entry loads (esbuild's module graph, plus the .wasm), each",
  "gzipped -9 as it would be served. Cold start is performance.now() in a fresh process when the first request",
  "carrying the signature cookie reaches fetch, minus a bare node's time to its first line of user code; both",
  "clients pay Node's lazy load of fetch/Response (undici) in it. Per-call overhead is the SDK's median µs per call",
  "minus the baseline's, rounds of 300 sequential calls interleaved. The sendEmail and attachment figures run",
  "from the call until the stub fetch receives the request; the attachment is a file-backed Blob (fs.openAsBlob),",
  "compared with node:crypto hashing the same Blob (its stream or 256 KB slices, the faster), in a child process of its own.",
  "",
].join("\n"));
const missed = rows.filter((r) => !r.pass).length;
if (missed) console.error(`${missed} budget(s) missed`);
process.exit(missed ? 1 : 0);

function child(args) {
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: here, encoding: "utf8", maxBuffer: 1 << 24 });
  if (status !== 0) throw new Error(`${args[0]} failed (${status}): ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop());
}
