// End-to-end: `aegis run -- node <agent using an official SDK>` with the SDK configured only by the
// environment aegis run sets. The proxy forwards to a fake upstream (proxy.<provider>.upstream, or
// the parent's base-URL variable); the ledger gets the usage, cost and agent of every call.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildPricingTable, resolveModel } from "../../src/core/pricing/resolve.js";
import { costOf } from "../../src/core/pricing/cost.js";
import type { DecisionLine, SessionEndLine } from "../../src/ledger/entry.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream.js";
import { AGENTS, jsonLines, runAegis, scratch } from "../helpers/run-aegis.js";

const OPENAI_KEY = "sk-proj-TESTSECRET0123456789abcdefghij";
const ANTHROPIC_KEY = "sk-ant-api03-TESTSECRET0123456789abcdef";
const GEMINI_KEY = "AIzaSyTESTSECRET0123456789abcdefghijk";
const ENV = { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY, GEMINI_API_KEY: GEMINI_KEY };
const pricing = buildPricingTable();

let fake: FakeUpstream;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

interface Step {
  step: string;
  text?: string;
  error?: { status: number | null; message: string; code?: string | null; type?: string | null };
}

const proxyConfig = (extra = "") =>
  `proxy:\n  openai: { upstream: "${fake.url}/v1" }\n  anthropic: { upstream: "${fake.url}" }\n  gemini: { upstream: "${fake.url}" }\n${extra}`;
const agent = (file: string, ...steps: string[]) => [process.execPath, join(AGENTS, file), ...steps];
const decisions = (r: { ledger: { type: string }[] }) => r.ledger.filter((l): l is DecisionLine => l.type === "decision");

// The cost the ledger must show for `tokens` of `model`.
function expectedCost(model: string, t: { input: number; cache_read?: number; cache_write_5m?: number; cache_write_1h?: number; output: number; reasoning?: number }): number {
  const price = resolveModel(pricing, model);
  if (price === undefined) throw new Error(`no price for ${model}`);
  return costOf({ model, inputTokens: t.input, cacheReadTokens: t.cache_read ?? 0, cacheWrite5mTokens: t.cache_write_5m ?? 0, cacheWrite1hTokens: t.cache_write_1h ?? 0, outputTokens: t.output, reasoningTokens: t.reasoning ?? 0 }, price);
}

function expectNoSecrets(r: { stderr: string; stdout: string; ledgerPath: string }): void {
  const ledger = readFileSync(r.ledgerPath, "utf8");
  for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, "key="]) {
    expect(ledger).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

describe("aegis run + official SDKs through the proxy", () => {
  it("OpenAI: chat, streamed chat, Responses (both), embeddings — text, usage, cost and agent", async () => {
    fake.reset({ usage: { input: 1000, cached: 200, output: 300, reasoning: 100 }, text: "Hello, governed world." });
    const config = proxyConfig("agents:\n  orchestrator: {}\n  researcher: { parent: orchestrator }\n");
    const r = await runAegis({ dir, config, env: ENV, agent: agent("openai-sdk-agent.mjs", "chat", "chat-as-researcher", "chat-stream", "responses", "responses-stream", "embeddings") });
    expect(r.code, r.stderr).toBe(0);
    const steps = jsonLines<Step>(r.stdout);
    expect(steps.map((s) => s.text ?? s.error?.message)).toEqual([
      "Hello, governed world.",
      "Hello, governed world.",
      "Hello, governed world.",
      "Hello, governed world.",
      "Hello, governed world.",
      "2 vectors",
    ]);
    const chat = { input: 1000, cache_read: 200, cache_write_5m: 0, cache_write_1h: 0, output: 300, reasoning: 100 };
    const emb = { input: 1000, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 0, reasoning: 0 };
    const expected: [string, string, typeof chat][] = [
      ["gpt-4o", "orchestrator", chat],
      ["gpt-4o", "researcher", chat],
      ["gpt-4o-mini", "orchestrator", chat],
      ["o3", "orchestrator", chat],
      ["o3", "orchestrator", chat],
      ["text-embedding-3-small", "orchestrator", emb],
    ];
    const ds = decisions(r);
    expect(ds.map((d) => [d.model, d.agent, d.tokens])).toEqual(expected);
    expect(ds.map((d) => d.cost_nanos)).toEqual(expected.map(([m, , t]) => expectedCost(m, t)));
    expect(ds.every((d) => d.source === "proxy" && d.action === "allow" && d.estimated === undefined)).toBe(true);
    expect(ds[0]?.cost_nanos).toBe(5_750_000); // 800×$2.50 + 200×$1.25 + 300×$10 per million
    const end = r.ledger.at(-1) as SessionEndLine;
    expect(end.totals.calls).toBe(6);
    expectNoSecrets(r);
  });

  it("Anthropic: messages and streamed messages — cache buckets, cumulative output", async () => {
    fake.reset({ usage: { input: 120, cached: 3000, cacheWrite: 800, cacheWrite1h: 400, output: 150 }, text: "Bonjour." });
    const r = await runAegis({ dir, config: proxyConfig(), env: ENV, agent: agent("anthropic-sdk-agent.mjs", "messages", "messages-stream") });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines<Step>(r.stdout).map((s) => s.text ?? s.error?.message)).toEqual(["Bonjour.", "Bonjour."]);
    const t = { input: 120, cache_read: 3000, cache_write_5m: 800, cache_write_1h: 400, output: 150, reasoning: 0 };
    const ds = decisions(r);
    expect(ds.map((d) => [d.model, d.tokens, d.cost_nanos])).toEqual([
      ["claude-haiku-4-5", t, expectedCost("claude-haiku-4-5", t)],
      ["claude-haiku-4-5", t, expectedCost("claude-haiku-4-5", t)],
    ]);
    expectNoSecrets(r);
  });

  it("Gemini: generateContent, streamGenerateContent and a key in the query; upstream from the parent's GOOGLE_GEMINI_BASE_URL", async () => {
    fake.reset({ usage: { input: 700, cached: 300, output: 250, reasoning: 100 }, text: "Hallo." });
    const config = `proxy:\n  openai: { upstream: "${fake.url}/v1" }\n`;
    const r = await runAegis({ dir, config, env: { ...ENV, GOOGLE_GEMINI_BASE_URL: fake.url }, agent: agent("gemini-sdk-agent.mjs", "generate", "generate-stream", "generate-key-in-query") });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines<Step>(r.stdout).map((s) => s.text ?? s.error?.message)).toEqual(["Hallo.", "Hallo.", "Hallo."]);
    const t = { input: 700, cache_read: 300, cache_write_5m: 0, cache_write_1h: 0, output: 250, reasoning: 100 };
    expect(decisions(r).map((d) => [d.model, d.tokens, d.cost_nanos])).toEqual(Array(3).fill(["gemini-2.5-flash", t, expectedCost("gemini-2.5-flash", t)]));
    expect(fake.requests.some((q) => q.url.includes(`key=${GEMINI_KEY}`))).toBe(true);
    expectNoSecrets(r);
  });

  it("blocks: each SDK raises an error with the aegis message, without retrying; the upstream is never hit", async () => {
    fake.reset();
    const config = proxyConfig("cost: { per_call_limit_usd: 0.000001 }\n");
    const dirs = [scratch(), scratch(), scratch()];
    const runs = await Promise.all([
      runAegis({ dir: dirs[0]?.dir ?? dir, config, env: ENV, agent: agent("openai-sdk-agent.mjs", "chat", "chat-stream") }),
      runAegis({ dir: dirs[1]?.dir ?? dir, config, env: ENV, agent: agent("anthropic-sdk-agent.mjs", "messages") }),
      runAegis({ dir: dirs[2]?.dir ?? dir, config, env: ENV, agent: agent("gemini-sdk-agent.mjs", "generate-stream") }),
    ]).finally(() => dirs.forEach((d) => d.cleanup()));
    for (const r of runs) {
      const steps = jsonLines<Step>(r.stdout);
      expect(r.code, r.stderr).toBe(0);
      expect(steps.length, r.stderr).toBeGreaterThan(0);
      for (const s of steps) {
        expect(s.error?.status).toBe(402);
        expect(s.error?.message).toMatch(/aegis blocked this call: Call cost \$[\d.]+ exceeds per-call limit \$0\.0000\. Raise cost\.per_call_limit_usd/);
      }
      expect(decisions(r).every((d) => d.action === "block" && d.dimension === "per_call")).toBe(true);
      expect(decisions(r)).toHaveLength(steps.length);
    }
    expect(jsonLines<Step>(runs[0]?.stdout ?? "")[0]?.error?.code).toBe("aegis_budget_exceeded");
    expect(jsonLines<Step>(runs[1]?.stdout ?? "")[0]?.error?.type).toBe("billing_error");
    expect(fake.hits).toBe(0);
  });

  it("a fatal block (budget) then stops the agent: exit 124", async () => {
    fake.reset();
    const r = await runAegis({ dir, config: proxyConfig("cost: { budget_usd: 0.000001 }\n"), env: ENV, agent: agent("openai-sdk-agent.mjs", "chat") });
    expect(r.code).toBe(124);
    expect(decisions(r)[0]).toMatchObject({ action: "block", dimension: "budget" });
    expect(fake.hits).toBe(0);
  });

  it("50 parallel calls with a budget for 5: spend never exceeds the budget, the others are refused", async () => {
    fake.reset({ usage: { input: 10, output: 1000 }, latencyMs: 50 });
    // gpt-4o worst case per call ≈ prompt bytes + 1,000 output tokens ≈ $0.0102: $0.0525 fits 5.
    const r = await runAegis({ dir, config: proxyConfig("cost: { budget_usd: 0.0525 }\nrun: { kill_on: never }\n"), env: ENV, agent: agent("openai-sdk-agent.mjs", "parallel50") });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines<Step>(r.stdout)[0]?.text).toBe("5 ok, 45 blocked");
    expect(fake.hits).toBe(5);
    const ds = decisions(r);
    const spent = ds.filter((d) => d.action !== "block").reduce((s, d) => s + d.cost_nanos, 0);
    expect(spent).toBeLessThanOrEqual(52_500_000);
    expect(ds.filter((d) => d.action === "block").map((d) => d.dimension)).toEqual(Array(45).fill("budget"));
  });

  it("blocks caused only by calls in flight refuse those calls but do not stop the agent (kill_on: fatal)", async () => {
    fake.reset({ usage: { input: 10, output: 1000 }, latencyMs: 50 });
    // Five worst cases fill the session limit while nothing is spent yet: the budget is not
    // exhausted, so the other 45 calls get 402 and the agent runs on to its own exit.
    const r = await runAegis({ dir, config: proxyConfig("cost: { per_session_limit_usd: 0.0525 }\n"), env: ENV, agent: agent("openai-sdk-agent.mjs", "parallel50") });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines<Step>(r.stdout)[0]?.text).toBe("5 ok, 45 blocked");
    const ds = decisions(r);
    expect(ds.filter((d) => d.action === "block").map((d) => d.dimension)).toEqual(Array(45).fill("per_session"));
    expect(r.stderr).not.toContain("stopping the agent");
  });

  it("on_exceed: warn — a proxied call over a limit goes through and the reason is said on stderr (the agent never sees the decision)", async () => {
    fake.reset({ usage: { input: 1000, output: 300 } });
    const r = await runAegis({ dir, config: proxyConfig("cost: { per_call_limit_usd: 0.000001, on_exceed: warn }\n"), env: ENV, agent: agent("openai-sdk-agent.mjs", "chat") });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.hits).toBe(1);
    expect(decisions(r)[0]).toMatchObject({ action: "warn", dimension: "per_call" });
    expect(r.stderr).toMatch(/aegis: limit exceeded \(on_exceed: warn\): Call cost \$0\.\d{4} exceeds per-call limit \$0\.0000/);
  });

  it("an agent that leaves mid-stream (exits) is still billed the stream's real usage before the session ends", async () => {
    fake.reset({ usage: { input: 55, output: 89 }, chunks: 6, chunkDelayMs: 60 });
    const r = await runAegis({ dir, config: proxyConfig(), env: ENV, agent: agent("gemini-sdk-agent.mjs", "stream-then-exit") });
    expect(r.code, r.stderr).toBe(0);
    const ds = decisions(r);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ action: "allow", tokens: { input: 55, output: 89 } });
    expect(ds[0]?.estimated).toBeUndefined();
    expect(fake.streamsCompleted).toBe(1);
    expect(r.ledger.at(-1)?.type).toBe("session_end");
  });
});
