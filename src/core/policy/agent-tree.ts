// The delegation tree as the governor walks it: for any agent, the path from it up to its root.
// The config layer reports unknown parents and cycles to the user; these checks only guard the
// governor against a tree built some other way (a library caller).

import type { AgentSpec } from "./types.js";

/** Agent a call is charged to when the session names none and the tree has no single root. */
export const FALLBACK_AGENT = "main";

/** The agent calls default to: the tree's only root, else "main" (DESIGN §5: `--agent`, else the root). */
export function defaultAgentOf(agents: readonly AgentSpec[]): string {
  const roots = agents.filter((a) => a.parent === undefined);
  return roots.length === 1 && roots[0] !== undefined ? roots[0].id : FALLBACK_AGENT;
}

/** Lookup of agents and their ancestor paths. */
export class AgentTree {
  private readonly byId = new Map<string, AgentSpec>();
  private readonly paths = new Map<string, readonly AgentSpec[]>();

  constructor(agents: readonly AgentSpec[]) {
    for (const a of agents) {
      if (this.byId.has(a.id)) throw new Error(`agents: "${a.id}" is declared twice`);
      this.byId.set(a.id, a);
    }
    for (const a of agents) {
      if (a.parent !== undefined && !this.byId.has(a.parent)) {
        throw new Error(`agents.${a.id}.parent: unknown agent "${a.parent}"`);
      }
      this.pathOf(a.id);
    }
  }

  /**
   * The agent and its ancestors, nearest first. An agent the tree does not know stands alone
   * (no budget, no parent): calls may name agents the config never declared.
   */
  pathOf(agentId: string): readonly AgentSpec[] {
    const cached = this.paths.get(agentId);
    if (cached !== undefined) return cached;
    const path: AgentSpec[] = [];
    const seen = new Set<string>();
    let cur: AgentSpec | undefined = this.byId.get(agentId) ?? { id: agentId };
    while (cur !== undefined) {
      if (seen.has(cur.id)) throw new Error(`agents: cycle through "${cur.id}"`);
      seen.add(cur.id);
      path.push(cur);
      cur = cur.parent === undefined ? undefined : this.byId.get(cur.parent);
    }
    if (this.byId.has(agentId)) this.paths.set(agentId, path);
    return path;
  }
}
