// The attribution tree (DESIGN §7): per agent, its own ("direct") spend, its descendants' spend
// ("delegated", each call counted once — the reference double counted it), their sum, its own
// call count and its budget. Built from direct spend per agent only, so the governor's end-of-run
// report and `aegis report` over ledgers share it.

import { nanosToUsd, type Nanos } from "../money.js";
import type { AgentSpec } from "../policy/types.js";
import type { AgentReportNode } from "../report/types.js";

/** Direct spend and own call count of one agent. */
export interface DirectSpend {
  direct: Nanos;
  calls: number;
}

/**
 * Builds the tree in declaration order (children under their parent). Agents with spend but no
 * declaration become top-level nodes without a budget, after the declared roots, sorted by id.
 * Money is in USD at full precision (nanos / 1e9): formatting or rounding happens later, once.
 */
export function buildAttributionTree(
  agents: readonly AgentSpec[],
  spend: ReadonlyMap<string, DirectSpend>,
): AgentReportNode[] {
  const declared = new Set(agents.map((a) => a.id));
  const childrenOf = new Map<string | undefined, AgentSpec[]>();
  for (const a of agents) {
    // A parent that is not declared cannot hold the node: it becomes a root rather than vanish.
    const parent = a.parent !== undefined && declared.has(a.parent) ? a.parent : undefined;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), a]);
  }
  const build = (spec: AgentSpec, parentId: string | null, seen: Set<string>): { node: AgentReportNode; subtree: Nanos } => {
    const own = spend.get(spec.id) ?? { direct: 0, calls: 0 };
    const next = new Set(seen).add(spec.id);
    const built = (childrenOf.get(spec.id) ?? []).filter((c) => !next.has(c.id)).map((c) => build(c, spec.id, next));
    const delegated = built.reduce((sum, b) => sum + b.subtree, 0);
    const total = own.direct + delegated;
    return {
      node: {
        agent_id: spec.id,
        parent_id: parentId,
        direct: nanosToUsd(own.direct),
        delegated: nanosToUsd(delegated),
        total: nanosToUsd(total),
        calls: own.calls,
        budget: spec.budget === undefined ? null : nanosToUsd(spec.budget),
        utilization: utilizationOf(total, spec.budget),
        children: built.map((b) => b.node),
      },
      subtree: total,
    };
  };
  const roots = (childrenOf.get(undefined) ?? []).map((a) => build(a, null, new Set()).node);
  const undeclared = [...spend.keys()].filter((id) => !declared.has(id)).sort();
  return [...roots, ...undeclared.map((id) => build({ id }, null, new Set()).node)];
}

// total / budget; a zero budget is fully used by any spend (JSON has no Infinity).
function utilizationOf(total: Nanos, budget: Nanos | undefined): number | null {
  if (budget === undefined) return null;
  if (budget <= 0) return total > 0 ? 1 : 0;
  return total / budget;
}
