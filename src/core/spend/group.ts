// Derives the report's groupings (per agent, model, day or session) from the accumulated cells.

import type { GroupBy, GroupRow, SessionFacts, SpendCell, SpendSums } from "./types.js";

/** Zeroed sums. */
export function emptySums(): SpendSums {
  return { calls: 0, blocked: 0, warned: 0, nanos: 0, input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
}

/** Adds `b` into `a`. */
export function addSums(a: SpendSums, b: SpendSums): void {
  a.calls += b.calls;
  a.blocked += b.blocked;
  a.warned += b.warned;
  a.nanos += b.nanos;
  a.input += b.input;
  a.cache_read += b.cache_read;
  a.cache_write += b.cache_write;
  a.output += b.output;
  a.reasoning += b.reasoning;
}

/** Sums of every cell. */
export function totalSums(cells: readonly SpendCell[]): SpendSums {
  const t = emptySums();
  for (const c of cells) addSums(t, c);
  return t;
}

/**
 * One row per distinct value of `by`. Days run in calendar order, sessions in start order (then
 * id); agents and models by spend, largest first (then id), so the big spenders lead.
 */
export function groupRows(cells: readonly SpendCell[], by: GroupBy, sessions: readonly SessionFacts[] = []): GroupRow[] {
  const rows = new Map<string, GroupRow>();
  for (const c of cells) {
    const key = c[by];
    let row = rows.get(key);
    if (row === undefined) {
      row = { key, ...emptySums() };
      rows.set(key, row);
    }
    addSums(row, c);
  }
  const list = [...rows.values()];
  const byKey = (a: GroupRow, b: GroupRow): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  if (by === "day") return list.sort(byKey);
  if (by === "session") {
    const started = new Map(sessions.map((s) => [s.session_id, s.started ?? ""]));
    return list.sort((a, b) => {
      const sa = started.get(a.key) ?? "";
      const sb = started.get(b.key) ?? "";
      return sa < sb ? -1 : sa > sb ? 1 : byKey(a, b);
    });
  }
  return list.sort((a, b) => b.nanos - a.nanos || byKey(a, b));
}
