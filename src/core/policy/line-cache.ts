// A call's budget lines, and the keys its spend settles on, are the same for every call of one
// agent on one day (the keys: and one model). Made once and shared, they cost no allocation a
// call: building them was ~1.4 KB of the ~18 KB the service path allocated a proxied call
// (bench/service-path.mjs), and every byte allocated brings the next young-generation collection
// closer. Whoever receives the lines or keys only reads them.
import type { AgentTree } from "./agent-tree.js";
import { budgetLinesFor, settleKeysFor } from "./budget-lines.js";
import type { BudgetLine } from "./store.js";
import type { Limits } from "./types.js";

// Agent ids and model names come from requests, so the cache is bounded: past this many entries it
// starts afresh (it only ever saves work).
const MAX_AGENTS = 256;
const MAX_MODELS = 64;

interface AgentLines {
  lines: readonly BudgetLine[];
  keysByModel: Map<string, readonly string[]>;
}

/** The current day's budget lines by agent, and their settle keys by model. */
export class BudgetLineCache {
  private day = "";
  private readonly byAgent = new Map<string, AgentLines>();

  constructor(
    private readonly limits: Limits,
    private readonly tree: AgentTree,
  ) {}

  /** The lines of a call by `agentId` on the day whose store key is `dayKey`. */
  lines(dayKey: string, agentId: string): readonly BudgetLine[] {
    if (dayKey !== this.day) {
      this.day = dayKey;
      this.byAgent.clear();
    }
    let entry = this.byAgent.get(agentId);
    if (entry === undefined) {
      if (this.byAgent.size >= MAX_AGENTS) this.byAgent.clear();
      entry = { lines: budgetLinesFor(this.limits, this.tree, dayKey, agentId), keysByModel: new Map() };
      this.byAgent.set(agentId, entry);
    }
    return entry.lines;
  }

  /** The keys a call's spend settles on; cached when `lines` are the ones lines() gives today. */
  settleKeys(lines: readonly BudgetLine[], agentId: string, model: string): readonly string[] {
    const entry = this.byAgent.get(agentId);
    // A reservation admitted on another day (or before the cache started afresh) settles on the
    // lines it was admitted with: computed, not cached.
    if (entry === undefined || entry.lines !== lines) return settleKeysFor(lines, this.tree, agentId, model);
    let keys = entry.keysByModel.get(model);
    if (keys === undefined) {
      if (entry.keysByModel.size >= MAX_MODELS) entry.keysByModel.clear();
      keys = settleKeysFor(lines, this.tree, agentId, model);
      entry.keysByModel.set(model, keys);
    }
    return keys;
  }
}
