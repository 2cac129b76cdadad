// A throwaway redis-server on a free loopback port for the Redis store tests. When the binary is
// absent the tests are skipped with a message locally, and fail in CI (process.env.CI), where
// .ci/run installs it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";

/** A running test server. */
export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Why the Redis tests cannot run here, or undefined when they can (throws in CI instead of skipping). */
export function redisUnavailableReason(): string | undefined {
  const found = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
  if (found) return undefined;
  const message = "redis-server is not installed: skipping the Redis store tests (apt-get install redis-server)";
  if (process.env.CI !== undefined && process.env.CI !== "") throw new Error(`${message}; CI must run them`);
  return message;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Resolves once something accepts connections on the port (polled; the server starts in ms).
async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

/** Starts redis-server (no persistence) on a free loopback port, or on `port`. */
export async function startRedis(port?: number): Promise<TestRedis> {
  port ??= await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await waitForPort(port, child);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
