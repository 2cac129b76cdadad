// The versioned report object shared by `aegis report --json`, `GET /v1/report` and the end-of-run
// report (DESIGN §7). Keys are snake_case: the reference `get_report` keys plus the attribution tree.

/** Version of the report object; bump on any incompatible change. */
export const REPORT_VERSION = 1;

/** Token totals by kind. */
export interface TokenTotals {
  input: number;
  cache_read: number;
  cache_write: number;
  output: number;
  reasoning: number;
}

/** One agent of the attribution tree (children nested, in tree order). */
export interface AgentReportNode {
  agent_id: string;
  parent_id: string | null;
  /** Spend of the agent's own calls. */
  direct: number;
  /** Spend of all its descendants' calls (each counted once). */
  delegated: number;
  /** direct + delegated. */
  total: number;
  /** The agent's own recorded calls. */
  calls: number;
  /** Its own budget in USD, or null when it has none. */
  budget: number | null;
  /** total / budget, or null without a budget. */
  utilization: number | null;
  children: AgentReportNode[];
}

/** Limits in force, as configured (USD; null when not set). */
export interface ReportLimits {
  budget_usd: number | null;
  per_call_limit_usd: number | null;
  per_session_limit_usd: number | null;
  daily_budget_usd: number | null;
  per_minute_tokens: number | null;
  alert_threshold: number;
  on_exceed: string;
}

/** The report object. Money in USD, rounded to 6 places (the reference rounding); utilisation to 4. */
export interface SessionReport {
  version: typeof REPORT_VERSION;
  session_id: string;
  /** The total budget in USD (0 when unlimited, as the reference reports it). */
  max_budget: number;
  spent: number;
  /** Remaining total budget, or null when unlimited. */
  remaining: number | null;
  utilization: number;
  call_count: number;
  by_model: Record<string, number>;
  by_agent: Record<string, number>;
  daily_spent: number;
  tokens_last_minute: number;
  limits: ReportLimits;
  agents: AgentReportNode[];
  blocked_count: number;
  warned_count: number;
  tokens: TokenTotals;
}
