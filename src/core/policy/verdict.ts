// The decision for a call that was not (or not yet) recorded, from what it violates and the mode.
import type { Nanos } from "../money.js";
import { FATAL_DIMENSIONS, type Decision, type Limits } from "./types.js";
import type { Violation } from "./evaluate.js";

/** block mode refuses (fatal for the run-ending dimensions); warn and log let the call through. */
export function verdictFor(limits: Limits, sessionSpent: Nanos, cost: Nanos, v: Violation | undefined): Decision {
  const projected = sessionSpent + cost;
  const base = { cost, alerts: [] };
  if (v === undefined) return { action: "allow", reason: "", dimension: "", cumulative: projected, fatal: false, ...base };
  if (limits.onExceed === "block") {
    return { action: "block", reason: v.reason, dimension: v.dimension, cumulative: sessionSpent, fatal: FATAL_DIMENSIONS.has(v.dimension), ...base };
  }
  const d: Decision = { action: "warn", reason: v.reason, dimension: v.dimension, cumulative: projected, fatal: false, ...base };
  if (limits.onExceed === "log") d.log = true;
  return d;
}

/**
 * The refusal of a call with a part aegis cannot price (an unknown model, web searches without a
 * rate: `reason` says which), whatever on_exceed says — no limit can hold on an unknown cost.
 */
export function unpricedDecision(reason: string, sessionSpent: Nanos): Decision {
  return { action: "block", reason, dimension: "unknown_model", cost: 0, cumulative: sessionSpent, fatal: false, alerts: [] };
}
