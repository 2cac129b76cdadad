import { describe, expect, it } from "vitest";
import type { Usage } from "../usage.js";
import { callCostOf, unpricedReason } from "./call-cost.js";
import { costOf } from "./cost.js";
import { buildPricingTable, resolveModel } from "./resolve.js";

const table = buildPricingTable();
const u = (model: string, input: number, output: number, extra: Partial<Usage> = {}): Usage => ({
  model,
  inputTokens: input,
  cacheReadTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: output,
  reasoningTokens: 0,
  ...extra,
});

describe("callCostOf", () => {
  it("is costOf for a call without sub-inferences", () => {
    const usage = u("claude-sonnet-4-6", 1000, 200, { webSearchRequests: 2 });
    const price = resolveModel(table, "claude-sonnet-4-6");
    if (price === undefined) throw new Error("claude-sonnet-4-6 is not priced");
    expect(callCostOf(usage, table)).toEqual({ price, cost: costOf(usage, price), unpriced: undefined });
  });

  it("bills each advisor iteration at the advisor model's rates, not the executor's", () => {
    // Executor Haiku 4.5 ($1 in / $5 out): 10,000 in + 1,000 out = $0.015.
    // Advisor Opus 4.6 ($5 in / $25 out, cache read $0.50, 1-hour write $10): 20,000 in + 1,500 out
    // + 4,000 cache reads + 2,000 1-hour writes = $0.1 + $0.0375 + $0.002 + $0.02 = $0.1595.
    const advisor = u("claude-opus-4-6", 20_000, 1_500, { cacheReadTokens: 4_000, cacheWrite1hTokens: 2_000 });
    const call = u("claude-haiku-4-5-20251001", 10_000, 1_000, { subInferences: [advisor, advisor] });
    const r = callCostOf(call, table);
    expect(r.unpriced).toBeUndefined();
    expect(r.price?.id).toBe("claude-haiku-4.5");
    expect(r.cost).toBe(15_000_000 + 2 * 159_500_000);
    // At the executor's rates the advisor would have cost far less: the difference is real money.
    const haiku = r.price;
    if (haiku === undefined) throw new Error("claude-haiku-4-5 is not priced");
    expect(r.cost).toBeGreaterThan(costOf(u(call.model, 10_000 + 2 * 26_000, 1_000 + 2 * 1_500), haiku));
  });

  it("names an advisor model it cannot price (never zero, never the executor's) and sums what it can", () => {
    const call = u("claude-sonnet-4-6", 1000, 0, { subInferences: [u("claude-advisor-x", 5000, 500), u("claude-opus-4-6", 1000, 0)] });
    const r = callCostOf(call, table);
    expect(r.unpriced).toBe("claude-advisor-x");
    // Sonnet 4.6 1000 × $3/M + Opus 4.6 1000 × $5/M: the priced parts only.
    expect(r.cost).toBe(3_000_000 + 5_000_000);
    expect(callCostOf(u("claude-sonnet-4-6", 1, 0, { subInferences: [u("", 1, 1)] }), table).unpriced).toBe("");
  });

  it("prices nothing when the call's own model is unknown", () => {
    expect(callCostOf(u("no-such-model", 1000, 1000, { subInferences: [u("claude-opus-4-6", 1, 1)] }), table)).toEqual({ price: undefined, cost: 0, unpriced: "no-such-model" });
  });

  describe("web searches on a model whose entry has no search rate", () => {
    const custom = buildPricingTable([
      { id: "my-router-model", provider: "other", input: 2, output: 8, source: "aegis.yaml", checked: "config", origin: "config" },
      { id: "my-searcher", provider: "other", input: 2, output: 8, webSearchPer1k: 25, source: "aegis.yaml", checked: "config", origin: "config" },
    ]);

    it("reports them as unpriced (the tokens are still summed) and names the fix", () => {
      const usage = u("my-router-model-v2", 1000, 100, { webSearchRequests: 3 });
      const r = callCostOf(usage, custom);
      // 1000 × $2/M + 100 × $8/M = $0.0028: the tokens only, the searches are not priced at zero silently.
      expect(r.cost).toBe(2_800_000);
      expect(r.unpriced).toBeUndefined();
      expect(r.unpricedSearches).toEqual({ model: "my-router-model-v2", price: custom.get("my-router-model") });
      const reason = unpricedReason(usage, r) ?? "";
      expect(reason).toMatch(/^Web searches on "my-router-model-v2" \(priced as "my-router-model"\) have no price: its pricing entry has no web_search_per_1k, so the call is blocked rather than billing its searches as zero\./);
      expect(reason).toContain("Set pricing.my-router-model.web_search_per_1k in aegis.yaml (USD per 1,000 searches), or provider: anthropic");
      expect(reason).toContain("    my-router-model: { input: 2, output: 8, web_search_per_1k: 10 }");
    });

    it("bills them at the entry's own rate when it has one, and a call without searches is fully priced", () => {
      // 1000 × $2/M + 100 × $8/M + 4 × $25/1k = $0.0028 + $0.1.
      const r = callCostOf(u("my-searcher", 1000, 100, { webSearchRequests: 4 }), custom);
      expect(r).toEqual({ price: custom.get("my-searcher"), cost: 102_800_000, unpriced: undefined });
      expect(r).not.toHaveProperty("unpricedSearches");
      expect(unpricedReason(u("my-router-model", 1, 1), callCostOf(u("my-router-model", 1, 1), custom))).toBeUndefined();
    });

    it("names a sub-inference's unpriced searches; an unknown model outranks them", () => {
      const call = u("claude-sonnet-4-6", 1000, 0, { subInferences: [u("my-router-model", 10, 0, { webSearchRequests: 1 })] });
      const r = callCostOf(call, custom);
      expect(r.unpricedSearches?.model).toBe("my-router-model");
      expect(unpricedReason(call, r)).toMatch(/^This claude-sonnet-4-6 call ran a sub-inference \(an advisor\) on another model\. Web searches on "my-router-model" have no price/);
      const both = u("my-router-model", 1, 0, { webSearchRequests: 1, subInferences: [u("no-such-advisor", 1, 1)] });
      expect(unpricedReason(both, callCostOf(both, custom))).toMatch(/Unknown model "no-such-advisor"/);
    });
  });
});
