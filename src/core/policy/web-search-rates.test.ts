// Web searches on a model whose pricing entry has no search rate (a config model of provider
// "other" without web_search_per_1k): never billed at zero — refused when the usage (a worst case,
// a check, a record) already says there were searches, billed at the admitted estimate (or the
// priced part if more) with a warning when only the answer says so.
import { describe, expect, it } from "vitest";
import type { Usage } from "../usage.js";
import { buildPricingTable } from "../pricing/resolve.js";
import { createGovernor } from "./index.js";
import { limits } from "./testing.js";

const pricing = buildPricingTable([
  { id: "my-router-model", provider: "other", input: 2, output: 8, source: "aegis.yaml", checked: "config", origin: "config" },
  { id: "my-searcher", provider: "other", input: 2, output: 8, webSearchPer1k: 25, source: "aegis.yaml", checked: "config", origin: "config" },
]);
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
const searching = (model: string) => u(model, 1000, 100, { webSearchRequests: 3 });

describe("web searches on a model with no search rate", () => {
  it("a usage (or worst case) with searches is refused by check, admit and record, naming the fix — whatever on_exceed says", async () => {
    for (const onExceed of ["block", "warn", "log"] as const) {
      const g = governor({ onExceed });
      for (const decide of [
        () => g.check({ usage: searching("my-router-model") }),
        async () => (await g.admit({ usage: searching("my-router-model") })).decision,
        () => g.record({ usage: searching("my-router-model") }),
      ]) {
        const d = await decide();
        expect(d).toMatchObject({ action: "block", dimension: "unknown_model", cost: 0, fatal: false });
        expect(d.reason).toMatch(/^Web searches on "my-router-model" have no price/);
        expect(d.reason).toContain("pricing.my-router-model.web_search_per_1k");
        expect(d.reason).toContain("provider: anthropic");
      }
      expect((await g.report()).spent).toBe(0);
    }
  });

  it("the same call without searches, or on a model with a search rate, is allowed and billed exactly", async () => {
    const g = governor();
    expect(await g.record({ usage: u("my-router-model", 1000, 100) })).toMatchObject({ action: "allow", cost: 2_800_000 });
    // 3 searches at $25 per 1,000 = $0.075 on top of the $0.0028 of tokens.
    expect(await g.record({ usage: searching("my-searcher") })).toMatchObject({ action: "allow", cost: 77_800_000 });
  });

  it("an answer reporting searches the admission did not foresee bills the admitted estimate, with a warning", async () => {
    const g = governor();
    const admission = await g.admit({ usage: u("my-router-model", 50_000, 8_000) }); // $0.1 + $0.064
    if (admission.reservationId === undefined) throw new Error("not admitted");
    const d = await g.settle(admission.reservationId, searching("my-router-model"));
    expect(d).toMatchObject({ action: "warn", dimension: "unknown_model", cost: 164_000_000, cumulative: 164_000_000 });
    expect(d.reason).toMatch(/^Web searches on "my-router-model" have no price: .*\(billed the admitted estimate\)$/s);
    expect((await g.report()).spent).toBeCloseTo(0.164, 10);
  });

  it("bills the priced tokens when they exceed the estimate: the searches never lower the bill", async () => {
    const g = governor();
    const admission = await g.admit({ usage: u("my-router-model", 10, 10) });
    if (admission.reservationId === undefined) throw new Error("not admitted");
    expect(await g.settle(admission.reservationId, searching("my-router-model"))).toMatchObject({ action: "warn", dimension: "unknown_model", cost: 2_800_000 });
  });

  it("searches an advisor sub-inference reports on a model without a rate are named as the advisor's", async () => {
    const g = governor();
    const call = u("my-searcher", 1000, 100, { subInferences: [searching("my-router-model")] });
    const d = await g.check({ usage: call });
    expect(d).toMatchObject({ action: "block", dimension: "unknown_model" });
    expect(d.reason).toMatch(/^This my-searcher call ran a sub-inference \(an advisor\) on another model\. Web searches on "my-router-model" have no price/);
  });
});
