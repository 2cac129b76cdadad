// The store's totals shown next to the session's at the end of a run and by `aegis report --store`:
// today (the day row of one daily_reset_timezone — the spend of the runs whose daily budget resets
// in that zone) and all time.

import { formatUsd, type Nanos } from "../core/money.js";
import { dailyKey, TOTAL_KEY } from "../core/policy/keys.js";
import { utcDayKey, zonedDayKey } from "../core/policy/day-key.js";
import { canonicalZone, UTC_ZONE } from "../core/policy/zone-name.js";
import { StoreUnavailableError, type SharedBudgetStore } from "../core/policy/store.js";

/** Committed spend in the store, or why it could not be read. */
export type StoreTotals =
  | { url: string; day: string; zone: string; today: Nanos; allTime: Nanos }
  | { url: string; error: string };

/**
 * Reads today's and the all-time spend of `store` at `now`; `zone` is daily_reset_timezone (default
 * UTC), reported by its canonical name ("europe/berlin" → "Europe/Berlin", "Etc/UTC" → "UTC").
 */
export async function readStoreTotals(store: SharedBudgetStore, shownAs: string, zone: string, now: number): Promise<StoreTotals> {
  const name = canonicalZone(zone);
  const day = (name === UTC_ZONE ? utcDayKey : zonedDayKey(name))(now);
  const key = dailyKey(day, name);
  try {
    const t = await store.read([TOTAL_KEY, key], now);
    return { url: shownAs, day, zone: name, today: t.get(key)?.spent ?? 0, allTime: t.get(TOTAL_KEY)?.spent ?? 0 };
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    return { url: shownAs, error: error.message };
  }
}

/** `aegis: budget store .aegis/budget.db: today (2026-11-28 UTC) $1.2300, all time $45.6700` */
export function formatStoreTotals(t: StoreTotals): string {
  if ("error" in t) return `aegis: budget store ${t.url}: totals unavailable (${t.error})`;
  return `aegis: budget store ${t.url}: today (${t.day} ${t.zone}) ${formatUsd(t.today)}, all time ${formatUsd(t.allTime)}`;
}
