// Wall-clock arithmetic in an IANA time zone with nothing but Intl (pure: no clock, no I/O).
// Formatters are expensive to build (tens of µs), so one per zone is cached for the process.

const formatters = new Map<string, Intl.DateTimeFormat>();

// A formatter giving the zone's wall-clock fields of an instant, 24-hour, numeric.
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time zone this runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isValidTimeZone(zone: string): boolean {
  if (zone === "UTC") return true;
  if (zone.trim() === "") return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone (month 1–12). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of the instant `ms` in `zone`. */
export function wallTimeOf(ms: number, zone: string): WallTime {
  const parts = formatterFor(zone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The calendar day ("YYYY-MM-DD") of the instant `ms` in `zone`. */
export function zonedDayOf(ms: number, zone: string): string {
  const w = wallTimeOf(ms, zone);
  return `${String(w.year).padStart(4, "0")}-${pad2(w.month)}-${pad2(w.day)}`;
}

/**
 * The instant at which the zone's clocks show the given wall time (milliseconds included). When
 * that wall time does not exist (skipped by a DST jump) the instant of the jump is returned, so a
 * day that starts at 01:00 local starts there; when it exists twice, the earlier one.
 */
export function zonedWallTimeToMs(wall: WallTime, ms: number, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, ms);
  // Offsets in force a day either side cover every transition near the target.
  const candidates = new Set([offsetAt(asUtc - 86_400_000, zone), offsetAt(asUtc, zone), offsetAt(asUtc + 86_400_000, zone)]);
  const exact = [...candidates].map((off) => asUtc - off).filter((t) => offsetAt(t, zone) === asUtc - t);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped wall time: the transition lies between the candidate instants; find it by bisection.
  const guesses = [...candidates].map((off) => asUtc - off);
  let lo = Math.min(...guesses) - 86_400_000;
  let hi = Math.max(...guesses) + 86_400_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + offsetAt(mid, zone) >= asUtc) hi = mid;
    else lo = mid;
  }
  return hi;
}

// The zone's UTC offset (ms) at the instant `ms`; whole seconds, as the formatter shows them.
function offsetAt(ms: number, zone: string): number {
  const w = wallTimeOf(ms, zone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
