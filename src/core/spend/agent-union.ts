// The delegation tree of a report over several sessions: the union of their trees. An agent keeps
// the parent and budget of the first session (in start order) that declares it, so the union is
// acyclic whenever each session's own tree is (a later session can only add new agents).

import { usdToNanos } from "../money.js";
import type { AgentSpec } from "../policy/types.js";
import type { SessionFacts } from "./types.js";

/** The union of the sessions' agent trees, in declaration order. */
export function unionAgentTrees(sessions: readonly SessionFacts[]): AgentSpec[] {
  const ordered = [...sessions].sort((a, b) => {
    const sa = a.started ?? "\uffff";
    const sb = b.started ?? "\uffff";
    return sa < sb ? -1 : sa > sb ? 1 : a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0;
  });
  const specs = new Map<string, AgentSpec>();
  for (const s of ordered) {
    for (const [id, a] of Object.entries(s.agents)) {
      if (specs.has(id)) continue;
      const spec: AgentSpec = { id };
      if (a.parent !== null) spec.parent = a.parent;
      if (a.budget_usd !== null) spec.budget = usdToNanos(a.budget_usd);
      specs.set(id, spec);
    }
  }
  return [...specs.values()];
}
