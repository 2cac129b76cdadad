// Which shared budget keys a call touches: the lines it is checked and reserved against, and the
// keys its settled spend is added to (the store keeps totals per key).
import type { Limits } from "./types.js";
import type { AgentTree } from "./agent-tree.js";
import type { Nanos } from "../money.js";
import type { BudgetLine } from "./store.js";
import { agentKey, modelKey, TOTAL_KEY } from "./keys.js";

/**
 * The shared budgets a call is charged to: the day (`dayKey`, the store key dailyKey built for the
 * call's day in the daily budget's zone), the total, and every budgeted agent on its path.
 */
export function budgetLinesFor(limits: Limits, tree: AgentTree, dayKey: string, agentId: string): BudgetLine[] {
  const lines: BudgetLine[] = [
    { key: dayKey, ...(limits.daily !== undefined ? { limit: limits.daily } : {}) },
    { key: TOTAL_KEY, ...(limits.budget !== undefined ? { limit: limits.budget } : {}) },
  ];
  for (const a of tree.pathOf(agentId)) {
    if (a.budget !== undefined) lines.push({ key: agentKey(a.id), limit: a.budget });
  }
  return lines;
}

/** The limit of the line keyed `key`, if any. A call has a handful of lines: a scan, not a Map a settle. */
export function limitOfLine(lines: readonly BudgetLine[], key: string): Nanos | undefined {
  for (const line of lines) if (line.key === key) return line.limit;
  return undefined;
}

/**
 * Keys a settle adds the spend to: the reserved lines, every agent on the path (budgeted or not:
 * per-agent totals for reports, and history if a budget is added later) and the model.
 */
export function settleKeysFor(lines: readonly BudgetLine[], tree: AgentTree, agentId: string, model: string): string[] {
  const keys = new Set(lines.map((l) => l.key));
  for (const a of tree.pathOf(agentId)) keys.add(agentKey(a.id));
  keys.add(modelKey(model));
  return [...keys];
}
