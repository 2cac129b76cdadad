import type { Nanos } from "../money.js";
import type { Usage } from "../usage.js";

/** What to do when a limit is exceeded (DESIGN §2). */
export type OnExceed = "block" | "warn" | "log";

/** A decision's verdict, as the metering API spells it. */
export type Action = "allow" | "warn" | "block";

/**
 * The dimension a decision refers to. Limit dimensions are checked in this order (DESIGN §6):
 * per_call, per_session, daily, per_minute_tokens, budget, agent_budget. "loop" and "unknown_model"
 * come before them (a call that cannot be priced or is a loop is refused whatever it costs);
 * the "*_alert" dimensions mark the call that first crosses the alert threshold of a budget;
 * "store" marks a call decided without the shared budget store (unreachable or unusable).
 */
export type Dimension =
  | ""
  | "unknown_model"
  | "loop"
  | "per_call"
  | "per_session"
  | "daily"
  | "per_minute_tokens"
  | "budget"
  | "agent_budget"
  | "store"
  | "per_session_alert"
  | "daily_alert"
  | "budget_alert"
  | "agent_budget_alert";

/** Dimensions whose block means the run cannot go on (DESIGN §6 "Killing"). */
export const FATAL_DIMENSIONS: ReadonlySet<Dimension> = new Set<Dimension>(["per_session", "daily", "budget", "loop"]);

/** Cost limits in force for a session, money in nanos. Absent limits are not enforced. */
export interface Limits {
  budget?: Nanos;
  perCall?: Nanos;
  perSession?: Nanos;
  daily?: Nanos;
  /** IANA time zone whose midnight resets the daily budget; absent means UTC. */
  dailyResetTimezone?: string;
  perMinuteTokens?: number;
  /** Fraction (0, 1] of a budget at which one alert is raised per crossing. */
  alertThreshold: number;
  onExceed: OnExceed;
  /** Loop detection; `loop_detection: false` in the config gives threshold Infinity (never trips). */
  loop: { windowSeconds: number; threshold: number };
}

/** An agent of the delegation tree: its parent (if any) and its own budget (if any). */
export interface AgentSpec {
  id: string;
  parent?: string;
  budget?: Nanos;
}

/** One call presented to the governor. */
export interface CallRequest {
  usage: Usage;
  /** Agent of the tree; absent means the session's default agent. */
  agentId?: string;
  /** Caller-supplied label (metering API `action_type`). */
  actionType?: string;
  /**
   * Fingerprint of the request content (model + prompt) for loop detection. Absent means the
   * caller could not say; then model + agent + action_type + token counts stand in for it.
   */
  fingerprint?: string;
  /**
   * The least this call can cost, when `usage` is only its worst case (the proxy's admission):
   * a session, daily or total block is fatal only when the settled spend leaves no room even for
   * this. Absent means `usage` is the real usage.
   */
  minimumUsage?: Usage;
}

/** The verdict on one call (DESIGN §4), money in nanos. */
export interface Decision {
  action: Action;
  reason: string;
  dimension: Dimension;
  /** The call's cost (its worst-case estimate for an admission). */
  cost: Nanos;
  /** Session spend after the call if it was recorded, else the spend before it. */
  cumulative: Nanos;
  /** True when the block means the run cannot go on (see FATAL_DIMENSIONS). */
  fatal: boolean;
  /** Alerts this call raised (threshold crossings), each once per crossing. */
  alerts: Alert[];
  /**
   * on_exceed "log": the caller writes the reason to the ledger (a `log` line) and to stderr.
   * Set only on decisions whose reason is an exceeded limit under `log` mode.
   */
  log?: boolean;
  /**
   * Set when a recorded usage was a copy of a call the proxy had already metered (an in-process
   * integration recording a call that went through the proxy): that call's ledger id. Nothing was
   * recorded again; `cost` is that call's cost.
   */
  duplicateOf?: string;
}

/** A threshold crossing: one line to stderr and the ledger. */
export interface Alert {
  dimension: Exclude<Dimension, "">;
  /** Agent whose budget crossed, for agent_budget_alert. */
  agentId?: string;
  utilization: number;
  threshold: number;
  message: string;
}
