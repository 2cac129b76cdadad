// Decisions as the metering API spells them (DESIGN §4): snake_case, money in USD numbers.
import { nanosToUsd } from "../core/money.js";
import type { Decision } from "../core/policy/types.js";

/** The JSON body of a decision. */
export interface DecisionJson {
  action: Decision["action"];
  reason: string;
  dimension: string;
  cost_usd: number;
  cumulative_usd: number;
  /** True when the block means the run cannot go on (aegis stops the agent). */
  fatal: boolean;
  alerts: { dimension: string; agent_id?: string; utilization: number; threshold: number; message: string }[];
  /** Present when the recorded call had already been metered by the proxy: that call's ledger id (nothing was recorded again). */
  duplicate_of?: string;
}

/** Converts a decision to its JSON body. */
export function decisionToJson(decision: Decision): DecisionJson {
  return {
    action: decision.action,
    reason: decision.reason,
    dimension: decision.dimension,
    cost_usd: nanosToUsd(decision.cost),
    cumulative_usd: nanosToUsd(decision.cumulative),
    fatal: decision.fatal,
    alerts: decision.alerts.map((a) => ({
      dimension: a.dimension,
      ...(a.agentId !== undefined ? { agent_id: a.agentId } : {}),
      utilization: a.utilization,
      threshold: a.threshold,
      message: a.message,
    })),
    ...(decision.duplicateOf !== undefined ? { duplicate_of: decision.duplicateOf } : {}),
  };
}
