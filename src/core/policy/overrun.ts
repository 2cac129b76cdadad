// Limits a settled call left exceeded. Settling always records (the money is spent); when the
// real usage came in above the admitted estimate — or in warn/log mode — the settle decision says
// which limit is now past, in the same words as the pre-flight reasons ("exceeds", not "would").

import type { Nanos } from "../money.js";
import type { BudgetLine, SettledLine } from "./store.js";
import type { Limits } from "./types.js";
import type { Violation } from "./evaluate.js";
import { roleOf } from "./keys.js";
import { limitOfLine } from "./budget-lines.js";
import { agentReason, budgetReason, dailyReason, perCallReason, perSessionReason } from "./reasons.js";

/** Figures after a settle. */
export interface SettledFigures {
  cost: Nanos;
  sessionSpent: Nanos;
  settled: readonly SettledLine[];
  lines: readonly BudgetLine[];
  callAgent: string;
  /** Words for the daily window of a day key (see dayWindowLabel). */
  dayWindow?: (day: string) => string;
}

/** Every limit that the committed spend now exceeds (per-call, per-session, day, total, agents). */
export function settledViolations(limits: Limits, f: SettledFigures): Violation[] {
  const out: Violation[] = [];
  if (limits.perCall !== undefined && f.cost > limits.perCall) {
    out.push({ dimension: "per_call", reason: perCallReason(f.cost, limits.perCall) });
  }
  if (limits.perSession !== undefined && f.sessionSpent > limits.perSession) {
    out.push({ dimension: "per_session", reason: perSessionReason(f.sessionSpent, limits.perSession, true) });
  }
  let agentDone = false;
  for (const s of f.settled) {
    const limit = limitOfLine(f.lines, s.key);
    if (limit === undefined || s.spentAfter <= limit) continue;
    const role = roleOf(s.key);
    if (role.kind === "daily") out.push({ dimension: "daily", reason: dailyReason(s.spentAfter, limit, true, f.dayWindow?.(role.day)) });
    else if (role.kind === "total") out.push({ dimension: "budget", reason: budgetReason(s.spentAfter, limit, true) });
    else if (role.kind === "agent" && !agentDone) {
      // Lines run from the calling agent upwards: the nearest exceeded budget is named.
      agentDone = true;
      out.push({ dimension: "agent_budget", reason: agentReason(role.agentId, f.callAgent, s.spentAfter, limit, true) });
    }
  }
  return out;
}
