// The session ledger's line format (DESIGN §7): append-only JSON Lines, one self-describing object
// per line, each carrying the format version `v`. Writers (aegis run) and readers (aegis report)
// share these types; change them only with a version bump and a reader for the old version.

import type { ReportLimits } from "../core/report/types.js";

/** Ledger format version written on every line. */
export const LEDGER_VERSION = 1;

/** Token counts by kind, as recorded for one call. */
export interface LedgerTokens {
  input: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  output: number;
  reasoning: number;
  /** Server-side web searches (billed per request; already inside cost_nanos). Only when non-zero. */
  web_search_requests?: number;
}

/**
 * An inference the provider ran inside a call on another model (an Anthropic advisor iteration):
 * its own tokens, the entry it was priced as and its cost, which the call's cost_nanos includes.
 */
export interface LedgerSubInference {
  model: string;
  /** The pricing entry the model resolved to, or null when it could not be priced. */
  priced_as: string | null;
  tokens: LedgerTokens;
  /** Its cost at its own model's rates, or null when unpriced (the call then billed its estimate). */
  cost_nanos: number | null;
}

/** First line of a session: what ran, under which config and limits. */
export interface SessionStartLine {
  v: typeof LEDGER_VERSION;
  type: "session_start";
  ts: string;
  session_id: string;
  command: string[];
  config_path: string | null;
  /** sha256 of the effective config, so reports can tell sessions with different rules apart. */
  config_digest: string;
  /** The limits in force, in the report object's shape. */
  limits: ReportLimits;
  /** The delegation tree: agent id → parent and own budget (USD). */
  agents: Record<string, { parent: string | null; budget_usd: number | null }>;
  default_agent: string;
}

/** One governed call: its verdict, tokens and cost. Blocked calls carry the cost they would have had. */
export interface DecisionLine {
  v: typeof LEDGER_VERSION;
  type: "decision";
  ts: string;
  session_id: string;
  /** Unique call id; a reader counts a duplicated id once. */
  id: string;
  agent: string;
  model: string;
  /** The pricing entry the model resolved to, or null when it could not be priced. */
  priced_as: string | null;
  provider: string | null;
  source: "api" | "proxy" | "client";
  action: "allow" | "warn" | "block";
  dimension: string;
  reason: string;
  tokens: LedgerTokens;
  cost_usd: number;
  /** Exact cost in integer nano-USD: readers sum this, never the float. */
  cost_nanos: number;
  /** Session spend after this line (allow/warn) or before it (block), in USD. */
  cumulative_usd: number;
  action_type?: string;
  /** True when the usage could not be read from the response and the worst-case estimate was billed. */
  estimated?: boolean;
  /** Sub-inferences on other models (advisor iterations), apart from `tokens`; cost_nanos includes them. */
  sub_inferences?: LedgerSubInference[];
}

/** A budget crossing its alert threshold (printed once per crossing). */
export interface AlertLine {
  v: typeof LEDGER_VERSION;
  type: "alert";
  ts: string;
  session_id: string;
  dimension: string;
  agent?: string;
  utilization: number;
  threshold: number;
  message: string;
}

/** A `log`-mode limit message (on_exceed: log writes its reason to the ledger and stderr). */
export interface LogLine {
  v: typeof LEDGER_VERSION;
  type: "log";
  ts: string;
  session_id: string;
  call_id: string;
  dimension: string;
  message: string;
}

/**
 * A recorded usage that was not charged because the proxy had already metered the same call
 * (an in-process integration recording a call that went through the proxy). Not spend: readers
 * count the call once, from its decision line `duplicate_of`.
 */
export interface DuplicateLine {
  v: typeof LEDGER_VERSION;
  type: "duplicate";
  ts: string;
  session_id: string;
  /** Ledger id of the proxy's decision line for the call. */
  duplicate_of: string;
  /** The agent the record named (or the default agent). */
  agent: string;
  /** The agent the proxy's call was charged to. */
  charged_agent: string;
  model: string;
  source: "api" | "client";
  tokens: LedgerTokens;
  action_type?: string;
}

/** Last line of a session: how the agent ended and the session's totals. */
export interface SessionEndLine {
  v: typeof LEDGER_VERSION;
  type: "session_end";
  ts: string;
  session_id: string;
  exit_code: number;
  signal: string | null;
  /** Why aegis stopped the agent, or null when the agent ended by itself. */
  stopped_reason: string | null;
  totals: { spent_usd: number; spent_nanos: number; calls: number; blocked: number; warned: number };
}

/** Any ledger line. */
export type LedgerLine = SessionStartLine | DecisionLine | AlertLine | LogLine | DuplicateLine | SessionEndLine;
