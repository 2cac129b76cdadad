// Turns accumulated ledger data into the report object: the versioned SessionReport (DESIGN §7,
// built by the shared buildReport) plus what a report over ledgers adds — every grouping, the
// sessions it covers, the blocked/warned decisions and the filter that was applied.

import { usdToNanos, nanosToUsd, type Nanos } from "../money.js";
import type { Limits } from "../policy/types.js";
import { buildAttributionTree, type DirectSpend } from "../attribution/index.js";
import { buildReport } from "../report/build-report.js";
import type { AgentReportNode, SessionReport } from "../report/types.js";
import type { SpendState } from "./accumulator.js";
import { unionAgentTrees } from "./agent-union.js";
import { groupRows, totalSums } from "./group.js";
import type { RecordedLimits, SessionFacts } from "./types.js";

/** One session covered by a report. */
export interface SessionSummary {
  session_id: string;
  started: string | null;
  ended: string | null;
  exit_code: number | null;
  stopped_reason: string | null;
  spent: number;
  call_count: number;
  blocked_count: number;
  warned_count: number;
}

/** A blocked or warned decision as the JSON report lists it. */
export interface ReportedDecision {
  ts: string;
  session_id: string;
  agent: string;
  model: string;
  action: "warn" | "block";
  dimension: string;
  reason: string;
}

/**
 * The JSON of `aegis report`: a SessionReport (same keys and meaning as GET /v1/report) extended.
 * Over several sessions `session_id` is "" and `sessions` lists them; limits are the latest
 * session's. `daily_spent` is the spend on the report's "today" in its zone; `tokens_last_minute`
 * the tokens of the 60 s before its "now".
 */
export interface LedgerReport extends SessionReport {
  sessions: SessionSummary[];
  by_day: Record<string, number>;
  by_session: Record<string, number>;
  /** Blocked and warned decisions, oldest first (at most FLAGGED_LIMIT; see decisions_omitted). */
  decisions: ReportedDecision[];
  decisions_omitted: number;
  filter: { since: string | null; until: string | null; time_zone: string };
}

/** What the report is about: the zone, "today" in it, and the bounds that were applied. */
export interface LedgerReportContext {
  timeZone: string;
  today: string;
  since: string | null;
  until: string | null;
}

/** Builds the report object from accumulated ledger data. */
export function buildLedgerReport(state: SpendState, ctx: LedgerReportContext): LedgerReport {
  const sessions = allSessions(state);
  const totals = totalSums(state.cells);
  const spendByAgent = directSpend(state);
  const byModel = groupRows(state.cells, "model");
  const dailySpent = state.cells.reduce((sum, c) => (c.day === ctx.today ? sum + c.nanos : sum), 0);
  const base = buildReport({
    sessionId: sessions.length === 1 ? (sessions[0]?.session_id ?? "") : "",
    limits: limitsOf(latestLimits(sessions)),
    agents: unionAgentTrees(sessions),
    spendByAgent,
    spendByModel: new Map(byModel.filter((r) => r.calls > 0).map((r) => [r.key, r.nanos])),
    spent: totals.nanos,
    callCount: totals.calls,
    blockedCount: totals.blocked,
    warnedCount: totals.warned,
    tokens: { input: totals.input, cache_read: totals.cache_read, cache_write: totals.cache_write, output: totals.output, reasoning: totals.reasoning },
    dailySpent,
    tokensLastMinute: state.recentTokens,
  });
  const perSession = new Map(groupRows(state.cells, "session", sessions).map((r) => [r.key, r]));
  return {
    ...base,
    sessions: sessions.map((s) => {
      const r = perSession.get(s.session_id);
      return {
        session_id: s.session_id,
        started: s.started,
        ended: s.ended,
        exit_code: s.exit_code,
        stopped_reason: s.stopped_reason,
        spent: usd6(r?.nanos ?? 0),
        call_count: r?.calls ?? 0,
        blocked_count: r?.blocked ?? 0,
        warned_count: r?.warned ?? 0,
      };
    }),
    by_day: usdRecord(groupRows(state.cells, "day").filter((r) => r.calls > 0).map((r) => [r.key, r.nanos])),
    by_session: usdRecord([...perSession.values()].filter((r) => r.calls > 0).map((r) => [r.key, r.nanos])),
    decisions: sortedDecisions(state),
    decisions_omitted: state.flaggedOmitted,
    filter: { since: ctx.since, until: ctx.until, time_zone: ctx.timeZone },
  };
}

/** The attribution tree at full precision (for the human table, which rounds once, to 4 places). */
export function attributionOf(state: SpendState): AgentReportNode[] {
  return buildAttributionTree(unionAgentTrees(allSessions(state)), directSpend(state));
}

/** The total budget in force (the latest session's), in nanos, if any. */
export function budgetOf(state: SpendState): Nanos | undefined {
  return limitsOf(latestLimits(allSessions(state))).budget;
}

function directSpend(state: SpendState): Map<string, DirectSpend> {
  return new Map(groupRows(state.cells, "agent").map((r) => [r.key, { direct: r.nanos, calls: r.calls }]));
}

/** Sessions in start order, including those known only from their calls. */
export function allSessions(state: SpendState): SessionFacts[] {
  const known = new Map(state.sessions.map((s) => [s.session_id, s]));
  for (const c of state.cells) {
    if (!known.has(c.session)) {
      known.set(c.session, { session_id: c.session, started: null, ended: null, limits: null, agents: {}, default_agent: null, exit_code: null, stopped_reason: null });
    }
  }
  return [...known.values()].sort((a, b) => {
    const sa = a.started ?? "\uffff";
    const sb = b.started ?? "\uffff";
    return sa < sb ? -1 : sa > sb ? 1 : a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0;
  });
}

function sortedDecisions(state: SpendState): ReportedDecision[] {
  return state.flagged
    .map((f) => ({ ts: f.ts, session_id: f.session, agent: f.agent, model: f.model, action: f.action, dimension: f.dimension, reason: f.reason }))
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

function latestLimits(sessions: readonly SessionFacts[]): RecordedLimits | null {
  for (let i = sessions.length - 1; i >= 0; i--) {
    const limits = sessions[i]?.limits;
    if (limits) return limits;
  }
  return null;
}

// The recorded USD limits as the core's Limits (nanos); loop settings are not recorded and unused.
function limitsOf(l: RecordedLimits | null): Limits {
  const limits: Limits = {
    alertThreshold: l?.alert_threshold ?? 0.8,
    onExceed: l?.on_exceed === "warn" || l?.on_exceed === "log" ? l.on_exceed : "block",
    loop: { windowSeconds: 60, threshold: 5 },
  };
  if (l?.budget_usd != null) limits.budget = usdToNanos(l.budget_usd);
  if (l?.per_call_limit_usd != null) limits.perCall = usdToNanos(l.per_call_limit_usd);
  if (l?.per_session_limit_usd != null) limits.perSession = usdToNanos(l.per_session_limit_usd);
  if (l?.daily_budget_usd != null) limits.daily = usdToNanos(l.daily_budget_usd);
  if (l?.per_minute_tokens != null) limits.perMinuteTokens = l.per_minute_tokens;
  return limits;
}

/** Nanos → USD rounded to 6 places (micro-dollars), ties to even, as the report object rounds. */
export function usd6(nanos: Nanos): number {
  const micros = nanos / 1000;
  const floor = Math.floor(micros);
  const frac = micros - floor;
  const rounded = frac > 0.5 ? floor + 1 : frac < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  return nanosToUsd(rounded * 1000);
}

function usdRecord(entries: ReadonlyArray<readonly [string, Nanos]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of entries) out[k] = usd6(v);
  return out;
}
