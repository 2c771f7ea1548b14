// Shared by the runtime suites: the packaged sandbox, local HTTP servers, a recording forward proxy, a consumer folder with the packed package installed, and child processes.
import http from "node:http";
import net from "node:net";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pkgDir } from "../support/package.mjs";

export { pkgDir };
/** The repository root (the workspace's node_modules/.bin holds tsc, deno, workerd and esbuild). */
export const root = resolve(new URL("../..", import.meta.url).pathname);
export const bin = (name) => join(root, "node_modules", ".bin", name);
export const API = "/perl/api/v2";
/** `luxsci/sandbox` as the package ships it. */
export const { startSandbox } = await import(`${pkgDir}/sandbox/index.js`);

/** Serves `listener` on 127.0.0.1 at a free port; resolves to { url, port, server, close() }. */
export async function serve(listener) {
  const server = http.createServer(listener);
  await new Promise((done, fail) => server.once("error", fail).listen(0, "127.0.0.1", done));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () => new Promise((done) => server.close(done).closeAllConnections()),
  };
}

/**
 * A forward proxy in front of `target` that records what reaches it: `requests` holds
 * { method, url, headers, bytes } (bytes counted as the body arrives), and `whenBytes(n)` resolves
 * once some request body has delivered n bytes, before that request has finished.
 */
export async function recordingProxy(target) {
  const requests = [];
  const waiters = [];
  const proxy = await serve((req, res) => {
    const record = { method: req.method, url: req.url, headers: { ...req.headers }, bytes: 0 };
    requests.push(record);
    const upstream = http.request(new URL(req.url, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.on("data", (chunk) => {
      record.bytes += chunk.length;
      for (const waiter of waiters.filter((w) => record.bytes >= w.bytes)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(record);
      }
    });
    req.pipe(upstream);
  });
  return { ...proxy, requests, whenBytes: (bytes) => new Promise((resolve) => waiters.push({ bytes, resolve })) };
}

/** A server that must never be reached: it counts the requests that reach it anyway. */
export async function decoy() {
  const hits = [];
  const server = await serve((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end('{"success":1,"data":"decoy"}');
  });
  return { ...server, hits };
}

/** `count` distinct free TCP ports on 127.0.0.1 (for programs that take a port, not a listening socket). */
export async function freePorts(count = 1) {
  // Held open together, so that the kernel cannot hand out the same port twice.
  const probes = Array.from({ length: count }, () => net.createServer());
  await Promise.all(probes.map((probe) => new Promise((done) => probe.listen(0, "127.0.0.1", done))));
  const ports = probes.map((probe) => probe.address().port);
  await Promise.all(probes.map((probe) => new Promise((done) => probe.close(done))));
  return ports;
}

let packed;
/** The package as npm installs it: `npm pack` of the built folder (only its "files"), unpacked once per process. */
export function packedPackage() {
  packed ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "luxsci-packed-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const pack = await run("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: pkgDir });
    if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const untar = await run("tar", ["-xzf", join(dir, pack.stdout.trim().split("\n").pop()), "-C", dir]);
    if (untar.code !== 0) throw new Error(`unpacking the tarball failed: ${untar.stderr}`);
    return join(dir, "package");
  })();
  return packed;
}

/**
 * A throw-away consumer project with the package installed in `node_modules/luxsci` from its tarball (a
 * copy, as npm makes: Deno resolves a symlink that leaves node_modules as local files) and `files`
 * ({ relativePath: text }) written into it. Resolves to { dir, remove() }.
 */
export async function consumerProject(files = {}) {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-consumer-"));
  cpSync(await packedPackage(), join(dir, "node_modules", "luxsci"), { recursive: true });
  const all = { "package.json": JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { luxsci: "*" } }), ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Bundles the worker `name` of the project in `dir` into dist/ as wrangler does: "luxsci" resolves through the
 * workerd condition, and the .wasm stays a separate module named luxsci_bg.wasm. Resolves to the bundle's inputs.
 */
export async function bundleWorker(dir, name) {
  const esbuild = await import(join(root, "node_modules", "esbuild", "lib", "main.js"));
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: [name],
    outfile: join(dir, "dist", name),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    metafile: true,
    preserveSymlinks: true,
    logLevel: "silent",
    plugins: [
      {
        name: "wasm-module",
        setup(build) {
          build.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./luxsci_bg.wasm", external: true }));
        },
      },
    ],
  });
  return Object.keys(result.metafile.inputs);
}

/** Runs a program to completion; resolves to { code, stdout, stderr } (never rejects on a non-zero exit). */
export function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Starts a long-running program; `stop()` ends it (by its own pid) and resolves once it exited. */
export function start(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((done) => child.on("close", done));
  return {
    child,
    output: () => output,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Polls `probe()` until it returns a truthy value (a readiness wait, not a timing assertion). */
export async function until(probe, what, attempts = 600) {
  for (let i = 0; i < attempts; i++) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
