import { describe, expect, it } from "vitest";
import { costOf, describeUnknownModel, ratesFor } from "./cost.js";
import { buildPricingTable, resolveModel } from "./resolve.js";
import type { ModelPrice } from "./types.js";
import { usageFromPromptInclusive, type Usage } from "../usage.js";
import { usageFromAnthropic, usageFromGemini } from "../usage-converters.js";
import { formatUsd, usdToNanos } from "../money.js";

const table = buildPricingTable();
function price(model: string): ModelPrice {
  const p = resolveModel(table, model);
  if (p === undefined) throw new Error(`no price for ${model}`);
  return p;
}
function usage(model: string, fields: Partial<Usage>): Usage {
  return { model, inputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0, ...fields };
}
const custom = (p: Partial<ModelPrice>): ModelPrice => ({ id: "x", provider: "other", input: 1, output: 1, source: "test", checked: "2026-08-22", origin: "config", ...p });
// Prompt-inclusive (OpenAI / metering API) counts priced against the built-in table.
const openai = (model: string, prompt: number, completion: number, cached = 0) =>
  costOf(usageFromPromptInclusive({ model, promptTokens: prompt, completionTokens: completion, cachedTokens: cached }), price(model));

describe("costOf: reference goldens", () => {
  it.each<[string, number, number, string]>([
    ["gpt-4o", 1000, 200, "0.0045"],
    ["gpt-4o", 10_000, 10_000, "0.125"],
    ["gpt-4o-mini", 100, 100, "0.000075"],
    ["gpt-4o", 1_000_000, 0, "2.5"],
    ["gpt-4o", 0, 1_000_000, "10"],
    ["gpt-4o-2024-08-06", 1_000_000, 0, "2.5"],
    // (the reference priced 1M Sonnet 4 input at $3; past 200k aegis bills the long-context tier)
    ["claude-sonnet-4-20250514", 100_000, 0, "0.3"],
    // the docs' multi-agent example
    ["gpt-4o", 8000, 2000, "0.04"],
    ["claude-sonnet-4", 5000, 3000, "0.06"],
    ["gpt-4o-mini", 3000, 500, "0.00075"],
  ])("%s %i in / %i out = $%s", (model, input, output, usd) => {
    expect(openai(model, input, output)).toBe(usdToNanos(Number(usd)));
  });

  it("sums the multi-agent example to exactly $0.10075", () => {
    const total = openai("gpt-4o", 8000, 2000) + openai("claude-sonnet-4", 5000, 3000) + openai("gpt-4o-mini", 3000, 500);
    expect(total).toBe(100_750_000);
    expect(formatUsd(total, 5)).toBe("$0.10075");
  });
});

describe("costOf: cache conventions", () => {
  it("OpenAI: 1M prompt of which 500k cached bills 500k fresh at 2.50 and 500k at 1.25", () => {
    expect(openai("gpt-4o", 1_000_000, 0, 500_000)).toBe(usdToNanos(1.875));
    expect(openai("gpt-4o", 1_000_000, 0, 500_000)).toBeLessThan(openai("gpt-4o", 1_000_000, 0));
  });

  it("Anthropic: input excludes the cache; reads 0.1x, 5m writes 1.25x, 1h writes 2x", () => {
    const u = usageFromAnthropic("claude-sonnet-4-20250514", {
      input_tokens: 1000,
      cache_read_input_tokens: 10_000,
      cache_creation_input_tokens: 6000,
      cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 4000 },
      output_tokens: 500,
    });
    // 1000×3 + 10000×0.30 + 2000×3.75 + 4000×6 + 500×15 = 45000 µ$ = $0.045
    expect(costOf(u, price(u.model))).toBe(usdToNanos(0.045));
    // Haiku 4.5 (no long-context tier): 1M tokens of each kind
    const haiku = price("claude-haiku-4-5-20251001");
    expect(costOf(usage("c", { inputTokens: 1_000_000 }), haiku)).toBe(usdToNanos(1));
    expect(costOf(usage("c", { cacheWrite5mTokens: 1_000_000 }), haiku)).toBe(usdToNanos(1.25));
    expect(costOf(usage("c", { cacheWrite1hTokens: 1_000_000 }), haiku)).toBe(usdToNanos(2));
    expect(costOf(usage("c", { cacheReadTokens: 1_000_000 }), haiku)).toBe(usdToNanos(0.1));
  });

  it("Anthropic: a null cache_creation makes every write a 5m write", () => {
    const u = usageFromAnthropic("claude-haiku-4-5", { input_tokens: 100, cache_creation_input_tokens: 1000, cache_creation: null, output_tokens: 0 });
    expect(costOf(u, price(u.model))).toBe(usdToNanos((100 * 1 + 1000 * 1.25) / 1e6));
  });

  it("Gemini: cached inside the prompt, thoughts billed as output, tool-use prompt as input", () => {
    const u = usageFromGemini("gemini-2.5-flash", {
      promptTokenCount: 10_000,
      cachedContentTokenCount: 4000,
      candidatesTokenCount: 1000,
      thoughtsTokenCount: 3000,
      toolUsePromptTokenCount: 500,
    });
    // (6000 + 500)×0.30 + 4000×0.03 + (1000 + 3000)×2.50 = 12070 µ$
    expect(costOf(u, price(u.model))).toBe(usdToNanos(0.01207));
    const noThoughts = usageFromGemini("gemini-2.5-flash", { promptTokenCount: 10_000, cachedContentTokenCount: 4000, candidatesTokenCount: 1000, toolUsePromptTokenCount: 500 });
    expect(costOf(u, price(u.model)) - costOf(noThoughts, price(u.model))).toBe(usdToNanos(3000 * 2.5 / 1e6));
  });

  it("defaults: reads and 5m writes at input, 1h writes at the 5m rate — never at zero", () => {
    const p = custom({ input: 4, output: 8 });
    expect(costOf(usage("x", { cacheReadTokens: 1_000_000 }), p)).toBe(usdToNanos(4));
    expect(costOf(usage("x", { cacheWrite5mTokens: 1_000_000 }), p)).toBe(usdToNanos(4));
    expect(costOf(usage("x", { cacheWrite1hTokens: 1_000_000 }), custom({ input: 4, output: 8, cacheWrite5m: 5 }))).toBe(usdToNanos(5));
    expect(costOf(usage("gpt-5-pro", { cacheReadTokens: 1000 }), price("gpt-5-pro"))).toBe(usdToNanos(0.015));
  });
});

describe("costOf: long-context cliff", () => {
  it.each<[string, Partial<Usage>, number]>([
    // Gemini 2.5 Pro: 200k is still the base tier, one token more bills everything at 2.50 / 15
    ["gemini-2.5-pro", { inputTokens: 200_000, outputTokens: 1000 }, 0.26],
    ["gemini-2.5-pro", { inputTokens: 200_001, outputTokens: 1000 }, 0.5150025],
    ["gemini-2.5-pro", { inputTokens: 150_000, cacheReadTokens: 50_001, outputTokens: 0 }, (150_000 * 2.5 + 50_001 * 0.25) / 1e6],
    // Sonnet 4: the threshold counts input + cache reads + cache writes
    ["claude-sonnet-4", { inputTokens: 140_000, cacheReadTokens: 60_000, outputTokens: 1000 }, 0.453],
    ["claude-sonnet-4", { inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 1000 }, 0.9585],
    ["claude-sonnet-4-5", { inputTokens: 100_000, cacheWrite1hTokens: 100_001 }, (100_000 * 6 + 100_001 * 12) / 1e6],
    // gpt-5.4 above 272k; writes fall back to the tier's input rate
    ["gpt-5.4", { inputTokens: 272_000, outputTokens: 100 }, (272_000 * 2.5 + 100 * 15) / 1e6],
    ["gpt-5.4", { inputTokens: 272_000, cacheWrite5mTokens: 1, outputTokens: 100 }, (272_001 * 5 + 100 * 22.5) / 1e6],
    // no tier: flat whatever the size
    ["claude-sonnet-4.6", { inputTokens: 900_000 }, 2.7],
  ])("%s %j = $%d", (model, fields, usd) => {
    expect(costOf(usage(model, fields), price(model))).toBe(usdToNanos(usd));
  });

  it("picks the tier only above the threshold", () => {
    const p = price("gemini-2.5-pro");
    expect(ratesFor(usage("g", { inputTokens: 200_000 }), p)).toBe(p);
    expect(ratesFor(usage("g", { inputTokens: 200_001 }), p)).toBe(p.longContext);
  });
});

describe("costOf: exact arithmetic", () => {
  it("rounds once, half-up, to the nano-dollar", () => {
    expect(costOf(usage("x", { inputTokens: 1 }), custom({ input: 0.0028 }))).toBe(3);
    expect(costOf(usage("x", { inputTokens: 5 }), custom({ input: 0.0028 }))).toBe(14);
    expect(costOf(usage("x", { inputTokens: 1 }), custom({ input: 0.0025 }))).toBe(3);
    expect(costOf(usage("x", { inputTokens: 1 }), custom({ input: 0.0024 }))).toBe(2);
  });

  it("has no float drift: 0.1 + 0.2 per token is exactly 0.3", () => {
    const p = custom({ input: 0.1, cacheRead: 0.2, output: 0.7 });
    expect(costOf(usage("x", { inputTokens: 1_000_000, cacheReadTokens: 1_000_000 }), p)).toBe(300_000_000);
    expect(costOf(usage("x", { inputTokens: 3, cacheReadTokens: 3, outputTokens: 3 }), p)).toBe(3000);
  });

  it("stays exact for huge counts at huge rates", () => {
    expect(costOf(usage("o1-pro", { outputTokens: 1_000_000_000 }), price("o1-pro"))).toBe(600_000 * 1e9);
  });

  it("refuses counts that are not non-negative integers, naming the field", () => {
    expect(() => costOf(usage("x", { inputTokens: -1 }), custom({}))).toThrow(/usage\.inputTokens/);
    expect(() => costOf(usage("x", { outputTokens: 1.5 }), custom({}))).toThrow(/usage\.outputTokens/);
    expect(() => costOf(usage("x", { cacheReadTokens: Number.NaN }), custom({}))).toThrow(/cacheReadTokens/);
  });
});

describe("describeUnknownModel", () => {
  it("names the model, says it is blocked, and shows a pricing: example for it", () => {
    const text = describeUnknownModel("acme-llm-7");
    expect(text).toContain('"acme-llm-7"');
    expect(text).toMatch(/blocked/);
    expect(text).toContain("pricing:");
    expect(text).toContain("    acme-llm-7: { input: 1.0, output: 4.0, cached: 0.1 }");
    expect(text).toContain("aegis pricing list");
  });

  it("quotes keys YAML would misread, and handles an empty model", () => {
    expect(describeUnknownModel("org/model:v1")).toContain('"org/model:v1": {');
    expect(describeUnknownModel("")).toContain('"my-model": {');
  });
});

describe("costOf: Anthropic server-side web search", () => {
  it("adds exactly $0.01 per search on claude-sonnet-4 ($10 per 1,000, wire-formats.md §2.1)", () => {
    const tokensOnly = costOf(usage("claude-sonnet-4", { inputTokens: 1000, outputTokens: 200 }), price("claude-sonnet-4"));
    const withSearches = costOf(usage("claude-sonnet-4", { inputTokens: 1000, outputTokens: 200, webSearchRequests: 3 }), price("claude-sonnet-4"));
    expect(withSearches - tokensOnly).toBe(30_000_000);
    expect(withSearches).toBe(6_000_000 + 30_000_000);
  });

  it("every built-in Anthropic entry carries the web search price; others do not", () => {
    for (const p of table.values()) expect(p.webSearchPer1k).toBe(p.provider === "anthropic" ? 10 : undefined);
  });

  it("reads the count from the wire and stays exact past the long-context cliff", () => {
    const u = usageFromAnthropic("claude-sonnet-4", { input_tokens: 250_000, output_tokens: 0, server_tool_use: { web_search_requests: 7 } });
    expect(costOf(u, price("claude-sonnet-4"))).toBe(250_000 * 6_000 + 70_000_000);
  });

  it("refuses a count that is not a non-negative integer", () => {
    expect(() => costOf(usage("claude-sonnet-4", { webSearchRequests: 1.5 }), price("claude-sonnet-4"))).toThrow(/webSearchRequests/);
  });
});
