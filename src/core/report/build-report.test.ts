import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import type { Limits } from "../policy/types.js";
import { buildReport, type ReportInput } from "./build-report.js";

const usd = usdToNanos;
const LIMITS: Limits = { alertThreshold: 0.8, onExceed: "block", loop: { windowSeconds: 60, threshold: 5 } };
const EMPTY: ReportInput = {
  sessionId: "",
  limits: LIMITS,
  agents: [],
  spendByAgent: new Map(),
  spendByModel: new Map(),
  spent: 0,
  callCount: 0,
  blockedCount: 0,
  warnedCount: 0,
  tokens: { input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 },
  dailySpent: 0,
  tokensLastMinute: 0,
};

describe("buildReport", () => {
  it("an empty unlimited session has the reference's empty values", () => {
    expect(buildReport(EMPTY)).toMatchObject({
      version: 1,
      session_id: "",
      max_budget: 0,
      spent: 0,
      remaining: null,
      utilization: 0,
      call_count: 0,
      by_model: {},
      by_agent: {},
      daily_spent: 0,
      tokens_last_minute: 0,
      limits: { budget_usd: null, per_call_limit_usd: null, per_session_limit_usd: null, daily_budget_usd: null, per_minute_tokens: null, alert_threshold: 0.8, on_exceed: "block" },
      agents: [],
      blocked_count: 0,
      warned_count: 0,
    });
  });

  it("rounds money to 6 places (half-even on the micro-dollar), utilisation to 4, sorts by key", () => {
    const r = buildReport({
      ...EMPTY,
      sessionId: "s1",
      limits: { ...LIMITS, budget: usd(3), perCall: usd(2), perSession: usd(10), daily: usd(50), perMinuteTokens: 100_000 },
      agents: [{ id: "b", budget: usd(1) }],
      spendByAgent: new Map([["b", { direct: 1_234_567_500, calls: 2 }], ["a", { direct: 2_500, calls: 1 }], ["idle", { direct: 0, calls: 0 }]]),
      spendByModel: new Map([["gpt-4o", 1_234_567_500], ["claude-sonnet-4", 2_500]]),
      spent: 1_234_570_000,
      totalSpent: 2_000_000_000,
      callCount: 3,
      dailySpent: 1_500,
    });
    expect(Object.keys(r.by_model)).toEqual(["claude-sonnet-4", "gpt-4o"]);
    expect(r.by_model).toEqual({ "claude-sonnet-4": 0.000002, "gpt-4o": 1.234568 });
    expect(r.by_agent).toEqual({ a: 0.000002, b: 1.234568 });
    expect([r.spent, r.max_budget, r.remaining, r.utilization, r.daily_spent]).toEqual([1.23457, 3, 1, 0.6667, 0.000002]);
    expect(r.limits).toMatchObject({ budget_usd: 3, per_call_limit_usd: 2, per_session_limit_usd: 10, daily_budget_usd: 50, per_minute_tokens: 100_000 });
    expect(r.agents.map((n) => [n.agent_id, n.total, n.utilization])).toEqual([
      ["b", 1.234568, 1.2346],
      ["a", 0.000002, null],
      ["idle", 0, null],
    ]);
  });

  it("remaining never goes below zero and utilisation is capped at 1", () => {
    const r = buildReport({ ...EMPTY, limits: { ...LIMITS, budget: usd(1) }, spent: usd(1.5) });
    expect([r.remaining, r.utilization]).toEqual([0, 1]);
  });
});
