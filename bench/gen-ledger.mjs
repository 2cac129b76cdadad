#!/usr/bin/env node
// Generates a large, realistic session ledger (the line format of src/ledger/entry.ts) for the R1
// report benchmark: `node bench/gen-ledger.mjs --lines 1000000 --out /tmp/big.jsonl`.
// Deterministic (seeded), so two runs with the same flags write byte-identical files.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const AGENTS = {
  orchestrator: { parent: null, budget_usd: 500 },
  researcher: { parent: "orchestrator", budget_usd: 200 },
  writer: { parent: "orchestrator", budget_usd: 150 },
  reviewer: { parent: "orchestrator", budget_usd: 100 },
  "web-searcher": { parent: "researcher", budget_usd: 50 },
};
const AGENT_IDS = Object.keys(AGENTS);
// model → [provider, input $/M, output $/M]
const MODELS = {
  "gpt-4o": ["openai", 2.5, 10],
  "gpt-4o-mini": ["openai", 0.15, 0.6],
  "claude-sonnet-4": ["anthropic", 3, 15],
  "claude-haiku-4-5": ["anthropic", 1, 5],
  "gemini-2.5-flash": ["gemini", 0.3, 2.5],
};
const MODEL_IDS = Object.keys(MODELS);

// mulberry32: a tiny seeded PRNG so the file is reproducible.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand, n) {
  let s = "";
  while (s.length < n) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, "0");
  return s.slice(0, n);
}

function uuid(rand) {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

/** Writes a ledger of `lines` lines (across `sessions` sessions) to `out`; resolves to its stats. */
export async function generateLedger({ lines, out, sessions = 20, seed = 1, start = "2026-03-01T00:00:00.000Z" }) {
  const rand = prng(seed);
  const stream = createWriteStream(out);
  let buffered = "";
  let written = 0;
  let bytes = 0;
  const emit = async (obj) => {
    buffered += `${JSON.stringify(obj)}\n`;
    written++;
    if (buffered.length > 1 << 20) {
      bytes += Buffer.byteLength(buffered);
      if (!stream.write(buffered)) await once(stream, "drain");
      buffered = "";
    }
  };
  const perSession = Math.max(3, Math.floor(lines / sessions));
  let t = Date.parse(start);
  let expectedNanos = 0;
  let expectedCalls = 0;
  for (let s = 0; s < sessions && written < lines; s++) {
    const sessionId = uuid(rand);
    const base = { v: 1, ts: "", session_id: sessionId };
    const stamp = () => new Date((t += 1 + Math.floor(rand() * 2000))).toISOString();
    await emit({
      ...base, type: "session_start", ts: stamp(), command: ["node", "agent.js"], config_path: "aegis.yaml",
      config_digest: hex(rand, 64),
      limits: { budget_usd: 500, per_call_limit_usd: 2, per_session_limit_usd: 100, daily_budget_usd: 200, per_minute_tokens: 1000000, alert_threshold: 0.8, on_exceed: "block" },
      agents: AGENTS, default_agent: "orchestrator",
    });
    let cumulative = 0;
    let calls = 0;
    let blocked = 0;
    let warned = 0;
    const last = s === sessions - 1 ? lines - 1 : written + perSession - 2;
    while (written < last) {
      const agent = AGENT_IDS[Math.floor(rand() * AGENT_IDS.length)];
      const model = MODEL_IDS[Math.floor(rand() * MODEL_IDS.length)];
      const [provider, inRate, outRate] = MODELS[model];
      const input = 100 + Math.floor(rand() * 20000);
      const output = 10 + Math.floor(rand() * 4000);
      const cacheRead = rand() < 0.3 ? Math.floor(input / 2) : 0;
      const nanos = Math.round(((input - cacheRead) * inRate + cacheRead * inRate * 0.5 + output * outRate)) * 1000;
      const r = rand();
      const action = r < 0.02 ? "block" : r < 0.05 ? "warn" : "allow";
      if (action !== "block") {
        cumulative += nanos;
        expectedNanos += nanos;
        calls++;
        expectedCalls++;
      }
      if (action === "block") blocked++;
      if (action === "warn") warned++;
      await emit({
        ...base, type: "decision", ts: stamp(), id: uuid(rand), agent, model, priced_as: model, provider, source: "proxy",
        action, dimension: action === "allow" ? "none" : action === "block" ? "per_call" : "daily",
        reason: action === "allow" ? "" : action === "block" ? "Call cost $2.1000 would exceed per-call limit $2.0000" : "Daily spend at 81% of $200.0000",
        tokens: { input, cache_read: cacheRead, cache_write_5m: 0, cache_write_1h: 0, output, reasoning: 0 },
        cost_usd: nanos / 1e9, cost_nanos: nanos, cumulative_usd: cumulative / 1e9,
      });
    }
    await emit({
      ...base, type: "session_end", ts: stamp(), exit_code: 0, signal: null, stopped_reason: null,
      totals: { spent_usd: cumulative / 1e9, spent_nanos: cumulative, calls, blocked, warned },
    });
  }
  bytes += Buffer.byteLength(buffered);
  stream.end(buffered);
  await once(stream, "finish");
  return { lines: written, bytes, spentNanos: expectedNanos, calls: expectedCalls };
}

function parseArgs(argv) {
  const args = { lines: 1_000_000, out: "", sessions: 20, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--lines") args.lines = Number(value);
    else if (flag === "--out") args.out = value ?? "";
    else if (flag === "--sessions") args.sessions = Number(value);
    else if (flag === "--seed") args.seed = Number(value);
    else throw new Error(`unknown flag ${flag}`);
    i++;
  }
  if (!args.out || !Number.isInteger(args.lines) || args.lines < 3) {
    throw new Error("usage: gen-ledger.mjs --lines <n ≥ 3> --out <file> [--sessions <n>] [--seed <n>]");
  }
  return args;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const stats = await generateLedger(args);
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}
