// Plain facts a ledger reader extracts and the aggregation over them (pure data, no I/O).
// Money is integer nanos; tokens are counts; days are "YYYY-MM-DD" in the report's zone.

import type { Nanos } from "../money.js";
import type { ReportLimits } from "../report/types.js";

/** Sums over a set of calls. `calls` and the money/tokens count recorded calls (allow, warn). */
export interface SpendSums {
  calls: number;
  blocked: number;
  warned: number;
  nanos: Nanos;
  input: number;
  cache_read: number;
  /** Cache writes of every TTL. */
  cache_write: number;
  output: number;
  reasoning: number;
}

/** The finest grain of aggregation: one (session, agent, model, day) combination. */
export interface SpendCell extends SpendSums {
  session: string;
  agent: string;
  model: string;
  day: string;
}

/** One governed call, as the aggregation needs it. */
export interface CallFact {
  ts: string;
  session: string;
  agent: string;
  model: string;
  day: string;
  action: "allow" | "warn" | "block";
  dimension: string;
  reason: string;
  nanos: Nanos;
  input: number;
  cache_read: number;
  cache_write: number;
  output: number;
  reasoning: number;
}

/** A blocked or warned decision, for the report's list. */
export interface FlaggedDecision {
  ts: string;
  session: string;
  agent: string;
  model: string;
  action: "warn" | "block";
  dimension: string;
  reason: string;
}

/** Limits of a session as its ledger records them (USD; null when not set): the report's shape. */
export type RecordedLimits = ReportLimits;

/** What the ledger says about one session (from its session_start and session_end lines). */
export interface SessionFacts {
  session_id: string;
  started: string | null;
  ended: string | null;
  limits: RecordedLimits | null;
  agents: Record<string, { parent: string | null; budget_usd: number | null }>;
  default_agent: string | null;
  exit_code: number | null;
  stopped_reason: string | null;
}

/** The groupings a report can be broken down by. */
export type GroupBy = "agent" | "model" | "day" | "session";

/** One row of a grouping. */
export interface GroupRow extends SpendSums {
  key: string;
}
