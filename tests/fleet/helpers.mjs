// Shared by the fleet tests: a real redis-server on a unix socket in a temporary folder, stopped by its own pid.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Starts redis-server (no persistence) listening only on a unix socket; resolves to { socket, stop() }. */
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), "luxsci-redis-"));
  const socket = join(dir, "redis.sock");
  const child = spawn("redis-server", ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
  const exited = new Promise((done) => child.on("close", done));
  for (let i = 0; !existsSync(socket); i++) {
    if (i > 200 || child.exitCode !== null) throw new Error("redis-server did not start");
    await new Promise((done) => setTimeout(done, 25));
  }
  return {
    socket,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
