import { describe, expect, it } from "vitest";
import { SpendAccumulator, FLAGGED_LIMIT } from "./accumulator.js";
import { groupRows, totalSums } from "./group.js";
import type { CallFact } from "./types.js";

const call = (i: number, over: Partial<CallFact> = {}): CallFact => ({
  ts: `2025-01-0${1 + (i % 3)}T00:00:00.000Z`, session: `s${i % 2}`, agent: `a${i % 3}`, model: `m${i % 2}`, day: `2025-01-0${1 + (i % 3)}`,
  action: "allow", dimension: "", reason: "", nanos: 1000 * i, input: i, cache_read: 0, cache_write: 0, output: 1, reasoning: 0, ...over,
});

describe("SpendAccumulator", () => {
  it("blocked calls count as blocked and spend nothing; warned calls spend", () => {
    const acc = new SpendAccumulator();
    acc.addCall(call(1));
    acc.addCall(call(2, { action: "warn", reason: "80%" }));
    acc.addCall(call(3, { action: "block", reason: "over" }));
    const t = totalSums(acc.state().cells);
    expect(t).toMatchObject({ calls: 2, blocked: 1, warned: 1, nanos: 3000, input: 3 });
    expect(acc.state().flagged.map((f) => f.reason)).toEqual(["80%", "over"]);
  });

  it("merging the states of two halves equals accumulating everything at once", () => {
    const whole = new SpendAccumulator();
    const first = new SpendAccumulator();
    const second = new SpendAccumulator();
    for (let i = 0; i < 100; i++) {
      whole.addCall(call(i));
      (i < 50 ? first : second).addCall(call(i));
    }
    first.merge(second.state());
    const sort = (rows: ReturnType<typeof groupRows>) => rows.map((r) => JSON.stringify(r)).sort();
    for (const by of ["agent", "model", "day", "session"] as const) {
      expect(sort(groupRows(first.state().cells, by))).toEqual(sort(groupRows(whole.state().cells, by)));
    }
  });

  it("keeps a bounded list of flagged decisions but counts them all", () => {
    const acc = new SpendAccumulator();
    for (let i = 0; i < FLAGGED_LIMIT + 5; i++) acc.addCall(call(i, { action: "block" }));
    expect(acc.state().flagged.length).toBe(FLAGGED_LIMIT);
    expect(acc.state().flaggedOmitted).toBe(5);
    expect(totalSums(acc.state().cells).blocked).toBe(FLAGGED_LIMIT + 5);
  });

  it("counts tokens_last_minute from recorded calls at or after the window start", () => {
    const acc = new SpendAccumulator({ recentFrom: "2025-01-02T00:00:00.000Z" });
    acc.addCall(call(0)); // 01-01: outside
    acc.addCall(call(1)); // 01-02: input 1 + output 1
    acc.addCall(call(2)); // 01-03: input 2 + output 1
    acc.addCall(call(4, { action: "block" })); // blocked: never counts
    expect(acc.state().recentTokens).toBe(5);
  });
});
