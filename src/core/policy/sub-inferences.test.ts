// Calls that ran sub-inferences on other models (Anthropic advisor iterations): each part is
// billed at its own model's rates; a part on a model aegis cannot price is never priced as zero
// or as the call's model — blocked when known before the call, billed at the estimate after it.
import { describe, expect, it } from "vitest";
import type { Usage } from "../usage.js";
import { buildPricingTable } from "../pricing/resolve.js";
import { createGovernor } from "./index.js";
import { limits } from "./testing.js";

const pricing = buildPricingTable();
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
const governor = (over: Parameters<typeof limits>[0] = {}) => createGovernor({ sessionId: "s", limits: limits({ loop: { windowSeconds: 60, threshold: 100 }, ...over }), agents: [], pricing, clock: () => 0 });

// Executor Sonnet 4.6 ($3 / $15): 1000 in + 100 out = $0.0045. Advisor Opus 4.6 ($5 / $25):
// 10,000 in + 1,000 out = $0.075.
const EXECUTOR = 4_500_000;
const ADVISOR = 75_000_000;
const advised = (advisorModel: string) => u("claude-sonnet-4-6", 1000, 100, { subInferences: [u(advisorModel, 10_000, 1_000)] });

describe("sub-inferences (advisor iterations)", () => {
  it("a proxied call settles at the executor's rates plus the advisor's at the advisor's rates", async () => {
    const g = governor();
    const admission = await g.admit({ usage: u("claude-sonnet-4-6", 5000, 4000) });
    if (admission.reservationId === undefined) throw new Error("not admitted");
    const d = await g.settle(admission.reservationId, advised("claude-opus-4-6"));
    expect(d).toMatchObject({ action: "allow", cost: EXECUTOR + ADVISOR, cumulative: EXECUTOR + ADVISOR });
    expect((await g.report()).spent).toBeCloseTo(0.0795, 10);
  });

  it("an advisor on a model aegis cannot price bills the admitted estimate (not zero), with a warning naming it", async () => {
    const g = governor();
    const estimate = u("claude-sonnet-4-6", 50_000, 8_000); // $0.15 + $0.12 = $0.27
    const admission = await g.admit({ usage: estimate });
    if (admission.reservationId === undefined) throw new Error("not admitted");
    const d = await g.settle(admission.reservationId, advised("claude-advisor-x"));
    expect(d).toMatchObject({ action: "warn", dimension: "unknown_model", cost: 270_000_000 });
    expect(d.reason).toMatch(/^This claude-sonnet-4-6 call ran a sub-inference \(an advisor\) on another model\. Unknown model "claude-advisor-x"/);
    expect(d.reason).toMatch(/\(billed the admitted estimate\)$/);
  });

  it("bills the priced part when it exceeds the estimate, so an unpriced advisor never lowers the bill", async () => {
    const g = governor();
    const admission = await g.admit({ usage: u("claude-sonnet-4-6", 10, 10) });
    if (admission.reservationId === undefined) throw new Error("not admitted");
    const call = u("claude-sonnet-4-6", 1000, 100, { subInferences: [u("claude-opus-4-6", 10_000, 1_000), u("", 1, 1)] });
    expect(await g.settle(admission.reservationId, call)).toMatchObject({ action: "warn", dimension: "unknown_model", cost: EXECUTOR + ADVISOR });
  });

  it("a usage naming an unpriceable advisor is blocked before the call (check, admit and record)", async () => {
    const g = governor();
    for (const decide of [() => g.check({ usage: advised("claude-advisor-x") }), async () => (await g.admit({ usage: advised("claude-advisor-x") })).decision, () => g.record({ usage: advised("claude-advisor-x") })]) {
      const d = await decide();
      expect(d).toMatchObject({ action: "block", dimension: "unknown_model", cost: 0 });
      expect(d.reason).toContain('Unknown model "claude-advisor-x"');
    }
    expect((await g.report()).spent).toBe(0);
  });

  it("the advisor's cost counts against the limits, and its tokens against the per-minute window", async () => {
    // $0.05 per call: the executor alone ($0.0045) fits, with its advisor ($0.0795) it does not.
    expect(await governor({ perCall: 0.05 }).check({ usage: advised("claude-opus-4-6") })).toMatchObject({ action: "block", dimension: "per_call", cost: EXECUTOR + ADVISOR });
    expect(await governor({ perCall: 0.05 }).check({ usage: u("claude-sonnet-4-6", 1000, 100) })).toMatchObject({ action: "allow", cost: EXECUTOR });
    // 1,100 executor tokens + 11,000 advisor tokens exceed a 5,000-token minute.
    expect(await governor({ perMinuteTokens: 5000 }).check({ usage: advised("claude-opus-4-6") })).toMatchObject({ action: "block", dimension: "per_minute_tokens" });
    expect(await governor({ perMinuteTokens: 5000 }).check({ usage: u("claude-sonnet-4-6", 1000, 100) })).toMatchObject({ action: "allow" });
  });
});
