// Names of the shared budgets in a SharedBudgetStore. The governor charges every admitted call to
// the day's key, the total key and the key of each agent with a budget on the call's path; a
// settle also adds the spend to every agent on the path and to the model's key (totals for reports,
// never limited).

/** What a store key stands for. */
export type BudgetRole =
  | { kind: "total" }
  | { kind: "daily"; day: string }
  | { kind: "agent"; agentId: string }
  | { kind: "model"; model: string };

/** Store key of the total (all sessions) budget. */
export const TOTAL_KEY = "total";

/** Store key of one day's spend. */
export function dailyKey(day: string): string {
  return `daily:${day}`;
}

/** Store key of one agent's spend (its own calls and its descendants'). */
export function agentKey(agentId: string): string {
  return `agent:${agentId}`;
}

/** Store key of one model's spend (reports only; models have no budget). */
export function modelKey(model: string): string {
  return `model:${model}`;
}

/** The budget a store key stands for. */
export function roleOf(key: string): BudgetRole {
  if (key.startsWith("daily:")) return { kind: "daily", day: key.slice(6) };
  if (key.startsWith("agent:")) return { kind: "agent", agentId: key.slice(6) };
  if (key.startsWith("model:")) return { kind: "model", model: key.slice(6) };
  return { kind: "total" };
}
