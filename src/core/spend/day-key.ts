// Maps a ledger timestamp to its calendar day in the report's zone, fast enough for a million
// lines: UTC days of canonical timestamps are a slice; other zones go through Intl once per
// distinct minute (zone offsets change only on minute boundaries), with a bounded cache.
import { zonedDayOf } from "./zoned-time.js";

/** The day ("YYYY-MM-DD") of an ISO timestamp, or null when the timestamp is not a valid date. */
export type TsDayKey = (ts: string) => string | null;

const CACHE_LIMIT = 100_000;

/** True for the canonical form `Date#toISOString` writes: "2026-03-01T12:00:00.000Z". */
export function isCanonicalTs(ts: string): boolean {
  return (
    ts.length === 24 &&
    ts.charCodeAt(4) === 45 /* - */ &&
    ts.charCodeAt(7) === 45 &&
    ts.charCodeAt(10) === 84 /* T */ &&
    ts.charCodeAt(13) === 58 /* : */ &&
    ts.charCodeAt(16) === 58 &&
    ts.charCodeAt(19) === 46 /* . */ &&
    ts.charCodeAt(23) === 90 /* Z */
  );
}

/** A day-key function for `zone` ("UTC" or an IANA zone already validated). */
export function makeTsDayKey(zone: string): TsDayKey {
  if (zone === "UTC" || zone === "Etc/UTC") {
    return (ts) => {
      if (isCanonicalTs(ts)) return ts.slice(0, 10);
      const ms = Date.parse(ts);
      return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
    };
  }
  const cache = new Map<string, string>();
  return (ts) => {
    const canonical = isCanonicalTs(ts);
    const minute = canonical ? ts.slice(0, 16) : undefined;
    if (minute !== undefined) {
      const hit = cache.get(minute);
      if (hit !== undefined) return hit;
    }
    const ms = Date.parse(ts);
    if (Number.isNaN(ms)) return null;
    const day = zonedDayOf(ms, zone);
    if (minute !== undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(minute, day);
    }
    return day;
  };
}
