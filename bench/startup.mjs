// C1/C2: start-up time of `aegis --version` and `aegis pricing list` against `node -e 0`, measured
// the way hyperfine -N does (spawn, wait for exit, no shell), the three commands interleaved run by
// run so that machine load drifts over all of them alike. Output is discarded (pipes drained). They
// run in `cwd`, a directory without aegis.yaml: C2 prices from the bundled table alone.
import { spawn } from "node:child_process";
import { summarize, round } from "./lib/stats.mjs";

function timeOnce(argv, taskset, cwd) {
  const [cmd, ...args] = taskset ? ["taskset", "-c", taskset, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    child.stdout.resume();
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${argv.join(" ")} exited ${code}`));
      else resolve(ms);
    });
  });
}

/** Runs each command `runs` times (after `warmup`), interleaved; returns per-command stats and the additions over node. */
export async function benchStartup({ aegisBin, runs = 30, warmup = 3, taskset, cwd }) {
  const commands = {
    node: [process.execPath, "-e", "0"],
    version: [process.execPath, aegisBin, "--version"],
    pricing: [process.execPath, aegisBin, "pricing", "list"],
  };
  const samples = { node: [], version: [], pricing: [] };
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const ms = await timeOnce(argv, taskset, cwd);
      if (i >= warmup) samples[name].push(ms);
    }
  }
  const stats = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  return {
    runs,
    pinned_to_cpu: taskset ?? null,
    ...stats,
    c1_added_mean: round(stats.version.mean - stats.node.mean, 1),
    c1_added_p50: round(stats.version.p50 - stats.node.p50, 1),
    c2_added_mean: round(stats.pricing.mean - stats.node.mean, 1),
    c2_added_p50: round(stats.pricing.p50 - stats.node.p50, 1),
  };
}
