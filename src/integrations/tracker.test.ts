// The tracker's mode selection, config validation and the metering API body of a usage.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { createTracker } from "./tracker.js";
import { toMeterUsage } from "./remote-tracker.js";

describe("createTracker", () => {
  it("is local outside aegis run and remote when a metering URL and token are given", () => {
    expect(createTracker({ mode: "auto", url: "", token: "" }).mode).toBe("local");
    expect(createTracker({ url: "http://127.0.0.1:9", token: "secret" }).mode).toBe("remote");
    expect(createTracker({ mode: "local", url: "http://127.0.0.1:9", token: "secret" }).mode).toBe("local");
  });

  it("refuses bad config settings, naming every field", () => {
    const make = () => createTracker({ mode: "local", config: { cost: { budget_usd: -1, on_exceed: "explode" as "block" } } });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/cost\.budget_usd[\s\S]*cost\.on_exceed|cost\.on_exceed[\s\S]*cost\.budget_usd/);
  });

  it("surfaces alerts through notify once per crossing", async () => {
    const lines: string[] = [];
    const tracker = createTracker({ mode: "local", config: { cost: { per_session_limit_usd: 0.01, alert_threshold: 0.5 } }, notify: (l) => lines.push(l), clock: () => 0 });
    const usage = { model: "gpt-4o", inputTokens: 1200, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 300, reasoningTokens: 0 };
    await tracker.record(usage, { fingerprint: "a" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aegis: alert: /);
  });
});

describe("toMeterUsage", () => {
  it("sends prompt-inclusive counts: cache reads and writes inside input_tokens, 1-hour writes in their own field", () => {
    const body = toMeterUsage(
      { model: "claude-sonnet-4", inputTokens: 100, cacheReadTokens: 3000, cacheWrite5mTokens: 800, cacheWrite1hTokens: 400, outputTokens: 150, reasoningTokens: 20 },
      { agentId: "writer", fingerprint: "f" },
    );
    expect(body).toEqual({ model: "claude-sonnet-4", input_tokens: 4300, cached_tokens: 3000, cache_write_tokens: 800, cache_write_1h_tokens: 400, output_tokens: 150, reasoning_tokens: 20, agent_id: "writer", fingerprint: "f" });
  });
});

describe("remote tracker against the metering API's parser", () => {
  it("prices 1-hour cache writes at the 1-hour rate (2× input), not the 5-minute one", async () => {
    const { parseUsageBody } = await import("../server/validate.js");
    const { buildPricingTable, resolveModel } = await import("../core/pricing/resolve.js");
    const { costOf } = await import("../core/pricing/cost.js");
    const usage = { model: "claude-sonnet-4", inputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 100_000, outputTokens: 0, reasoningTokens: 0 };
    const parsed = parseUsageBody(JSON.stringify(toMeterUsage(usage))).usage;
    expect(parsed).toEqual(usage);
    const price = resolveModel(buildPricingTable(), "claude-sonnet-4");
    if (price === undefined) throw new Error("claude-sonnet-4 is not priced");
    // Sonnet 4: $3 input, so $6 per million 1-hour writes and $3.75 per million 5-minute ones (below the 200k long-context tier).
    expect(costOf(parsed, price)).toBe(600_000_000);
    expect(costOf({ ...usage, cacheWrite1hTokens: 0, cacheWrite5mTokens: 100_000 }, price)).toBe(375_000_000);
  });

  it("sends web searches as web_search_requests, which the parser keeps and costOf bills at $10 per 1,000", async () => {
    const { parseUsageBody } = await import("../server/validate.js");
    const { buildPricingTable, resolveModel } = await import("../core/pricing/resolve.js");
    const { costOf } = await import("../core/pricing/cost.js");
    const usage = { model: "claude-sonnet-4", inputTokens: 1000, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 200, reasoningTokens: 0, webSearchRequests: 3 };
    const body = toMeterUsage(usage);
    expect(body.web_search_requests).toBe(3);
    const parsed = parseUsageBody(JSON.stringify(body)).usage;
    expect(parsed).toEqual(usage);
    const price = resolveModel(buildPricingTable(), "claude-sonnet-4");
    if (price === undefined) throw new Error("claude-sonnet-4 is not priced");
    // 1000 × $3/M + 200 × $15/M = $0.006, plus 3 searches × $0.01.
    expect(costOf(parsed, price)).toBe(6_000_000 + 30_000_000);
    expect(toMeterUsage({ ...usage, webSearchRequests: 0 })).not.toHaveProperty("web_search_requests");
  });

  it("sends sub-inferences (advisor iterations) as sub_inferences, which the parser restores and callCostOf bills at the advisor's rates", async () => {
    const { parseUsageBody } = await import("../server/validate.js");
    const { buildPricingTable } = await import("../core/pricing/resolve.js");
    const { callCostOf } = await import("../core/pricing/call-cost.js");
    const advisor = { model: "claude-opus-4-6", inputTokens: 6_000, cacheReadTokens: 4_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 2_000, outputTokens: 1_500, reasoningTokens: 0 };
    const usage = { model: "claude-sonnet-4-6", inputTokens: 1000, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 100, reasoningTokens: 0, subInferences: [advisor] };
    const body = toMeterUsage(usage, { agentId: "planner" });
    expect(body.sub_inferences).toEqual([{ model: "claude-opus-4-6", input_tokens: 12_000, cached_tokens: 4_000, cache_write_1h_tokens: 2_000, output_tokens: 1_500 }]);
    const parsed = parseUsageBody(JSON.stringify(body)).usage;
    expect(parsed).toEqual(usage);
    // Sonnet 4.6 $0.0045 + Opus 4.6: 6,000 × $5 + 4,000 × $0.50 + 2,000 × $10 + 1,500 × $25, per million = $0.0895.
    expect(callCostOf(parsed, buildPricingTable()).cost).toBe(4_500_000 + 89_500_000);
    expect(toMeterUsage({ ...usage, subInferences: [] })).not.toHaveProperty("sub_inferences");
  });
});
