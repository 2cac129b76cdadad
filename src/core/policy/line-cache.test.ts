import { describe, expect, it } from "vitest";
import { AgentTree } from "./agent-tree.js";
import { budgetLinesFor, settleKeysFor } from "./budget-lines.js";
import { BudgetLineCache } from "./line-cache.js";
import type { Limits } from "./types.js";

const limits: Limits = { alertThreshold: 1, onExceed: "block", loop: { windowSeconds: 60, threshold: 5 }, budget: 1_000, daily: 500 };
const tree = new AgentTree([
  { id: "lead", budget: 300 },
  { id: "helper", parent: "lead", budget: 100 },
]);

describe("BudgetLineCache", () => {
  it("gives an agent the same lines all day, equal to what budgetLinesFor builds", () => {
    const cache = new BudgetLineCache(limits, tree);
    const first = cache.lines("daily:2026-12-07", "helper");
    expect(first).toEqual(budgetLinesFor(limits, tree, "daily:2026-12-07", "helper"));
    expect(cache.lines("daily:2026-12-07", "helper")).toBe(first);
    expect(cache.lines("daily:2026-12-07", "lead")).toEqual(budgetLinesFor(limits, tree, "daily:2026-12-07", "lead"));
  });

  it("builds new lines when the day changes", () => {
    const cache = new BudgetLineCache(limits, tree);
    const today = cache.lines("daily:2026-12-07", "helper");
    const tomorrow = cache.lines("daily:2026-12-08", "helper");
    expect(tomorrow).not.toBe(today);
    expect(tomorrow[0]).toEqual({ key: "daily:2026-12-08", limit: 500 });
  });

  it("caches settle keys per model for today's lines, and computes them for any other lines", () => {
    const cache = new BudgetLineCache(limits, tree);
    const lines = cache.lines("daily:2026-12-07", "helper");
    const keys = cache.settleKeys(lines, "helper", "gpt-4o-mini");
    expect(keys).toEqual(settleKeysFor(lines, tree, "helper", "gpt-4o-mini"));
    expect(cache.settleKeys(lines, "helper", "gpt-4o-mini")).toBe(keys);
    expect(cache.settleKeys(lines, "helper", "gpt-4o")).toContain("model:gpt-4o");
    // A reservation admitted yesterday settles on yesterday's lines, whatever the cache holds now.
    const yesterday = budgetLinesFor(limits, tree, "daily:2026-12-06", "helper");
    expect(cache.settleKeys(yesterday, "helper", "gpt-4o-mini")).toContain("daily:2026-12-06");
    expect(cache.settleKeys(yesterday, "helper", "gpt-4o-mini")).not.toContain("daily:2026-12-07");
  });

  it("stays bounded when every call names another agent", () => {
    const cache = new BudgetLineCache(limits, tree);
    for (let i = 0; i < 1_000; i++) cache.lines("daily:2026-12-07", `agent-${i}`);
    const lines = cache.lines("daily:2026-12-07", "agent-999");
    expect(lines).toBe(cache.lines("daily:2026-12-07", "agent-999"));
    expect((cache as unknown as { byAgent: Map<string, unknown> }).byAgent.size).toBeLessThanOrEqual(256);
  });
});
