// The ledger's session_start line: what ran, under which config and limits (USD for readers).
import { nanosToUsd, type Nanos } from "../core/money.js";
import type { AgentSpec, Limits } from "../core/policy/types.js";
import { LEDGER_VERSION, type SessionStartLine } from "../ledger/entry.js";

const usd = (n: Nanos | undefined): number | null => (n === undefined ? null : nanosToUsd(n));

/** Builds the session_start line. */
export function sessionStartLine(s: {
  ts: string;
  sessionId: string;
  command: readonly string[];
  configPath: string | null;
  digest: string;
  limits: Limits;
  agents: readonly AgentSpec[];
  defaultAgent: string;
}): SessionStartLine {
  return {
    v: LEDGER_VERSION,
    type: "session_start",
    ts: s.ts,
    session_id: s.sessionId,
    command: [...s.command],
    config_path: s.configPath,
    config_digest: s.digest,
    limits: {
      budget_usd: usd(s.limits.budget),
      per_call_limit_usd: usd(s.limits.perCall),
      per_session_limit_usd: usd(s.limits.perSession),
      daily_budget_usd: usd(s.limits.daily),
      per_minute_tokens: s.limits.perMinuteTokens ?? null,
      alert_threshold: s.limits.alertThreshold,
      on_exceed: s.limits.onExceed,
    },
    agents: Object.fromEntries(s.agents.map((a) => [a.id, { parent: a.parent ?? null, budget_usd: usd(a.budget) }])),
    default_agent: s.defaultAgent,
  };
}
