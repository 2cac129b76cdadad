#!/usr/bin/env node
// The load generator, run as the governed agent: `aegis run -- node bench/agent-loadgen.mjs <spec.json>`.
// It reads what aegis gave it (AEGIS_URL, AEGIS_TOKEN, OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
// GOOGLE_GEMINI_BASE_URL), drives the scenarios named in the spec against the mock (direct), aegis
// (via) and the peer gateway, samples aegis's memory (its pid is this process's parent), and writes
// the figures to spec.out. bench/run.mjs writes the spec and starts everything.
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fetchText } from "./lib/http.mjs";
import { commandLine, readRss, rssSampler } from "./lib/rss.mjs";
import { m1, m2 } from "./scenarios/meter.mjs";
import { p1, p2, p3 } from "./scenarios/proxy.mjs";
import { s1 } from "./scenarios/stream.mjs";
import { x1 } from "./scenarios/memory.mjs";
import { usageRoutes } from "./scenarios/usage.mjs";

const SCENARIOS = { S3: usageRoutes, P1: p1, S1: s1, M1: m1, P2: p2, M2: m2, P3: p3, X1: x1 };

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const env = {
  aegisUrl: process.env.AEGIS_URL,
  token: process.env.AEGIS_TOKEN,
  openaiBase: process.env.OPENAI_BASE_URL,
  anthropicBase: process.env.ANTHROPIC_BASE_URL,
  geminiBase: process.env.GOOGLE_GEMINI_BASE_URL,
};
if (!env.aegisUrl || !env.token || !env.openaiBase) {
  process.stderr.write("agent-loadgen: run me under `aegis run --` (AEGIS_URL, AEGIS_TOKEN, OPENAI_BASE_URL missing)\n");
  process.exit(2);
}

const counts = {};
const aegisPid = process.ppid;
const ctx = {
  env,
  aegisPid,
  mockUrl: spec.mockUrl,
  // The metering API's floor server (/null), on aegis's CPU.
  nullUrl: spec.nullUrl ?? spec.mockUrl,
  peerUrl: spec.peerUrl,
  floorUrl: spec.floorUrl,
  // The bare proxy's pid (P3 measures its CPU per call beside aegis's).
  floorPid: spec.floorPid ?? null,
  counts: spec.counts,
  log: (line) => process.stderr.write(`[bench] ${line}\n`),
  // Answers by arm and status class: the harness matches them against the ledger.
  wrk: spec.wrk === true,
  count(arm, status, n = 1) {
    const c = (counts[arm] ??= { ok: 0, other: 0 });
    if (status >= 200 && status < 300) c.ok += n;
    else c.other += n;
  },
  async mock(knobs) {
    const r = await fetchText(undefined, `${spec.mockUrl}/_mock/config`, { body: JSON.stringify(knobs) });
    if (r.status !== 200) throw new Error(`mock config failed: ${r.status}`);
  },
};

const results = { aegis_pid: aegisPid, aegis_cmdline: commandLine(aegisPid), scenarios: {}, rss: {} };
// Idle: aegis is listening and this agent has started; nothing has been sent yet.
await sleep(spec.idleWaitMs ?? 1000);
results.rss.idle = readRss(aegisPid);

for (const id of Object.keys(SCENARIOS)) {
  if (!spec.scenarios.includes(id)) continue;
  const sampler = rssSampler(aegisPid);
  const started = performance.now();
  ctx.log(`${id} …`);
  try {
    results.scenarios[id] = await SCENARIOS[id](ctx);
  } catch (error) {
    results.scenarios[id] = { error: String(error?.stack ?? error) };
    ctx.log(`${id} failed: ${error?.message ?? error}`);
  }
  results.scenarios[id].seconds = Math.round(performance.now() - started) / 1000;
  results.rss[id] = sampler.stop();
}

// After load: give aegis a moment, then its resident and peak memory.
await sleep(spec.afterWaitMs ?? 2000);
results.rss.after = readRss(aegisPid);
results.counts = counts;
writeFileSync(spec.out, JSON.stringify(results, null, 2));
ctx.log("load generator done");
