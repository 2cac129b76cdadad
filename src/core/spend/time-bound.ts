// Parses the --since / --until values: ISO dates ("2026-03-01", midnight in the report's zone) or
// date-times ("2026-03-01T12:30", "…:45.250", with "Z" or "+02:00" for an absolute instant;
// without an offset the wall time is read in the report's zone).
import { zonedWallTimeToMs } from "./zoned-time.js";

/** A parsed bound: the instant and its canonical ISO form (for fast string comparison). */
export interface TimeBound {
  ms: number;
  iso: string;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The bound `text` denotes in `zone`, or an error string saying what was expected. */
export function parseTimeBound(text: string, zone: string): TimeBound | { error: string } {
  const m = PATTERN.exec(text.trim());
  const expected = "expected an ISO date (2026-03-01) or date-time (2026-03-01T12:00, 2026-03-01T12:00:00Z)";
  if (m === null) return { error: expected };
  const num = (i: number): number => Number(m[i] ?? 0);
  const fields = { year: num(1), month: num(2), day: num(3), hour: num(4), minute: num(5), second: num(6) };
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"));
  const offsetText = m[8];
  // Reject 2026-02-30, 25:00 and friends: the fields must survive a round trip through Date.UTC.
  const check = new Date(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second));
  if (
    check.getUTCFullYear() !== fields.year ||
    check.getUTCMonth() !== fields.month - 1 ||
    check.getUTCDate() !== fields.day ||
    check.getUTCHours() !== fields.hour ||
    check.getUTCMinutes() !== fields.minute ||
    check.getUTCSeconds() !== fields.second
  ) {
    return { error: `${expected}; that date or time does not exist` };
  }
  let ms: number;
  if (offsetText === undefined) {
    ms = zonedWallTimeToMs(fields, millis, zone);
  } else {
    if (Math.abs(offsetMinutes(offsetText)) > 14 * 60 || Number(offsetText.slice(-2)) > 59) return { error: `${expected}; offset ${offsetText} is out of range` };
    const utc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, millis);
    ms = utc - offsetMinutes(offsetText) * 60_000;
  }
  return { ms, iso: new Date(ms).toISOString() };
}

// "+05:30" → 330, "-0800" → -480, "Z" → 0.
function offsetMinutes(text: string): number {
  if (text === "Z") return 0;
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}
