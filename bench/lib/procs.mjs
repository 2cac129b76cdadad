// Child processes of the harness: the mock, the peer gateway, a bare server for the memory
// baseline. Each can be pinned to a CPU with taskset; each is stopped by its own pid.
import { spawn, execFileSync } from "node:child_process";
import { createServer, connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { readRss } from "./rss.mjs";

/** Whether `taskset` exists here. */
export function hasTaskset() {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** argv prefixed with `taskset -c <cpu>` when cpu is set. */
export function pinned(cpu, argv) {
  return cpu === undefined || cpu === null ? argv : ["taskset", "-c", String(cpu), ...argv];
}

/** Spawns argv; returns the child. */
export function start(argv, options = {}) {
  const [cmd, ...args] = argv;
  return spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
}

/** Resolves to the first line the child prints on stdout, parsed as JSON. */
export function firstJsonLine(child, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("no start line from child")), timeoutMs);
    child.stdout.on("data", (d) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl !== -1) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)));
      }
    });
    child.once("exit", (code) => reject(new Error(`child exited ${code} before its start line`)));
  });
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves true once 127.0.0.1:port accepts a connection, false after timeoutMs. */
export async function waitForPort(port, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

/** Stops a child we started (SIGTERM, then SIGKILL) and waits for it. */
export async function stop(child) {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** RSS (MB) of an idle node:http server after start-up: the X1 baseline. */
export async function bareServerRss(cpu) {
  const child = start(pinned(cpu, [process.execPath, "-e", "require('node:http').createServer(()=>{}).listen(0,'127.0.0.1',()=>console.log('{}'))"]));
  await firstJsonLine(child);
  await sleep(1000);
  const rss = readRss(child.pid)?.rssMb ?? null;
  await stop(child);
  return rss;
}
