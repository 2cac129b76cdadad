// Builds the versioned report object (DESIGN §7) from plain figures, so the live governor
// (`GET /v1/report`, end of run) and `aegis report` over ledgers produce the same shape.

import { nanosToUsd, type Nanos } from "../money.js";
import type { AgentSpec, Limits } from "../policy/types.js";
import { buildAttributionTree, type DirectSpend } from "../attribution/index.js";
import { REPORT_VERSION, type AgentReportNode, type SessionReport, type TokenTotals } from "./types.js";

/** Everything a report is made of, money in nanos. */
export interface ReportInput {
  sessionId: string;
  limits: Limits;
  agents: readonly AgentSpec[];
  /** Direct spend and own calls per agent. */
  spendByAgent: ReadonlyMap<string, DirectSpend>;
  spendByModel: ReadonlyMap<string, Nanos>;
  /** The session's recorded spend. */
  spent: Nanos;
  /** Spend counted against the total budget (all sessions sharing it); defaults to `spent`. */
  totalSpent?: Nanos;
  callCount: number;
  blockedCount: number;
  warnedCount: number;
  tokens: TokenTotals;
  dailySpent: Nanos;
  tokensLastMinute: number;
}

/** The report object: USD rounded to 6 places, utilisation to 4, by_model/by_agent sorted by key. */
export function buildReport(input: ReportInput): SessionReport {
  const { limits } = input;
  const totalSpent = input.totalSpent ?? input.spent;
  const budget = limits.budget;
  const byAgent = [...input.spendByAgent].filter(([, s]) => s.calls > 0).map(([id, s]) => [id, s.direct] as const);
  return {
    version: REPORT_VERSION,
    session_id: input.sessionId,
    max_budget: budget === undefined ? 0 : usd6(budget),
    spent: usd6(input.spent),
    remaining: budget === undefined ? null : usd6(Math.max(0, budget - totalSpent)),
    utilization: budget === undefined || budget <= 0 ? 0 : round(Math.min(1, totalSpent / budget), 4),
    call_count: input.callCount,
    by_model: sortedUsd([...input.spendByModel]),
    by_agent: sortedUsd(byAgent),
    daily_spent: usd6(input.dailySpent),
    tokens_last_minute: input.tokensLastMinute,
    limits: {
      budget_usd: optionalUsd(limits.budget),
      per_call_limit_usd: optionalUsd(limits.perCall),
      per_session_limit_usd: optionalUsd(limits.perSession),
      daily_budget_usd: optionalUsd(limits.daily),
      per_minute_tokens: limits.perMinuteTokens ?? null,
      alert_threshold: limits.alertThreshold,
      on_exceed: limits.onExceed,
    },
    agents: buildAttributionTree(input.agents, input.spendByAgent).map(roundNode),
    blocked_count: input.blockedCount,
    warned_count: input.warnedCount,
    tokens: { ...input.tokens },
  };
}

// Nanos → USD rounded to 6 places on the integer (micro-dollars), ties to even as Python's round.
function usd6(nanos: Nanos): number {
  const micros = nanos / 1000;
  const floor = Math.floor(micros);
  const frac = micros - floor;
  const rounded = frac > 0.5 ? floor + 1 : frac < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return nanosToUsd(rounded * 1000);
}

function round(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

function optionalUsd(nanos: Nanos | undefined): number | null {
  return nanos === undefined ? null : usd6(nanos);
}

function sortedUsd(entries: ReadonlyArray<readonly [string, Nanos]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = usd6(v);
  return out;
}

// The tree carries full-precision USD; the report object rounds like every other amount.
function roundNode(n: AgentReportNode): AgentReportNode {
  const toUsd6 = (usd: number): number => usd6(Math.round(usd * 1e9));
  return {
    ...n,
    direct: toUsd6(n.direct),
    delegated: toUsd6(n.delegated),
    total: toUsd6(n.total),
    budget: n.budget === null ? null : toUsd6(n.budget),
    utilization: n.utilization === null ? null : round(n.utilization, 4),
    children: n.children.map(roundNode),
  };
}
