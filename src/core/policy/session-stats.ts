// What one session recorded, kept for its report: spend and calls per agent, spend per model,
// tokens by kind, and how many calls were blocked or warned.

import type { Nanos } from "../money.js";
import type { Usage } from "../usage.js";
import type { TokenTotals } from "../report/types.js";

/** Direct spend and call count of one agent. */
export interface AgentSpend {
  direct: Nanos;
  calls: number;
}

/** Running totals of a session. */
export class SessionStats {
  readonly byAgent = new Map<string, AgentSpend>();
  readonly byModel = new Map<string, Nanos>();
  readonly tokens: TokenTotals = { input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
  callCount = 0;
  blockedCount = 0;
  warnedCount = 0;

  /** Adds one recorded call. */
  record(agentId: string, usage: Usage, cost: Nanos): void {
    const a = this.byAgent.get(agentId) ?? { direct: 0, calls: 0 };
    this.byAgent.set(agentId, { direct: a.direct + cost, calls: a.calls + 1 });
    this.byModel.set(usage.model, (this.byModel.get(usage.model) ?? 0) + cost);
    this.tokens.input += usage.inputTokens;
    this.tokens.cache_read += usage.cacheReadTokens;
    this.tokens.cache_write += usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
    this.tokens.output += usage.outputTokens;
    this.tokens.reasoning += usage.reasoningTokens;
    this.callCount++;
  }
}
