// Alert-threshold crossings (DESIGN §6: "The alert threshold always warns, once per budget
// crossing"). An alert belongs to the one recorded call whose spend takes a budget's utilisation
// from below the threshold to at or above it. Committed spend only grows, so each budget crosses
// once; a new day is a new daily key starting from zero, so the daily alert can fire again.

import type { Nanos } from "../money.js";
import type { BudgetLine, SettledLine } from "./store.js";
import type { Alert } from "./types.js";
import { roleOf } from "./keys.js";
import { limitOfLine } from "./budget-lines.js";
import { alertMessage } from "./reasons.js";

/** True when spend went from below `threshold` of `limit` to at or above it. */
export function crossesThreshold(before: Nanos, after: Nanos, limit: Nanos, threshold: number): boolean {
  if (limit <= 0) return before <= 0 && after > 0;
  return before / limit < threshold && after / limit >= threshold;
}

/** The per-session budget's alert, if this settle crossed it. */
export function sessionAlert(before: Nanos, after: Nanos, limit: Nanos | undefined, threshold: number): Alert[] {
  if (limit === undefined || !crossesThreshold(before, after, limit, threshold)) return [];
  const utilization = limit > 0 ? after / limit : 1;
  return [
    {
      dimension: "per_session_alert",
      utilization,
      threshold,
      message: alertMessage({ kind: "session" }, utilization, threshold),
    },
  ];
}

/** Alerts of the shared budgets (day, total, agents) that this settle crossed, in that order. */
export function storeAlerts(settled: readonly SettledLine[], lines: readonly BudgetLine[], threshold: number): Alert[] {
  const out: Alert[] = [];
  for (const s of settled) {
    const limit = limitOfLine(lines, s.key);
    if (limit === undefined || !crossesThreshold(s.spentBefore, s.spentAfter, limit, threshold)) continue;
    const utilization = limit > 0 ? s.spentAfter / limit : 1;
    const role = roleOf(s.key);
    if (role.kind === "daily") {
      out.push({ dimension: "daily_alert", utilization, threshold, message: alertMessage({ kind: "daily" }, utilization, threshold) });
    } else if (role.kind === "total") {
      out.push({ dimension: "budget_alert", utilization, threshold, message: alertMessage({ kind: "budget" }, utilization, threshold) });
    } else if (role.kind === "agent") {
      out.push({
        dimension: "agent_budget_alert",
        agentId: role.agentId,
        utilization,
        threshold,
        message: alertMessage({ kind: "agent", agentId: role.agentId }, utilization, threshold),
      });
    }
  }
  return out;
}
