#!/usr/bin/env node
// R1 benchmark (docs/performance.md §3): times `node bin/aegis.js report <ledger> --json` on a
// generated ledger and reports wall time and peak RSS (worker threads included), and checks the
// report's totals against the generator's. `node bench/report.mjs --lines 1000000 [--runs 3]`.
// Needs a build (`npx tsc -p tsconfig.build.json`). Exported as benchReport() for a suite runner.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateLedger } from "./gen-ledger.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Loaded into the measured process: prints its peak RSS (KiB, all threads) to stderr at exit.
const RSS_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nAEGIS_BENCH_MAXRSS_KB="+process.resourceUsage().maxRSS+"\\n"))`;

/** Targets of scenario R1 (local) by ledger size. */
export const R1_TARGETS = { 1_000_000: { wallMs: 2500, rssMb: 150 }, 100_000: { wallMs: 400, rssMb: 150 } };

function runOnce(file, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ["--import", RSS_HOOK, join(root, "bin/aegis.js"), "report", file, "--json"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let err = "";
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`aegis report exited ${code}: ${err.slice(0, 500)}`));
      const rss = /AEGIS_BENCH_MAXRSS_KB=(\d+)/.exec(err);
      resolve({ wallMs, rssMb: rss ? Number(rss[1]) / 1024 : NaN, report: JSON.parse(Buffer.concat(out).toString("utf8")) });
    });
  });
}

/** Generates (or reuses) a ledger of `lines` lines, runs the report `runs` times, returns the figures. */
export async function benchReport({ lines = 1_000_000, runs = 3, file, env = {} } = {}) {
  const path = file ?? join(tmpdir(), `aegis-bench-ledger-${lines}.jsonl`);
  // The generator is deterministic: reuse a ledger written earlier (its stats sit beside it).
  const statsPath = `${path}.stats.json`;
  let gen = existsSync(path) && existsSync(statsPath) ? JSON.parse(readFileSync(statsPath, "utf8")) : null;
  if (gen === null || gen.lines !== lines || gen.bytes !== statSync(path).size) {
    gen = await generateLedger({ lines, out: path });
    writeFileSync(statsPath, JSON.stringify(gen));
  }
  await runOnce(path, env); // warm the page cache and the compile cache
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(path, env));
  const walls = results.map((r) => r.wallMs).sort((a, b) => a - b);
  const report = results[0].report;
  const expectedUsd = Math.round(gen.spentNanos / 1000) / 1e6;
  const target = R1_TARGETS[lines];
  const median = walls[Math.floor(walls.length / 2)];
  const peakRss = Math.max(...results.map((r) => r.rssMb));
  return {
    scenario: "R1",
    lines: gen.lines,
    bytes: statSync(path).size,
    runs,
    wall_ms: { median: Math.round(median), min: Math.round(walls[0]), max: Math.round(walls[walls.length - 1]) },
    peak_rss_mb: Math.round(peakRss),
    totals_ok: report.call_count === gen.calls && Math.abs(report.spent - expectedUsd) < 1e-9,
    target: target ?? null,
    within_target: target ? median <= target.wallMs && peakRss <= target.rssMb : null,
    node: process.version,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = { lines: 1_000_000, runs: 3 };
  for (let i = 2; i < process.argv.length; i += 2) {
    const [flag, value] = [process.argv[i], process.argv[i + 1]];
    if (flag === "--lines") args.lines = Number(value);
    else if (flag === "--runs") args.runs = Number(value);
    else if (flag === "--file") args.file = value;
    else throw new Error(`unknown flag ${flag} (use --lines N, --runs N, --file PATH)`);
  }
  if (!existsSync(join(root, "dist/bundle/main.js"))) throw new Error("build first: npm run build");
  process.stdout.write(`${JSON.stringify(await benchReport(args), null, 2)}\n`);
}
