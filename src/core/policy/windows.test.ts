import { describe, expect, it } from "vitest";
import type { Usage } from "../usage.js";
import { createGovernor, type Limits } from "./index.js";
import { zonedDayKey } from "./day-key.js";
import { limits, manualClock, REFERENCE_PRICES, usage, type ManualClock } from "./testing.js";

let seq = 0;
const gov = (l: Limits, clock: ManualClock) =>
  createGovernor({ sessionId: "s1", limits: l, agents: [], pricing: REFERENCE_PRICES, clock: clock.now });
const rec = (u: Usage) => ({ usage: u, fingerprint: `p${++seq}` });
const TEN_K = usage("gpt-4o", 10_000, 10_000); // $0.125, 20,000 tokens

describe("Windows under an injected clock", () => {
  it("per-minute tokens: a rolling 60 s window (an entry exactly 60 s old still counts)", async () => {
    const clock = manualClock();
    const g = gov(limits({ perMinuteTokens: 30_000 }), clock);
    expect((await g.record(rec(TEN_K))).action).toBe("allow");
    clock.advance(30_000);
    expect((await g.record(rec(TEN_K))).dimension).toBe("per_minute_tokens");
    expect((await g.record(rec(usage("gpt-4o", 5000, 5000)))).action).toBe("allow");
    expect((await g.report()).tokens_last_minute).toBe(30_000);
    clock.advance(30_000);
    expect((await g.record(rec(TEN_K))).reason).toBe("Token rate 50000 would exceed per-minute limit 30000");
    clock.advance(1);
    expect((await g.record(rec(TEN_K))).action).toBe("allow");
  });

  it("daily budget: resets at UTC midnight, and so does its alert", async () => {
    const clock = manualClock(Date.UTC(2026, 2, 14, 23, 59, 0));
    const g = gov(limits({ daily: 0.3, alertThreshold: 0.5 }), clock);
    expect((await g.record(rec(TEN_K))).action).toBe("allow");
    expect((await g.record(rec(TEN_K))).dimension).toBe("daily_alert");
    clock.advance(50_000);
    expect(await g.record(rec(TEN_K))).toMatchObject({ action: "block", dimension: "daily", reason: "Daily spend $0.3750 would exceed daily budget $0.3000 (day 2026-03-14 UTC, resets 2026-03-15T00:00Z)" });
    expect((await g.report()).daily_spent).toBe(0.25);
    clock.advance(20_000); // 00:00:10 the next day
    expect((await g.report()).daily_spent).toBe(0);
    expect((await g.record(rec(TEN_K))).action).toBe("allow");
    expect((await g.record(rec(TEN_K))).dimension).toBe("daily_alert");
    expect((await g.report()).spent).toBe(0.5);
  });

  it("a time zone moves the daily reset", async () => {
    const tokyo = zonedDayKey("Asia/Tokyo");
    expect(tokyo(Date.UTC(2026, 2, 14, 14, 59))).toBe("2026-03-14");
    expect(tokyo(Date.UTC(2026, 2, 14, 15, 0))).toBe("2026-03-15");
    const clock = manualClock(Date.UTC(2026, 2, 14, 14, 59));
    const g = createGovernor({
      sessionId: "s",
      limits: { ...limits({ daily: 0.125 }), dailyResetTimezone: "Asia/Tokyo" },
      agents: [],
      pricing: REFERENCE_PRICES,
      clock: clock.now,
    });
    await g.record(rec(TEN_K));
    expect((await g.record(rec(TEN_K))).dimension).toBe("daily");
    clock.advance(60_000);
    expect((await g.record(rec(TEN_K))).action).not.toBe("block");
  });
});
