import { describe, expect, it } from "vitest";
import type { Usage } from "../usage.js";
import { usdToNanos } from "../money.js";
import { describeUnknownModel } from "../pricing/cost.js";
import { createGovernor, type CallRequest, type Limits } from "./index.js";
import { limits, manualClock, REFERENCE_PRICES, usage } from "./testing.js";

const usd = usdToNanos;
let seq = 0;
// Each call gets its own fingerprint (a different prompt) unless a test is about loops.
const call = (u: Usage, extra: Partial<CallRequest> = {}): CallRequest => ({ usage: u, fingerprint: `prompt-${++seq}`, ...extra });
const gov = (l: Limits, clock = manualClock()) =>
  createGovernor({ sessionId: "s1", limits: l, agents: [], pricing: REFERENCE_PRICES, clock: clock.now });

// gpt-4o 10k in / 10k out = $0.125, the reference's verified figure.
const TEN_K = usage("gpt-4o", 10_000, 10_000);

describe("Governor: each dimension blocks with the reference reason string and records nothing", () => {
  it.each([
    ["per_call", { perCall: 0.01 }, "Call cost $0.1250 exceeds per-call limit $0.0100", false],
    ["per_session", { perSession: 0.001 }, "Session spend $0.1250 would exceed per-session limit $0.0010", true],
    ["daily", { daily: 0.001 }, "Daily spend $0.1250 would exceed daily budget $0.0010 (day 2026-03-14 UTC, resets 2026-03-15T00:00Z)", true],
    ["per_minute_tokens", { perMinuteTokens: 100 }, "Token rate 20000 would exceed per-minute limit 100", false],
    ["budget", { budget: 0.001 }, "Total spend $0.1250 would exceed budget $0.0010", true],
  ] as const)("%s", async (dimension, over, reason, fatal) => {
    const g = gov(limits(over));
    const d = await g.record(call(TEN_K));
    expect(d).toMatchObject({ action: "block", dimension, reason, cost: usd(0.125), cumulative: 0, fatal });
    const r = await g.report();
    expect([r.spent, r.call_count, r.daily_spent, r.tokens_last_minute, r.blocked_count]).toEqual([0, 0, 0, 0, 1]);
  });

  it("the first violated dimension in DESIGN order decides", async () => {
    const all = limits({ perCall: 0.01, perSession: 0.001, daily: 0.001, perMinuteTokens: 100, budget: 0.001 });
    expect((await gov(all).record(call(TEN_K))).dimension).toBe("per_call");
    const { perCall: _p, ...noPerCall } = all;
    expect((await gov(noPerCall).record(call(TEN_K))).dimension).toBe("per_session");
    const { perSession: _s, ...noSession } = noPerCall;
    expect((await gov(noSession).record(call(TEN_K))).dimension).toBe("daily");
    const { daily: _d, ...noDaily } = noSession;
    expect((await gov(noDaily).record(call(TEN_K))).dimension).toBe("per_minute_tokens");
  });
});

describe("Governor: reference cases that are right (reference-semantics §8)", () => {
  it("per_call 0.01 blocks gpt-4o 500k/500k; limit 10 allows; warn mode warns and records", async () => {
    const big = usage("gpt-4o", 500_000, 500_000);
    const blocked = gov(limits({ perCall: 0.01 }));
    expect(await blocked.record(call(big))).toMatchObject({ action: "block", dimension: "per_call", cumulative: 0 });
    expect((await gov(limits({ perCall: 10 })).record(call(big))).action).toBe("allow");
    const warned = gov(limits({ perCall: 0.01, onExceed: "warn" }));
    expect(await warned.record(call(big))).toMatchObject({ action: "warn", dimension: "per_call", cumulative: usd(6.25) });
    expect((await warned.report()).call_count).toBe(1);
  });

  it("budget 1.0 + alert 0.01 + 1000/1000 warns budget_alert even with on_exceed block", async () => {
    const d = await gov(limits({ budget: 1, alertThreshold: 0.01 })).record(call(usage("gpt-4o", 1000, 1000)));
    expect(d).toMatchObject({ action: "warn", dimension: "budget_alert", reason: "Budget utilization 1% exceeds alert threshold 1%" });
    expect(d.alerts).toHaveLength(1);
  });

  it("generous limits allow with cost > 0 and cumulative after the call", async () => {
    const g = gov(limits({ budget: 100, perCall: 2, perSession: 10, daily: 50, perMinuteTokens: 100_000 }));
    const first = await g.record(call(TEN_K));
    const second = await g.record(call(TEN_K));
    expect(first).toMatchObject({ action: "allow", reason: "", dimension: "", cost: usd(0.125), cumulative: usd(0.125), alerts: [] });
    expect(second.cumulative).toBe(usd(0.25));
  });

  it("check allows and records nothing (not spend, daily, rate or the loop window)", async () => {
    const g = gov(limits({ budget: 1, perMinuteTokens: 100_000 }));
    const same = { usage: TEN_K, fingerprint: "same" };
    for (let i = 0; i < 10; i++) expect((await g.check(same)).action).toBe("allow");
    const r = await g.report();
    expect([r.spent, r.call_count, r.daily_spent, r.tokens_last_minute]).toEqual([0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) expect((await g.record(same)).action).toBe("allow");
  });

  it("check reports what record would decide, with the spend before it when blocking", async () => {
    const g = gov(limits({ budget: 0.2 }));
    await g.record(call(TEN_K));
    expect(await g.check(call(TEN_K))).toMatchObject({ action: "block", dimension: "budget", cumulative: usd(0.125) });
  });
});

describe("Governor: reaching a limit exactly is allowed (strict >)", () => {
  it.each([
    ["per_call", { perCall: 0.125 }, usage("gpt-4o", 10_000, 10_001)],
    ["per_session", { perSession: 0.125 }, usage("gpt-4o", 1, 0)],
    ["daily", { daily: 0.125 }, usage("gpt-4o", 1, 0)],
    ["per_minute_tokens", { perMinuteTokens: 20_000 }, usage("gpt-4o", 1, 0)],
    ["budget", { budget: 0.125, alertThreshold: 1 }, usage("gpt-4o", 1, 0)],
  ] as const)("%s", async (dimension, over, next) => {
    const g = gov(limits(over));
    expect((await g.record(call(TEN_K))).action).not.toBe("block");
    expect(await g.record(call(next))).toMatchObject({ action: "block", dimension });
  });
});

describe("Governor: warn and log modes never block a priced call", () => {
  it.each([
    ["warn", "per_call", { perCall: 0.01 }],
    ["warn", "per_session", { perSession: 0.001 }],
    ["warn", "daily", { daily: 0.001 }],
    ["warn", "per_minute_tokens", { perMinuteTokens: 100 }],
    ["warn", "budget", { budget: 0.001 }],
    ["log", "per_call", { perCall: 0.01 }],
    ["log", "budget", { budget: 0.001 }],
    ["log", "daily", { daily: 0.001 }],
  ] as const)("%s mode, %s exceeded: warn, recorded", async (mode, dimension, over) => {
    const g = gov(limits({ ...over, onExceed: mode }));
    for (let i = 1; i <= 3; i++) {
      const d = await g.record(call(TEN_K));
      expect(d).toMatchObject({ action: "warn", dimension, cumulative: usd(0.125 * i), fatal: false });
      expect(d.log === true).toBe(mode === "log");
    }
    const r = await g.report();
    expect([r.call_count, r.warned_count, r.blocked_count]).toEqual([3, 3, 0]);
  });

  it("a loop in warn mode warns instead of blocking", async () => {
    const g = gov(limits({ onExceed: "warn" }));
    const same = { usage: TEN_K, fingerprint: "same" };
    const actions = [];
    for (let i = 0; i < 6; i++) actions.push((await g.record(same)).action);
    expect(actions).toEqual(["allow", "allow", "allow", "allow", "warn", "warn"]);
  });
});

describe("Governor: unknown models", () => {
  it.each(["block", "warn", "log"] as const)("are blocked in %s mode, never priced", async (mode) => {
    const g = gov(limits({ onExceed: mode }));
    const d = await g.record(call(usage("my-fine-tune", 1000, 1000)));
    expect(d).toMatchObject({
      action: "block",
      dimension: "unknown_model",
      reason: describeUnknownModel("my-fine-tune"),
      cost: 0,
      fatal: false,
    });
    expect((await g.report()).call_count).toBe(0);
  });
});

describe("Governor: alert threshold, once per crossing", () => {
  it("total budget: the crossing call warns, later calls do not", async () => {
    const g = gov(limits({ budget: 1, alertThreshold: 0.3 }));
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await g.record(call(TEN_K)));
    expect(decisions.map((d) => d.action)).toEqual(["allow", "allow", "warn", "allow"]);
    expect(decisions[2]?.alerts).toEqual([
      { dimension: "budget_alert", utilization: 0.375, threshold: 0.3, message: "Budget utilization 38% exceeds alert threshold 30%" },
    ]);
    expect(decisions[2]?.reason).toBe("Budget utilization 38% exceeds alert threshold 30%");
  });

  it("session, daily and total budgets each raise their own alert", async () => {
    const g = gov(limits({ budget: 10, perSession: 0.5, daily: 1, alertThreshold: 0.2 }));
    const d1 = await g.record(call(TEN_K));
    expect(d1.alerts.map((a) => a.dimension)).toEqual(["per_session_alert"]);
    expect(d1).toMatchObject({ action: "warn", dimension: "per_session_alert", reason: "Session budget utilization 25% exceeds alert threshold 20%" });
    const d2 = await g.record(call(TEN_K));
    expect(d2.alerts.map((a) => a.message)).toEqual(["Daily budget utilization 25% exceeds alert threshold 20%"]);
    expect((await g.record(call(TEN_K))).alerts).toEqual([]);
  });

  it("reaching the threshold exactly raises it", async () => {
    const d = await gov(limits({ budget: 0.25, alertThreshold: 0.5 })).record(call(TEN_K));
    expect(d.alerts.map((a) => a.utilization)).toEqual([0.5]);
  });

  it("in warn mode the limit reason outranks the alert, and the alert is still returned", async () => {
    const d = await gov(limits({ budget: 0.1, onExceed: "warn" })).record(call(TEN_K));
    expect(d).toMatchObject({ action: "warn", dimension: "budget", reason: "Total spend $0.1250 would exceed budget $0.1000" });
    expect(d.alerts.map((a) => a.dimension)).toEqual(["budget_alert"]);
  });
});

describe("Governor: loop detection", () => {
  it("blocks the 5th identical call from one agent within 60 s, and keeps blocking while it repeats", async () => {
    const clock = manualClock();
    const g = gov(limits(), clock);
    const same: CallRequest = { usage: TEN_K, agentId: "worker", fingerprint: "sha:abc" };
    const decisions = [];
    for (let i = 0; i < 7; i++) {
      decisions.push(await g.record(same));
      clock.advance(1000);
    }
    expect(decisions.map((d) => d.action)).toEqual(["allow", "allow", "allow", "allow", "block", "block", "block"]);
    expect(decisions[4]).toMatchObject({
      dimension: "loop",
      fatal: true,
      reason: "Loop detected: 5 identical calls from agent worker to gpt-4o within 60s",
      cumulative: usd(0.5),
    });
    expect((await g.report()).call_count).toBe(4);
    // Every attempt counts: while the agent keeps repeating (every 10 s for 2 minutes) it stays
    // blocked; after a quiet window the same call is allowed again.
    for (let i = 0; i < 12; i++) {
      clock.advance(10_000);
      expect((await g.record(same)).action).toBe("block");
    }
    clock.advance(60_000);
    expect((await g.record(same)).action).toBe("allow");
  });

  it("does not treat 5 different prompts to the same model as a loop", async () => {
    const g = gov(limits());
    for (let i = 0; i < 5; i++) expect((await g.record({ usage: TEN_K, fingerprint: `prompt ${i}` })).action).toBe("allow");
  });

  it("without a fingerprint, identical token counts stand in for the prompt", async () => {
    const g = gov(limits());
    for (let i = 0; i < 4; i++) expect((await g.record({ usage: TEN_K })).action).toBe("allow");
    expect((await g.record({ usage: usage("gpt-4o", 10_001, 10_000) })).action).toBe("allow");
    expect((await g.record({ usage: TEN_K, actionType: "summarise" })).action).toBe("allow");
    expect((await g.record({ usage: TEN_K })).dimension).toBe("loop");
  });

  it("counts per agent: the same prompt from two agents is not one loop", async () => {
    const g = gov(limits({ loop: { windowSeconds: 60, threshold: 3 } }));
    const actions = [];
    for (const agentId of ["a", "b", "a", "b", "a"]) actions.push((await g.record({ usage: TEN_K, agentId, fingerprint: "x" })).action);
    expect(actions).toEqual(["allow", "allow", "allow", "allow", "block"]);
  });

  it("check peeks at the window without adding to it", async () => {
    const g = gov(limits({ loop: { windowSeconds: 60, threshold: 3 } }));
    const same = { usage: TEN_K, fingerprint: "x" };
    await g.record(same);
    await g.record(same);
    expect((await g.check(same)).dimension).toBe("loop");
    expect((await g.check(same)).dimension).toBe("loop");
  });
});

describe("Governor: halt (the run is being stopped)", () => {
  it("refuses every later check, record and admission with the stopping reason; an admitted call still settles", async () => {
    const g = gov(limits({ budget: 1 }));
    const inFlight = await g.admit(call(TEN_K));
    expect(inFlight.reservationId).toBeDefined();
    g.halt({ dimension: "loop", reason: "Loop detected: stop" });
    g.halt({ dimension: "budget", reason: "a second halt does not replace the first" });
    const refused = { action: "block", dimension: "loop", reason: "Loop detected: stop", cost: usd(0.125), fatal: true };
    expect(await g.check(call(TEN_K))).toMatchObject(refused);
    expect(await g.record(call(TEN_K))).toMatchObject(refused);
    expect(await g.admit(call(TEN_K))).toEqual({ decision: expect.objectContaining(refused) });
    // Even a call aegis could not price is refused for the stop, not asked about its price.
    expect(await g.record(call(usage("no-such-model", 1, 1)))).toMatchObject({ dimension: "loop", cost: 0 });
    const settled = await g.settle(inFlight.reservationId ?? "", TEN_K);
    expect(settled).toMatchObject({ action: "allow", cost: usd(0.125), cumulative: usd(0.125) });
    const r = await g.report();
    expect([r.spent, r.call_count, r.blocked_count]).toEqual([0.125, 1, 3]);
  });
});
