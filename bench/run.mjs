#!/usr/bin/env node
// The benchmark suite (docs/performance.md): `npm run bench` (full) or `npm run bench:smoke`
// (about a minute). Three processes on loopback — the mock upstream, `aegis run`, and the load
// generator running as aegis's governed agent (so it uses exactly the AEGIS_URL / *_BASE_URL a real
// agent gets) — plus the Portkey gateway as a peer in front of the same mock. With taskset and ≥ 2
// CPUs, aegis and the peer run on CPU 1, the mock and the load generator on CPU 0. X1 (memory) has
// a governed run of its own, so that a fresh aegis is measured at the load performance.md names
// rather than after the throughput scenarios have grown its heap. Then C1/C2
// (start-up) and R1 (report over a generated ledger). Figures go to bench/results/<timestamp>.json
// and a table of targets; the exit code is 1 when a target (full) or a gate (smoke) is missed.
//   node bench/run.mjs [--smoke] [--only P1,S1,…] [--no-peer] [--no-pin] [--cpu-prof] [--r1-lines N] [--store URL] [--no-wrk] [--no-floor] [--soak-seconds N]
// Diagnostics: BENCH_AEGIS_FLAGS="--trace-gc …" adds node flags to the aegis process (GC traces, heap
// profiles); BENCH_AEGIS_STDOUT=<file> keeps aegis's stdout (where --trace-gc writes) instead of discarding it.
import { execFileSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchReport } from "./report.mjs";
import { benchStartup } from "./startup.mjs";
import { COUNTS } from "./counts.mjs";
import { checkLedger } from "./lib/ledger-check.mjs";
import { bareServerRss, firstJsonLine, freePort, hasTaskset, pinned, start, stop, waitForPort } from "./lib/procs.mjs";
import { derive, evaluate, formatTable } from "./targets.mjs";
import { hasWrk } from "./lib/wrk.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const LOADGEN_IDS = ["S3", "P1", "S1", "M1", "P2", "M2", "P3"];
const ALL = [...LOADGEN_IDS, "X1", "C", "R1"];

function parseArgs(argv) {
  const a = { wrk: true, floor: true, smoke: false, only: ALL, peer: true, pin: true, cpuProf: false, r1Lines: undefined };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === "--smoke") a.smoke = true;
    else if (f === "--no-peer") a.peer = false;
    else if (f === "--no-pin") a.pin = false;
    else if (f === "--cpu-prof") a.cpuProf = true;
    else if (f === "--only") a.only = argv[++i].split(",").map((s) => (s === "C1" || s === "C2" ? "C" : s));
    else if (f === "--r1-lines") a.r1Lines = Number(argv[++i]);
    else if (f === "--store") a.store = argv[++i];
    else if (f === "--no-wrk") a.wrk = false;
    else if (f === "--no-floor") a.floor = false;
    else if (f === "--soak-seconds") a.soakSeconds = Number(argv[++i]);
    else throw new Error(`unknown flag ${f}: use --smoke, --only ID,…, --no-peer, --no-pin, --cpu-prof, --r1-lines N, --store URL, --no-wrk, --no-floor, --soak-seconds N`);
  }
  return a;
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const log = (line) => process.stderr.write(`${line}\n`);
const git = (...args) => {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
};

// A governed run of scenarios `ids`: mock (+ peer) up, `aegis run -- loadgen`, everything stopped again.
async function governedRun(args, counts, pin, tmp, ids) {
  const children = [];
  try {
    return await governedRunWith(args, counts, pin, tmp, children, ids);
  } finally {
    for (const child of children) await stop(child);
  }
}

async function governedRunWith(args, counts, pin, tmp, children, ids) {
  const mock = start(pinned(pin?.mock, [process.execPath, join(root, "bench/mock-upstream.mjs"), "--port", "0"]));
  children.push(mock);
  const { port: mockPort } = await firstJsonLine(mock);
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  let peer;
  let peerUrl = null;
  let peerNote = "not run";
  if (args.peer && ids.some((id) => id === "P1" || id === "S1")) {
    const port = await freePort();
    const script = join(root, "node_modules/@portkey-ai/gateway/build/start-server.js");
    peer = start(pinned(pin?.peer, [process.execPath, "--import", join(root, "bench/portkey-fetch-shim.mjs"), script, `--port=${port}`, "--headless"]), { env: { ...process.env, NODE_ENV: "production" } });
    children.push(peer);
    peer.stdout.resume();
    peer.stderr.resume();
    if (existsSync(script) && (await waitForPort(port))) {
      peerUrl = `http://127.0.0.1:${port}`;
      peerNote = "@portkey-ai/gateway (node build/start-server.js --headless, NODE_ENV=production), x-portkey-provider: openai, x-portkey-custom-host: the mock";
    } else peerNote = "Portkey did not start: peer arms skipped";
  }
  // The metering API's floor (M1, M2's open loop): a second mock answering /null on aegis's CPU, so
  // that the floor's round trip crosses CPUs as the load generator's calls to aegis do (on a VM a
  // cross-CPU wake-up costs tens of microseconds that a same-CPU server never pays).
  let nullUrl = mockUrl;
  if (ids.some((id) => id === "M1" || id === "M2")) {
    const nullMock = start(pinned(pin?.aegis, [process.execPath, join(root, "bench/mock-upstream.mjs"), "--port", "0"]));
    children.push(nullMock);
    nullUrl = `http://127.0.0.1:${(await firstJsonLine(nullMock)).port}`;
  }
  let floorUrl = null;
  let floorPid = null;
  if (args.floor && ids.some((id) => id === "P1" || id === "S1" || id === "P3")) {
    const floor = start(pinned(pin?.aegis, [process.execPath, join(root, "bench/floor-proxy.mjs"), mockUrl]));
    children.push(floor);
    floorUrl = `http://127.0.0.1:${(await firstJsonLine(floor)).port}`;
    floorPid = floor.pid;
  }
  const config = [
    "# aegis.yaml of the benchmark: every limit on (high enough never to block), loop detection at its defaults.",
    "cost: { budget_usd: 9000000, per_call_limit_usd: 1000000, per_session_limit_usd: 9000000, daily_budget_usd: 9000000, per_minute_tokens: 1000000000000, alert_threshold: 1 }",
    `proxy: { openai: { upstream: "${mockUrl}/v1" }, anthropic: { upstream: "${mockUrl}" }, gemini: { upstream: "${mockUrl}" } }`,
    "run: { kill_on: never }",
    ...(args.store ? [`store: ${JSON.stringify(args.store)}`] : []),
    "",
  ].join("\n");
  writeFileSync(join(tmp, "aegis.yaml"), config);
  const out = join(tmp, "loadgen.json");
  writeFileSync(join(tmp, "spec.json"), JSON.stringify({ mockUrl, nullUrl, peerUrl, floorUrl, floorPid, counts, scenarios: ids, out, wrk: args.wrk && hasWrk() }));
  const prof = [...(args.cpuProf ? ["--cpu-prof", "--cpu-prof-dir", join(root, "bench/results/prof")] : []), ...(process.env.BENCH_AEGIS_FLAGS ?? "").split(" ").filter(Boolean)];
  const agent = pinned(pin?.loadgen, [process.execPath, join(root, "bench/agent-loadgen.mjs"), join(tmp, "spec.json")]);
  const aegis = start(pinned(pin?.aegis, [process.execPath, ...prof, join(root, "bin/aegis.js"), "run", "--config", join(tmp, "aegis.yaml"), "--", ...agent]), { cwd: tmp });
  let stderr = "";
  if (process.env.BENCH_AEGIS_STDOUT) aegis.stdout.pipe(createWriteStream(process.env.BENCH_AEGIS_STDOUT)); else aegis.stdout.resume();
  aegis.stderr.on("data", (d) => {
    stderr += d;
    for (const line of String(d).split("\n")) if (line.startsWith("[bench]")) log(`  ${line.slice(8)}`);
  });
  children.push(aegis);
  const code = await new Promise((resolve) => aegis.once("exit", resolve));
  writeFileSync(join(tmp, "aegis-stderr.log"), stderr);
  if (code !== 0 || !existsSync(out)) throw new Error(`aegis run exited ${code}; see ${join(tmp, "aegis-stderr.log")}:\n${stderr.slice(-2000)}`);
  const result = JSON.parse(readFileSync(out, "utf8"));
  result.ledger = checkLedger(join(tmp, ".aegis/sessions"), result.counts);
  return { result, peerNote };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, "dist/bundle/main.js"))) throw new Error("build first: npm run build");
  const counts = COUNTS[args.smoke ? "smoke" : "full"];
  const cores = availableParallelism();
  const pin = args.pin && cores >= 2 && hasTaskset() ? { aegis: 1, peer: 1, mock: 0, loadgen: 0 } : null;
  const started = new Date();
  const results = {
    suite: args.smoke ? "smoke" : "full",
    started: started.toISOString(),
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores, memory_gb: Math.round(totalmem() / 2 ** 30) },
    node: process.version,
    git: { commit: git("rev-parse", "HEAD"), dirty: (git("status", "--porcelain", "--untracked-files=no") ?? "") !== "" },
    pinning: pin ?? "none (taskset missing, one CPU, or --no-pin)",
    metering_client: args.wrk && hasWrk() ? "wrk (M1 p50s, M2 closed loop); M1 p99s from the interleaved node:http client" : "node:http",
    load_average: { start: load() },
    counts,
    scenarios: {},
  };
  const s = results.scenarios;
  const tmp = mkdtempSync(join(tmpdir(), "aegis-bench-"));
  log(`aegis bench (${results.suite}) — ${results.machine.cpu}, ${cores} cores, Node ${process.version}, load ${results.load_average.start.join(" ")}, pinning ${pin ? "aegis+peer→CPU1, mock+loadgen→CPU0" : "off"}`);

  const ids = LOADGEN_IDS.filter((id) => args.only.includes(id));
  let wholeRun;
  if (ids.length > 0) {
    log("governed run: aegis run -- agent-loadgen");
    const { result, peerNote } = await governedRun(args, counts, pin, tmp, ids);
    results.peer = peerNote;
    Object.assign(s, result.scenarios);
    if (s.S3) Object.assign(s.S3, result.ledger);
    // Not X1's load (that is the X1 run below): the memory of the run that drove M2 at ~24k req/s
    // and P3 at c=256, kept as a figure.
    wholeRun = {
      idle_mb: result.rss.idle?.rssMb ?? null,
      peak_mb: result.rss.after?.hwmMb ?? null,
      after_mb: result.rss.after?.rssMb ?? null,
      by_scenario_max_mb: Object.fromEntries(LOADGEN_IDS.filter((id) => result.rss[id] !== undefined).map((id) => [id, result.rss[id]])),
    };
    results.governed = { counts: result.counts, ledger: result.ledger, aegis_cmdline: result.aegis_cmdline };
    results.load_average.after_governed_run = load();
  }
  if (args.only.includes("X1")) {
    log("X1: a governed run of its own (idle, 64 streams held, soak)");
    const x1Counts = args.soakSeconds === undefined ? counts : { ...counts, x1: { ...counts.x1, soak: { ...counts.x1.soak, seconds: args.soakSeconds } } };
    const x1Tmp = join(tmp, "x1");
    mkdirSync(x1Tmp);
    const { result } = await governedRun({ ...args, peer: false, floor: false }, x1Counts, pin, x1Tmp, ["X1"]);
    s.X1 = result.scenarios.X1.error ? result.scenarios.X1 : { ...result.scenarios.X1, node_idle_server_mb: await bareServerRss(pin?.aegis), ledger: result.ledger };
    results.load_average.after_x1 = load();
  }
  if (wholeRun !== undefined) results.whole_run_memory = wholeRun;
  // Kept only when a run failed (the error names it); a run leaves a ledger and a store behind.
  rmSync(tmp, { recursive: true, force: true });
  if (args.only.includes("C")) {
    log("C1/C2: start-up");
    const cwd = mkdtempSync(join(tmpdir(), "aegis-bench-startup-"));
    s.C = await benchStartup({ aegisBin: join(root, "bin/aegis.js"), ...counts.startup, taskset: pin?.aegis, cwd });
    rmSync(cwd, { recursive: true, force: true });
    results.load_average.after_startup = load();
  }
  if (args.only.includes("R1")) {
    const lines = args.r1Lines ?? counts.r1.lines;
    log(`R1: aegis report over ${lines} ledger lines`);
    s.R1 = await benchReport({ lines, runs: counts.r1.runs }).catch((error) => ({ error: String(error?.message ?? error) }));
    results.load_average.after_report = load();
  }
  results.load_average.end = load();
  results.seconds = Math.round((Date.now() - started.getTime()) / 100) / 10;

  derive(s);
  const ran = new Set(Object.keys(s).filter((k) => !s[k]?.error));
  results.checks = evaluate(s, ran);
  results.failed_scenarios = Object.keys(s).filter((k) => s[k]?.error);
  const dir = join(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${started.toISOString().replace(/[:.]/g, "-")}${args.smoke ? "-smoke" : ""}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  process.stdout.write(`\n${formatTable(results.checks, { smoke: args.smoke })}\n\n`);
  const misses = results.checks.filter((r) => !r.pass);
  const fails = results.checks.filter((r) => !r.gate_pass);
  for (const id of results.failed_scenarios) process.stdout.write(`SCENARIO FAILED: ${id}: ${s[id].error.split("\n")[0]}\n`);
  process.stdout.write(`${misses.length === 0 ? "all targets met" : `MISS: ${misses.length} of ${results.checks.length} targets missed (${misses.map((m) => `${m.id} ${m.metric}`).join("; ")})`}\n`);
  process.stdout.write(`${fails.length === 0 ? "all gates passed" : `GATE FAIL: ${fails.map((m) => `${m.id} ${m.metric}`).join("; ")}`}\n`);
  process.stdout.write(`${results.seconds} s; load average start ${results.load_average.start.join(" ")}, end ${results.load_average.end.join(" ")}; results: ${file}\n`);
  const failed = results.failed_scenarios.length > 0 || (args.smoke ? fails.length > 0 : misses.length > 0);
  process.exitCode = failed ? 1 : 0;
}

await main();
