// The policy enforcer's public entry: createGovernor and the store seam.

import type { PricingTable } from "../pricing/types.js";
import type { Clock, Governor } from "./governor.js";
import type { AgentSpec, Limits } from "./types.js";
import type { SharedBudgetStore } from "./store.js";
import { AgentTree, defaultAgentOf } from "./agent-tree.js";
import { utcDayKey, zonedDayKey, type DayKey } from "./day-key.js";
import { dayWindowLabel } from "./day-window.js";
import { canonicalZone, UTC_ZONE } from "./zone-name.js";
import { createMemoryStore } from "./memory-store.js";
import { SessionGovernor } from "./session-governor.js";

export type { Admission, Clock, Governor } from "./governor.js";
export type * from "./types.js";
export { FATAL_DIMENSIONS } from "./types.js";
export type * from "./store.js";
export { createMemoryStore } from "./memory-store.js";
export { defaultAgentOf, FALLBACK_AGENT } from "./agent-tree.js";
export { utcDayKey, zonedDayKey, type DayKey } from "./day-key.js";
export { agentKey, dailyKey, DAILY_PREFIX, modelKey, roleOf, TOTAL_KEY, type BudgetRole } from "./keys.js";
export { canonicalZone, isUtcZone, UTC_ZONE } from "./zone-name.js";
export { dayEndsAt, dayWindowLabel } from "./day-window.js";
export { SETTLED_ID_RETENTION_MS, StoreUnavailableError } from "./store.js";

/** How long an unsettled reservation holds budget before a shared store may reclaim it. */
export const DEFAULT_LEASE_MS = 15 * 60_000;

/** Options of createGovernor. */
export interface GovernorOptions {
  sessionId: string;
  limits: Limits;
  agents: AgentSpec[];
  /** Agent of calls that name none (default: the tree's only root, else "main"). */
  defaultAgent?: string;
  pricing: PricingTable;
  clock: Clock;
  /** Where the total, daily and agent budgets live (default: this process's memory). */
  store?: SharedBudgetStore;
  /** Reservation ids; must be unique across processes sharing a store (default: sessionId:n). */
  newId?: () => string;
  /**
   * Calendar day of an instant for the daily budget (default: the date in limits.dailyResetTimezone,
   * else UTC). The day's store key is qualified by limits.dailyResetTimezone either way (see dailyKey).
   */
  dayKey?: DayKey;
  /** Lease of a reservation in a shared store (default 15 minutes). */
  reservationLeaseMs?: number;
  /**
   * When the store is unavailable (StoreUnavailableError): false (default) blocks the call — no
   * call is admitted that cannot be accounted for; true admits it with a warning that is logged,
   * and its spend is settled to the store once the store answers again.
   */
  storeFailOpen?: boolean;
}

/** Creates the cost governor of one session (DESIGN §6). Throws on a malformed agent tree. */
export function createGovernor(options: GovernorOptions): Governor {
  let seq = 0;
  // One spelling per zone, so every run of that zone charges the same day rows and names it alike.
  const zone = canonicalZone(options.limits.dailyResetTimezone ?? UTC_ZONE);
  return new SessionGovernor({
    sessionId: options.sessionId,
    limits: options.limits,
    agents: options.agents,
    tree: new AgentTree(options.agents),
    defaultAgent: options.defaultAgent ?? defaultAgentOf(options.agents),
    pricing: options.pricing,
    clock: options.clock,
    store: options.store ?? createMemoryStore(),
    newId: options.newId ?? (() => `${options.sessionId}:${++seq}`),
    dayKey: options.dayKey ?? (zone === UTC_ZONE ? utcDayKey : zonedDayKey(zone)),
    dayZone: zone,
    leaseMs: options.reservationLeaseMs ?? DEFAULT_LEASE_MS,
    failOpen: options.storeFailOpen ?? false,
    dayWindow: (day) => dayWindowLabel(day, zone),
  });
}
