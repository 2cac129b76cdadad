// The daily budget is keyed by calendar day. UTC by default; a store or config layer can pass its
// own `dayKey` to the governor to make days follow a timezone.

/** Maps an instant (ms since the epoch) to the day it belongs to, e.g. "2026-03-14". */
export type DayKey = (ms: number) => string;

// A UTC day is exactly 86,400,000 ms in epoch time (which has no leap seconds).
const DAY_MS = 86_400_000;
let utcDay = NaN;
let utcKey = "";

/**
 * The UTC calendar day of an instant, "YYYY-MM-DD". Every metered call asks, so the last day's
 * text is kept (formatting measured ~1 µs a call); an invalid instant (NaN day) still throws.
 */
export const utcDayKey: DayKey = (ms) => {
  const day = Math.floor(ms / DAY_MS);
  if (day !== utcDay) {
    utcKey = new Date(ms).toISOString().slice(0, 10);
    utcDay = day;
  }
  return utcKey;
};

/** The calendar day of an instant in an IANA time zone (Limits.dailyResetTimezone), "YYYY-MM-DD". */
export function zonedDayKey(timeZone: string): DayKey {
  // en-CA formats dates as YYYY-MM-DD; the formatter is built once.
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  // Formatting still costs microseconds and runs on every metered call, so the last answer is kept
  // for its minute: every zone's offset today is a whole number of minutes, so no day starts mid-minute.
  let minute = NaN;
  let key = "";
  return (ms) => {
    const m = Math.floor(ms / 60_000);
    if (m !== minute) {
      key = fmt.format(new Date(ms));
      minute = m;
    }
    return key;
  };
}
