import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import { createGovernor, createMemoryStore, type AgentSpec, type Limits, type SharedBudgetStore } from "./index.js";
import { limits, manualClock, REFERENCE_PRICES, usage } from "./testing.js";

const usd = usdToNanos;
const TEN_K = usage("gpt-4o", 10_000, 10_000); // $0.125
const gov = (l: Limits, agents: AgentSpec[] = [], store?: SharedBudgetStore, clock = manualClock()) =>
  createGovernor({ sessionId: "s1", limits: l, agents, pricing: REFERENCE_PRICES, clock: clock.now, ...(store ? { store } : {}) });

describe("Reservations: concurrent admissions never exceed a budget", () => {
  it.each([
    ["budget", limits({ budget: 0.625, alertThreshold: 1 }), undefined],
    ["per_session", limits({ perSession: 0.625, alertThreshold: 1 }), undefined],
    ["daily", limits({ daily: 0.625, alertThreshold: 1 }), undefined],
    ["per_minute_tokens", limits({ perMinuteTokens: 100_000 }), undefined],
    ["agent_budget", limits({ alertThreshold: 1 }), "worker"],
  ] as const)("50 concurrent admits against a %s that fits 5", async (dimension, l, agentId) => {
    const g = gov(l, [{ id: "main" }, { id: "worker", parent: "main", budget: usd(0.625) }]);
    const admissions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => g.admit({ usage: TEN_K, fingerprint: `p${i}`, ...(agentId ? { agentId } : {}) })),
    );
    const admitted = admissions.filter((a) => a.reservationId !== undefined);
    expect(admitted).toHaveLength(5);
    expect(new Set(admissions.filter((a) => a.reservationId === undefined).map((a) => a.decision.dimension))).toEqual(new Set([dimension]));
    // Settling all five lands exactly on the limit; nothing more fits (the parent of an exhausted worker goes on).
    for (const a of admitted) expect((await g.settle(a.reservationId ?? "", TEN_K)).dimension).toMatch(/^$|_alert$/);
    expect((await g.admit({ usage: usage("gpt-4o", 10, 0), fingerprint: "late" })).decision.action).toBe(agentId ? "allow" : "block");
  });

  it("two governors sharing one store share the total budget", async () => {
    const store = createMemoryStore();
    const a = gov(limits({ budget: 0.25, alertThreshold: 1 }), [], store);
    const b = gov(limits({ budget: 0.25, alertThreshold: 1 }), [], store);
    const results = await Promise.all([a, b, a, b].map((g, i) => g.admit({ usage: TEN_K, fingerprint: `p${i}` })));
    expect(results.filter((r) => r.reservationId !== undefined)).toHaveLength(2);
  });
});

describe("Reservations: settle and release", () => {
  it("settle replaces the estimate by the real cost", async () => {
    const g = gov(limits({ budget: 0.25, alertThreshold: 1 }));
    const a = await g.admit({ usage: TEN_K });
    const b = await g.admit({ usage: TEN_K, fingerprint: "b" });
    expect((await g.admit({ usage: usage("gpt-4o", 1, 0), fingerprint: "c" })).decision.dimension).toBe("budget");
    expect(await g.settle(a.reservationId ?? "", usage("gpt-4o", 1000, 200))).toMatchObject({ action: "allow", cost: usd(0.0045), cumulative: usd(0.0045) });
    // The estimate's unused part is free again.
    expect((await g.admit({ usage: usage("gpt-4o", 10_000, 1000), fingerprint: "d" })).reservationId).toBeDefined();
    expect(b.reservationId).toBeDefined();
  });

  it("a settle over the estimate is recorded anyway and says which limit it passed", async () => {
    const g = gov(limits({ budget: 0.2, perSession: 0.2, alertThreshold: 1 }));
    const a = await g.admit({ usage: TEN_K });
    const d = await g.settle(a.reservationId ?? "", usage("gpt-4o", 20_000, 20_000));
    expect(d).toMatchObject({
      action: "warn",
      dimension: "per_session",
      reason: "Session spend $0.2500 exceeds per-session limit $0.2000",
      cost: usd(0.25),
      cumulative: usd(0.25),
      fatal: false,
    });
    const r = await g.report();
    expect([r.spent, r.call_count, r.remaining, r.warned_count]).toEqual([0.25, 1, 0, 1]);
    expect((await g.admit({ usage: usage("gpt-4o", 1, 0) })).decision).toMatchObject({ action: "block", dimension: "per_session" });
  });

  it("a settle over the total budget names it when no session limit is set", async () => {
    const g = gov(limits({ budget: 0.2, alertThreshold: 1 }));
    const a = await g.admit({ usage: TEN_K });
    expect((await g.settle(a.reservationId ?? "", usage("gpt-4o", 20_000, 20_000))).reason).toBe("Total spend $0.2500 exceeds budget $0.2000");
  });

  it("release frees the budget and the rate window, records nothing", async () => {
    const g = gov(limits({ budget: 0.125, perMinuteTokens: 20_000, alertThreshold: 1 }));
    const a = await g.admit({ usage: TEN_K });
    expect((await g.admit({ usage: usage("gpt-4o", 1, 0), fingerprint: "x" })).decision.action).toBe("block");
    await g.release(a.reservationId ?? "");
    await g.release(a.reservationId ?? ""); // a second release is harmless
    const r = await g.report();
    expect([r.spent, r.call_count, r.tokens_last_minute]).toEqual([0, 0, 0]);
    expect((await g.admit({ usage: TEN_K, fingerprint: "y" })).reservationId).toBeDefined();
  });

  it("settling an unknown or closed reservation is a programming error", async () => {
    const g = gov(limits());
    const a = await g.admit({ usage: TEN_K });
    await g.settle(a.reservationId ?? "", TEN_K);
    await expect(g.settle(a.reservationId ?? "", TEN_K)).rejects.toThrow(/unknown or already closed reservation/);
  });

  it("an answer naming a model that cannot be priced bills the admitted estimate", async () => {
    const g = gov(limits());
    const a = await g.admit({ usage: TEN_K });
    const d = await g.settle(a.reservationId ?? "", usage("gpt-9-preview", 5, 5));
    expect(d).toMatchObject({ action: "warn", dimension: "unknown_model", cost: usd(0.125) });
    expect((await g.report()).spent).toBe(0.125);
  });
});

describe("Memory store", () => {
  it("reserves all lines or none, and reports what each line had in use", async () => {
    const s = createMemoryStore();
    const lines = [{ key: "a", limit: 10 }, { key: "b", limit: 5 }];
    expect(await s.reserve({ id: "1", lines, amount: 4, enforce: true, now: 0, leaseMs: 1000 })).toEqual({
      ok: true,
      lines: [{ key: "a", used: 0, limit: 10 }, { key: "b", used: 0, limit: 5 }],
    });
    expect((await s.reserve({ id: "2", lines, amount: 4, enforce: true, now: 0, leaseMs: 1000 })).ok).toBe(false);
    expect(await s.read(["a", "b"], 0)).toEqual(new Map([["a", { spent: 0, reserved: 4 }], ["b", { spent: 0, reserved: 4 }]]));
    expect(await s.settle({ id: "1", keys: ["a", "b"], amount: 3, now: 0 })).toEqual([
      { key: "a", spentBefore: 0, spentAfter: 3 },
      { key: "b", spentBefore: 0, spentAfter: 3 },
    ]);
    expect(await s.read(["a"], 0)).toEqual(new Map([["a", { spent: 3, reserved: 0 }]]));
  });

  it("an expired lease frees its reservation; settling it later still commits the spend", async () => {
    const s = createMemoryStore();
    await s.reserve({ id: "1", lines: [{ key: "a", limit: 10 }], amount: 10, enforce: true, now: 0, leaseMs: 1000 });
    expect((await s.reserve({ id: "2", lines: [{ key: "a", limit: 10 }], amount: 1, enforce: true, now: 999, leaseMs: 1000 })).ok).toBe(false);
    expect((await s.reserve({ id: "3", lines: [{ key: "a", limit: 10 }], amount: 1, enforce: true, now: 1000, leaseMs: 1000 })).ok).toBe(true);
    await s.settle({ id: "1", keys: ["a"], amount: 7, now: 1500 });
    expect((await s.read(["a"], 1500)).get("a")).toEqual({ spent: 7, reserved: 1 });
  });
});

describe("A block stops the run only when the budget is really exhausted", () => {
  // gpt-4o: 10k/10k = $0.125; a prompt-only minimum of 1,000 input tokens = $0.0025.
  const MIN = usage("gpt-4o", 1000, 0);
  it.each([
    ["per_session", limits({ perSession: 0.2, alertThreshold: 1 })],
    ["budget", limits({ budget: 0.2, alertThreshold: 1 })],
    ["daily", limits({ daily: 0.2, alertThreshold: 1 })],
  ] as const)("%s: a block caused by a call in flight is not fatal; one where settled spend leaves no room is", async (dimension, l) => {
    const g = gov(l);
    const inFlight = await g.admit({ usage: TEN_K, fingerprint: "a", minimumUsage: MIN });
    expect(inFlight.reservationId).toBeDefined();
    // $0.125 reserved + $0.125 worst case > $0.20, but nothing is spent yet: refuse this call only.
    const second = await g.admit({ usage: TEN_K, fingerprint: "b", minimumUsage: MIN });
    expect(second.decision).toMatchObject({ action: "block", dimension, fatal: false });
    // Settled $0.125; a worst case of $0.125 does not fit, but its $0.0025 minimum does: not fatal.
    await g.settle(inFlight.reservationId ?? "", TEN_K);
    expect((await g.admit({ usage: TEN_K, fingerprint: "c", minimumUsage: MIN })).decision).toMatchObject({ action: "block", dimension, fatal: false });
    // A minimum that no longer fits ($0.125 + $0.1 > $0.20): the budget is exhausted for this call.
    expect((await g.admit({ usage: TEN_K, fingerprint: "d", minimumUsage: usage("gpt-4o", 40_000, 0) })).decision).toMatchObject({ action: "block", dimension, fatal: true });
    // Real usage (no minimum, the metering API's record): over the limit on settled spend is fatal.
    expect(await g.record({ usage: TEN_K, fingerprint: "e" })).toMatchObject({ action: "block", dimension, fatal: true });
  });

  it("a record blocked only by another call's reservation is not fatal", async () => {
    const g = gov(limits({ perSession: 0.2, alertThreshold: 1 }));
    const inFlight = await g.admit({ usage: TEN_K, fingerprint: "a" });
    expect(await g.record({ usage: TEN_K, fingerprint: "b" })).toMatchObject({ action: "block", dimension: "per_session", fatal: false });
    expect(inFlight.reservationId).toBeDefined();
  });
});
