// Names of the shared budgets in a SharedBudgetStore. The governor charges every admitted call to
// the day's key, the total key and the key of each agent with a budget on the call's path; a
// settle also adds the spend to every agent on the path and to the model's key (totals for reports,
// never limited).
//
// Day keys carry their zone, because two runs sharing a store may reset their daily budgets at
// different midnights: a Berlin day and a New York day of the same date are different 24 hours and
// must not share a row. A UTC day keeps the bare "daily:YYYY-MM-DD" that stores written before the
// zone was part of the key hold, so their UTC spend still counts; any other zone's day is
// "daily:YYYY-MM-DD@<IANA zone>" ("@" occurs in neither dates nor zone names).

import { canonicalZone, UTC_ZONE } from "./zone-name.js";

/** What a store key stands for. */
export type BudgetRole =
  | { kind: "total" }
  | { kind: "daily"; day: string; zone: string }
  | { kind: "agent"; agentId: string }
  | { kind: "model"; model: string };

/** Store key of the total (all sessions) budget. */
export const TOTAL_KEY = "total";

/** Prefix of every day key; what follows it is the day's row name in a store ("YYYY-MM-DD[@zone]"). */
export const DAILY_PREFIX = "daily:";

/**
 * Store key of one day's spend in `zone` (daily_reset_timezone, default UTC): "daily:2026-11-28" for a
 * UTC day, "daily:2026-11-28@Europe/Berlin" for another zone's. Throws a RangeError for an unknown zone.
 */
export function dailyKey(day: string, zone: string = UTC_ZONE): string {
  const name = canonicalZone(zone);
  return name === UTC_ZONE ? `${DAILY_PREFIX}${day}` : `${DAILY_PREFIX}${day}@${name}`;
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
  if (key.startsWith(DAILY_PREFIX)) {
    const row = key.slice(DAILY_PREFIX.length);
    const at = row.indexOf("@");
    return at < 0 ? { kind: "daily", day: row, zone: UTC_ZONE } : { kind: "daily", day: row.slice(0, at), zone: row.slice(at + 1) };
  }
  if (key.startsWith("agent:")) return { kind: "agent", agentId: key.slice(6) };
  if (key.startsWith("model:")) return { kind: "model", model: key.slice(6) };
  return { kind: "total" };
}
