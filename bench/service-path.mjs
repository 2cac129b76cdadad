#!/usr/bin/env node
// CPU and allocation of a proxied call's service path alone, without HTTP: the built (dist/)
// session meter, governor, standby pool, resilient SQLite store and ledger, assembled as
// `aegis run` assembles them, driven the way the proxy drives them under concurrency — waves of
// c admissions in one turn, then their c settlements in one turn (what a 20 ms upstream answering
// c connections together produces). Prints µs of CPU and KB allocated a call; with --sites, the
// allocation by the nearest aegis function (source-mapped). Compares builds by being run on each.
//   npm run build && node bench/service-path.mjs [calls=40000] [c=64] [--sites]
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Session } from "node:inspector";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => {
  const file = join(root, "dist", p);
  if (!existsSync(file)) throw new Error("build first: npm run build");
  return import(pathToFileURL(file).href);
};
const [{ createGovernor }, { standbyStore }, { createSqliteStore }, { resilientStore }, { createSessionMeter }, { openLedger }, { buildPricingTable }, { usdToNanos }] = await Promise.all([
  dist("core/policy/index.js"),
  dist("core/policy/standby-store.js"),
  dist("store/sqlite-store.js"),
  dist("store/resilient-store.js"),
  dist("run/meter.js"),
  dist("ledger/writer.js"),
  dist("core/pricing/resolve.js"),
  dist("core/money.js"),
]);

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const CALLS = Number(args[0] ?? 40_000);
const C = Number(args[1] ?? 64);
const SITES = process.argv.includes("--sites");

// The benchmark's limits (bench/run.mjs): every limit on, high enough never to block.
const limits = {
  alertThreshold: 1,
  onExceed: "block",
  loop: { windowSeconds: 60, threshold: 5 },
  budget: usdToNanos(9_000_000),
  daily: usdToNanos(9_000_000),
  perCall: usdToNanos(1_000_000),
  perSession: usdToNanos(9_000_000),
  perMinuteTokens: 1e12,
};
// The mock's fixed answer, and the worst case admitted for it.
const usage = () => ({ model: "gpt-4o-mini", inputTokens: 42, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 64, reasoningTokens: 0 });
const estimate = { model: "gpt-4o-mini", inputTokens: 60, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 64, reasoningTokens: 0 };

const dir = mkdtempSync(join(tmpdir(), "aegis-service-path-"));
const store = resilientStore(createSqliteStore(join(dir, "budget.db")), () => undefined);
let standbys = 0;
const budgetStore = standbyStore(store, () => `bench:standby:${++standbys}`);
const pricing = buildPricingTable();
const governor = createGovernor({ sessionId: "bench", limits, agents: [], defaultAgent: "main", pricing, clock: Date.now, store: budgetStore });
const ledger = openLedger(join(dir, "ledger.jsonl"), { secrets: ["tok"] });
const meter = createSessionMeter({ sessionId: "bench", governor, pricing, ledger, defaultAgent: "main", killOn: "never", clock: Date.now, notify: () => undefined, stop: () => undefined });

let n = 0;
// One wave: c admissions in one turn, then their settlements in one turn.
async function wave(c) {
  const admissions = await Promise.all(
    Array.from({ length: c }, () => {
      const i = ++n;
      return meter.admit({ usage: estimate, minimumUsage: estimate, fingerprint: `fp-${i}`, source: "proxy", whenAnswered: (action) => action() });
    }),
  );
  await Promise.all(admissions.map((a) => meter.settle(a.reservationId, usage())));
}

async function run(calls) {
  for (let done = 0; done < calls; done += C) await wave(C);
}

await run(Math.min(5_000, CALLS)); // warm-up: JIT, the store's pages, the standby pool
// CPU first, unprofiled; then the allocation, sampled (the sampler costs CPU of its own).
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await run(CALLS);
const cpu = process.cpuUsage(cpu0);
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
await post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
await run(CALLS);
const { profile } = await post("HeapProfiler.stopSampling", {});

// Allocation by the nearest dist/ frame, source-mapped.
const maps = new Map();
const labelOf = (f) => {
  if (!f.url.includes("/dist/")) return undefined;
  if (!maps.has(f.url)) {
    const file = fileURLToPath(f.url);
    maps.set(f.url, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))) : null);
  }
  const e = maps.get(f.url)?.findEntry(f.lineNumber, f.columnNumber);
  return e?.originalSource ? `${f.functionName || "(anonymous)"} ${e.originalSource.split("/src/").pop()}:${e.originalLine + 1}` : `${f.functionName} ${f.url}`;
};
let total = 0;
const sites = new Map();
const walk = (node, own) => {
  const here = labelOf(node.callFrame) ?? own;
  if (node.selfSize > 0) {
    total += node.selfSize;
    sites.set(here ?? "(outside aegis)", (sites.get(here ?? "(outside aegis)") ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, here);
};
walk(profile.head, undefined);

const usPerCall = (cpu.user + cpu.system) / CALLS;
console.log(`service path, ${CALLS} calls at c=${C}: ${usPerCall.toFixed(1)} µs of CPU a call (user ${(cpu.user / CALLS).toFixed(1)}), ${(total / CALLS / 1024).toFixed(1)} KB allocated a call, ${((CALLS / wallMs) * 1000).toFixed(0)} calls/s`);
if (SITES) {
  for (const [site, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(bytes / CALLS).toFixed(0).padStart(7)} B  ${site}`);
}
await budgetStore.releaseAll();
await store.close();
ledger.close();
rmSync(dir, { recursive: true, force: true });
