import { describe, expect, it } from "vitest";
import type { ModelPrice } from "../core/pricing/types.js";
import type { Decision } from "../core/policy/types.js";
import { blockMessage, worstCaseUsage } from "./admission.js";
import { DEFAULT_MAX_OUTPUT_TOKENS } from "./estimate.js";
import { costOf } from "../core/pricing/cost.js";
import { buildPricingTable, resolveModel } from "../core/pricing/resolve.js";
import { createGovernor } from "../core/policy/index.js";
import { usdToNanos } from "../core/money.js";
import { anthropicAdapter } from "./providers/anthropic.js";

const price = (p: Partial<ModelPrice>): ModelPrice => ({ id: "m", provider: "anthropic", input: 3, output: 15, source: "test", checked: "2026-01-01", origin: "builtin", ...p });
const call = { requested: 100, choices: 1, billsOutput: true, cacheWrites: "none" as const };

describe("worstCaseUsage", () => {
  it("puts the prompt bound in the input bucket when no cache write can happen", () => {
    expect(worstCaseUsage("m", price({ cacheWrite5m: 3.75, cacheWrite1h: 6 }), 500, call)).toMatchObject({ inputTokens: 500, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 100 });
  });

  it("uses the dearest write bucket the request allows", () => {
    const p = price({ cacheWrite5m: 3.75, cacheWrite1h: 6 });
    expect(worstCaseUsage("m", p, 500, { ...call, cacheWrites: "5m" })).toMatchObject({ inputTokens: 0, cacheWrite5mTokens: 500 });
    expect(worstCaseUsage("m", p, 500, { ...call, cacheWrites: "1h" })).toMatchObject({ inputTokens: 0, cacheWrite1hTokens: 500 });
    // A model without write rates bills writes at the input rate: plain input is as dear.
    expect(worstCaseUsage("m", price({}), 500, { ...call, cacheWrites: "1h" })).toMatchObject({ inputTokens: 500 });
  });

  it("bounds output by the model's limit, the default when unknown, and none for embeddings", () => {
    expect(worstCaseUsage("m", price({ maxOutputTokens: 64 }), 1, call).outputTokens).toBe(64);
    expect(worstCaseUsage("m", undefined, 1, { ...call, requested: undefined }).outputTokens).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
    expect(worstCaseUsage("m", undefined, 1, { ...call, billsOutput: false }).outputTokens).toBe(0);
  });
});

describe("worstCaseUsage with server-side web searches", () => {
  const pricing = buildPricingTable();
  const sonnet = resolveModel(pricing, "claude-sonnet-4");

  it("counts the searches the request allows, priced at $10 per 1,000 on top of the tokens", () => {
    if (sonnet === undefined) throw new Error("claude-sonnet-4 is not priced");
    const tokensOnly = worstCaseUsage("claude-sonnet-4", sonnet, 1000, { ...call, requested: 200 });
    const searching = worstCaseUsage("claude-sonnet-4", sonnet, 1000, { ...call, requested: 200, webSearches: 5 });
    expect(tokensOnly).not.toHaveProperty("webSearchRequests");
    expect(searching.webSearchRequests).toBe(5);
    // 1000 × $3/M + 200 × $15/M = $0.006; 5 searches add $0.05.
    expect(costOf(tokensOnly, sonnet)).toBe(6_000_000);
    expect(costOf(searching, sonnet)).toBe(56_000_000);
    expect(worstCaseUsage("claude-sonnet-4", sonnet, 1000, { ...call, webSearches: 0 })).not.toHaveProperty("webSearchRequests");
  });

  it("lets the per-call limit block a call whose searches alone exceed it, from the request's own tools", async () => {
    const governor = createGovernor({ sessionId: "s", limits: { alertThreshold: 1, onExceed: "block", loop: { windowSeconds: 60, threshold: 100 }, perCall: usdToNanos(0.05) }, agents: [], pricing, clock: () => 0 });
    // The admission path of the proxy: the adapter's facts → worst case → governor.
    const admit = (tools: unknown[] | undefined) => {
      const body = { model: "claude-sonnet-4", max_tokens: 10, messages: [{ role: "user", content: "hi" }], ...(tools !== undefined ? { tools } : {}) };
      const raw = Buffer.from(JSON.stringify(body));
      const f = anthropicAdapter.inspect({ action: "meter", kind: "messages" }, body, raw);
      const estimate = worstCaseUsage("claude-sonnet-4", sonnet, raw.length, { requested: f.maxOutputTokens, choices: f.choices, billsOutput: f.billsOutput, cacheWrites: f.cacheWrites, webSearches: f.webSearches });
      return governor.admit({ usage: estimate, fingerprint: JSON.stringify(tools ?? null) });
    };
    // Tokens alone are far below $0.05: allowed.
    expect((await admit(undefined)).decision.action).toBe("allow");
    // max_uses 6 → $0.06 of searches alone: over the limit before any token.
    const six = await admit([{ type: "web_search_20250305", name: "web_search", max_uses: 6 }]);
    expect(six.decision).toMatchObject({ action: "block", dimension: "per_call" });
    expect(six.reservationId).toBeUndefined();
    // No max_uses: the default bound of 10 searches ($0.10) blocks too.
    expect((await admit([{ type: "web_search_20260209", name: "web_search" }])).decision).toMatchObject({ action: "block", dimension: "per_call" });
    // max_uses 2 → $0.02 + tokens: allowed.
    expect((await admit([{ type: "web_search_20250305", name: "web_search", max_uses: 2 }])).decision.action).toBe("allow");
  });
});

describe("worstCaseUsage with advisor tools", () => {
  const pricing = buildPricingTable();
  const sonnet = resolveModel(pricing, "claude-sonnet-4-6");
  const opus = { model: "claude-opus-4-6", uses: 3, maxOutputTokens: 1000, cacheWrites: "none" as const };

  it("adds one sub-inference per advisor tool: n runs each reading the transcript so far and writing up to their cap", () => {
    const w = worstCaseUsage("claude-sonnet-4-6", sonnet, 1000, { ...call, requested: 500, subInferences: [opus] });
    // Transcript = 1000 prompt + 500 executor output; runs read 1500, 2500, 3500 and write 1000 each.
    expect(w.subInferences).toEqual([{ model: "claude-opus-4-6", inputTokens: 7500, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 3000, reasoningTokens: 0 }]);
    expect(worstCaseUsage("m", sonnet, 1000, { ...call, subInferences: [{ ...opus, cacheWrites: "1h" }] }).subInferences?.[0]).toMatchObject({ inputTokens: 0, cacheWrite1hTokens: 3 * 1100 + 3000 });
    expect(worstCaseUsage("m", sonnet, 1000, { ...call, subInferences: [{ ...opus, maxOutputTokens: undefined, uses: 1 }] }).subInferences?.[0]?.outputTokens).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
    expect(worstCaseUsage("m", sonnet, 1000, { ...call, subInferences: [{ ...opus, uses: 0 }] })).not.toHaveProperty("subInferences");
    expect(worstCaseUsage("m", sonnet, 1000, { ...call, subInferences: [{ ...opus, uses: 1e12 }] }).subInferences?.[0]?.outputTokens).toBe(1_000_000);
  });

  it("prices the advisor at its own model, lets limits refuse it, and refuses an advisor model aegis cannot price", async () => {
    const governor = createGovernor({ sessionId: "s", limits: { alertThreshold: 1, onExceed: "block", loop: { windowSeconds: 60, threshold: 100 }, perCall: usdToNanos(0.2) }, agents: [], pricing, clock: () => 0 });
    const admit = (tools: unknown[]) => {
      const body = { model: "claude-sonnet-4-6", max_tokens: 500, tools, messages: [{ role: "user", content: "plan" }] };
      const raw = Buffer.from(JSON.stringify(body));
      const f = anthropicAdapter.inspect({ action: "meter", kind: "messages" }, body, raw);
      const estimate = worstCaseUsage("claude-sonnet-4-6", sonnet, raw.length, { requested: f.maxOutputTokens, choices: f.choices, billsOutput: f.billsOutput, cacheWrites: f.cacheWrites, subInferences: f.subInferences });
      return governor.admit({ usage: estimate, fingerprint: JSON.stringify(tools) });
    };
    // One Opus run capped at 1,000 tokens: well under $0.20.
    expect((await admit([{ type: "advisor_20260301", name: "advisor", model: "claude-opus-4-6", max_uses: 1, max_tokens: 1000 }])).decision.action).toBe("allow");
    // Ten runs of up to 1,000 Opus tokens ($0.025 each in output alone) exceed it.
    expect((await admit([{ type: "advisor_20260301", name: "advisor", model: "claude-opus-4-6", max_tokens: 1000 }])).decision).toMatchObject({ action: "block", dimension: "per_call" });
    // An advisor model with no price: refused before the call, naming it.
    const unknown = await admit([{ type: "advisor_20260301", name: "advisor", model: "claude-advisor-x", max_uses: 1 }]);
    expect(unknown.decision).toMatchObject({ action: "block", dimension: "unknown_model" });
    expect(unknown.decision.reason).toContain('Unknown model "claude-advisor-x"');
    expect(unknown.reservationId).toBeUndefined();
  });
});

describe("blockMessage", () => {
  const decision = (dimension: Decision["dimension"], reason: string): Decision => ({ action: "block", dimension, reason, cost: 0, cumulative: 0, fatal: false, alerts: [] });

  it("names the limit and the spend (the reason) and what to change", () => {
    const m = blockMessage(decision("per_session", "Session spend $5.1200 would exceed per-session limit $5.0000"));
    expect(m).toBe(
      "aegis blocked this call: Session spend $5.1200 would exceed per-session limit $5.0000. The proxy counts this call at its worst case, $0.0000 (the prompt's size and the output limit: max_tokens, else the model's maximum); a lower max_tokens reserves less. Raise cost.per_session_limit_usd in aegis.yaml to let one run spend more.",
    );
    expect(blockMessage(decision("budget", "Total spend $1.0000 would exceed budget $0.5000"))).toContain("cost.budget_usd");
    expect(blockMessage(decision("loop", "Loop detected: 5 identical calls"))).toContain("loop_detection");
  });

  it("keeps a reason's own full stop (no '..') and names the worst case of budget blocks only", () => {
    const unknown = blockMessage(decision("unknown_model", 'Unknown model "x".\nRun "aegis pricing list" to see the models aegis knows.'));
    expect(unknown).toMatch(/models aegis knows\.$/);
    expect(unknown).not.toContain("..");
    const agent = blockMessage({ ...decision("agent_budget", "Agent a spend $0.1641 would exceed its budget $0.0100"), cost: 164_060_000 });
    expect(agent).toContain("worst case, $0.1641");
    expect(agent).toContain("max_tokens");
    expect(blockMessage(decision("loop", "Loop detected: 5 identical calls"))).not.toContain("worst case");
  });
});
