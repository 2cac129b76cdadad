import { describe, expect, it } from "vitest";
import { validateConfigText } from "./validate.js";
import { inferProvider, toAgentSpecs, toLimits, toPricingOverrides } from "./convert.js";
import type { AegisConfig } from "./schema.js";

function config(text: string): AegisConfig {
  const { config: result, problems } = validateConfigText(text, "aegis.yaml");
  expect(problems).toEqual([]);
  return result!;
}

describe("toLimits", () => {
  it("converts every limit to nanos and keeps the defaults", () => {
    const text = [
      "cost:",
      "  budget_usd: 100",
      "  per_call_limit_usd: 0.1",
      "  per_session_limit_usd: 10.5",
      "  daily_budget_usd: 50",
      "  daily_reset_timezone: Europe/Paris",
      "  per_minute_tokens: 100000",
      "  alert_threshold: 0.9",
      "  on_exceed: warn",
      "  loop_detection: { window_seconds: 30, threshold: 3 }",
    ].join("\n");
    expect(toLimits(config(text))).toEqual({
      budget: 100_000_000_000,
      perCall: 100_000_000,
      perSession: 10_500_000_000,
      daily: 50_000_000_000,
      dailyResetTimezone: "Europe/Paris",
      perMinuteTokens: 100000,
      alertThreshold: 0.9,
      onExceed: "warn",
      loop: { windowSeconds: 30, threshold: 3 },
    });
  });

  it("leaves unset limits absent", () => {
    expect(toLimits(config(""))).toEqual({
      alertThreshold: 0.8,
      onExceed: "block",
      dailyResetTimezone: "UTC",
      loop: { windowSeconds: 60, threshold: 5 },
    });
  });

  it("turns loop_detection: false into a threshold no count reaches", () => {
    expect(toLimits(config("cost: { loop_detection: false }")).loop.threshold).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("toAgentSpecs", () => {
  it("keeps document order, parents and budgets in nanos", () => {
    const text = "agents:\n  orchestrator: { budget_usd: 50 }\n  researcher: { parent: orchestrator, budget_usd: 20 }\n  writer: { parent: orchestrator }\n  solo:\n";
    expect(toAgentSpecs(config(text))).toEqual([
      { id: "orchestrator", budget: 50_000_000_000 },
      { id: "researcher", parent: "orchestrator", budget: 20_000_000_000 },
      { id: "writer", parent: "orchestrator" },
      { id: "solo" },
    ]);
  });
});

describe("toPricingOverrides", () => {
  it("maps every rate and tier, stamped as config prices", () => {
    const text = [
      "pricing:",
      "  My-Fine-Tuned-Model: { input: 5.0, output: 15.0, cached: 2.5, cache_write: 6.25, cache_write_1h: 10, provider: openai, max_output_tokens: 16384,",
      "                         long_context: { above_tokens: 200000, input: 10, output: 30, cached: 5 } }",
      "  claude-custom: { input: 3, output: 15 }",
      "  local-llama: { input: 0, output: 0 }",
    ].join("\n");
    expect(toPricingOverrides(config(text), "2026-03-01")).toEqual([
      {
        id: "my-fine-tuned-model",
        provider: "openai",
        input: 5,
        output: 15,
        cacheRead: 2.5,
        cacheWrite5m: 6.25,
        cacheWrite1h: 10,
        maxOutputTokens: 16384,
        longContext: { aboveTokens: 200000, input: 10, output: 30, cacheRead: 5 },
        source: "aegis.yaml",
        checked: "2026-03-01",
        origin: "config",
      },
      { id: "claude-custom", provider: "anthropic", input: 3, output: 15, webSearchPer1k: 10, source: "aegis.yaml", checked: "2026-03-01", origin: "config" },
      { id: "local-llama", provider: "other", input: 0, output: 0, source: "aegis.yaml", checked: "2026-03-01", origin: "config" },
    ]);
  });

  it("gives an entry its own web_search_per_1k; an Anthropic entry defaults to $10 per 1,000, any other has none", () => {
    const text = [
      "pricing:",
      "  my-searcher: { input: 1, output: 2, web_search_per_1k: 25 }",
      "  claude-cheap-search: { input: 3, output: 15, web_search_per_1k: 5 }",
      "  routed-claude: { input: 3, output: 15, provider: anthropic }",
      "  free-search: { input: 1, output: 1, web_search_per_1k: 0 }",
      "  mistral-large: { input: 2, output: 6 }",
    ].join("\n");
    const rates = toPricingOverrides(config(text)).map((p) => [p.id, p.webSearchPer1k]);
    expect(rates).toEqual([
      ["my-searcher", 25],
      ["claude-cheap-search", 5],
      ["routed-claude", 10],
      ["free-search", 0],
      ["mistral-large", undefined],
    ]);
    expect(toPricingOverrides(config(text)).find((p) => p.id === "mistral-large")).not.toHaveProperty("webSearchPer1k");
  });

  it("stamps `config` as the checked date when none is given", () => {
    expect(toPricingOverrides(config("pricing: { m: { input: 1, output: 2 } }"))[0]?.checked).toBe("config");
  });
});

describe("inferProvider", () => {
  it.each([
    ["gpt-4o-ft", "openai"],
    ["o3-mini", "openai"],
    ["claude-sonnet-4-custom", "anthropic"],
    ["gemini-2.5-pro-tuned", "gemini"],
    ["mistral-large", "other"],
  ])("%s → %s", (id, provider) => {
    expect(inferProvider(id)).toBe(provider);
  });
});
