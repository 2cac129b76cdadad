// Which limits a call violates. Pure functions over numbers the governor gathered: the local ones
// (per call, per session, per-minute tokens) and the shared ones the store answered with (day,
// total, agents). The governor then lets the first violation in DESIGN §6 order decide.

import type { Nanos } from "../money.js";
import type { LineUse } from "./store.js";
import type { Dimension, Limits } from "./types.js";
import { roleOf } from "./keys.js";
import { agentReason, budgetReason, dailyReason, perCallReason, perSessionReason, rateReason } from "./reasons.js";

/** One violated limit and the reason text for it. */
export interface Violation {
  dimension: Exclude<Dimension, "">;
  reason: string;
}

// Refusals that do not depend on money come first, then DESIGN §6's limit order.
const ORDER: readonly Dimension[] = [
  "unknown_model",
  "loop",
  "per_call",
  "per_session",
  "daily",
  "per_minute_tokens",
  "budget",
  "agent_budget",
];

/** The violation that decides: the first in DESIGN §6 order, or undefined when there is none. */
export function firstViolation(violations: readonly Violation[]): Violation | undefined {
  let best: Violation | undefined;
  for (const v of violations) {
    if (best === undefined || ORDER.indexOf(v.dimension) < ORDER.indexOf(best.dimension)) best = v;
  }
  return best;
}

/** The figures the governor itself holds for one call. */
export interface LocalFigures {
  cost: Nanos;
  tokens: number;
  /** Session spend plus this session's open reservations, before the call. */
  sessionUsed: Nanos;
  /** Tokens recorded or reserved in the last 60 s, before the call. */
  tokensInWindow: number;
}

/** Violations of the per-call, per-session and per-minute limits. Comparisons are strict: reaching a limit is allowed. */
export function localViolations(limits: Limits, f: LocalFigures): Violation[] {
  const out: Violation[] = [];
  if (limits.perCall !== undefined && f.cost > limits.perCall) {
    out.push({ dimension: "per_call", reason: perCallReason(f.cost, limits.perCall) });
  }
  if (limits.perSession !== undefined && f.sessionUsed + f.cost > limits.perSession) {
    out.push({ dimension: "per_session", reason: perSessionReason(f.sessionUsed + f.cost, limits.perSession) });
  }
  if (limits.perMinuteTokens !== undefined && f.tokensInWindow + f.tokens > limits.perMinuteTokens) {
    out.push({ dimension: "per_minute_tokens", reason: rateReason(f.tokensInWindow + f.tokens, limits.perMinuteTokens) });
  }
  return out;
}

/**
 * Violations of the shared budgets, from what each store line had in use. Of several exhausted
 * agent budgets on the path, the one with the least room binds (the child's effective budget is
 * the least remaining along its path); lines come ordered from the calling agent up to the root.
 */
export function storeViolations(
  lines: readonly LineUse[],
  cost: Nanos,
  callAgent: string,
  dayWindow?: (day: string) => string,
): Violation[] {
  const out: Violation[] = [];
  let binding: { agentId: string; projected: Nanos; limit: Nanos; room: Nanos } | undefined;
  for (const line of lines) {
    if (line.limit === undefined || line.used + cost <= line.limit) continue;
    const projected = line.used + cost;
    const role = roleOf(line.key);
    if (role.kind === "daily") out.push({ dimension: "daily", reason: dailyReason(projected, line.limit, false, dayWindow?.(role.day)) });
    else if (role.kind === "total") out.push({ dimension: "budget", reason: budgetReason(projected, line.limit) });
    else if (role.kind === "agent") {
      const room = line.limit - line.used;
      if (binding === undefined || room < binding.room) binding = { agentId: role.agentId, projected, limit: line.limit, room };
    }
  }
  if (binding !== undefined) {
    out.push({
      dimension: "agent_budget",
      reason: agentReason(binding.agentId, callAgent, binding.projected, binding.limit),
    });
  }
  return out;
}
