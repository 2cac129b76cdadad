// The daily window a daily-budget decision refers to, in words: which calendar day (in which zone)
// and when it resets. The reset is the next local midnight computed from the zone's rules, so a
// 23-hour or 25-hour day (a DST change) resets at the right instant, and a zone whose midnight is
// skipped resets when its clocks jump (e.g. "01:00 local").

import { wallTimeOf, zonedWallTimeToMs } from "../spend/zoned-time.js";
import { isUtcZone } from "./zone-name.js";

export { UTC_ZONE } from "./zone-name.js";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant (ms) at which the day `day` ("YYYY-MM-DD") of `zone` ends; undefined for a malformed day. */
export function dayEndsAt(day: string, zone: string): number | undefined {
  const m = DAY.exec(day);
  if (m === null) return undefined;
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  const wall = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 };
  return isUtcZone(zone) ? next.getTime() : zonedWallTimeToMs(wall, 0, zone);
}

/** `(day 2026-11-28 Europe/Berlin, resets 2026-11-29T00:00 local)`; UTC days reset at `…T00:00Z`. */
export function dayWindowLabel(day: string, zone: string): string {
  const end = dayEndsAt(day, zone);
  if (end === undefined) return `(day ${day})`;
  if (isUtcZone(zone)) return `(day ${day} UTC, resets ${new Date(end).toISOString().slice(0, 16)}Z)`;
  const w = wallTimeOf(end, zone);
  const stamp = `${w.year}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}`;
  return `(day ${day} ${zone}, resets ${stamp} local)`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
