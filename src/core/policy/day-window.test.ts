import { describe, expect, it } from "vitest";
import { zonedDayKey } from "./day-key.js";
import { dayEndsAt, dayWindowLabel } from "./day-window.js";

const HOUR = 3_600_000;

describe("Daily windows across DST changes", () => {
  it.each([
    ["UTC", "2026-03-29", Date.UTC(2026, 2, 29, 0), 24],
    ["Europe/Berlin", "2026-03-29", Date.UTC(2026, 2, 28, 23), 23], // spring forward: a 23-hour day
    ["Europe/Berlin", "2026-10-25", Date.UTC(2026, 9, 24, 22), 25], // fall back: a 25-hour day
    ["America/New_York", "2026-11-01", Date.UTC(2026, 10, 1, 4), 25],
    ["Asia/Tokyo", "2026-03-14", Date.UTC(2026, 2, 13, 15), 24],
  ])("%s %s starts at local midnight and lasts %s hours", (zone, day, start, hours) => {
    const key = zonedDayKey(zone);
    expect(dayEndsAt(day, zone)).toBe(start + hours * HOUR);
    // The zoned key changes exactly at both ends of the day.
    expect(key(start - 1)).not.toBe(day);
    expect(key(start)).toBe(day);
    expect(key(start + hours * HOUR - 1)).toBe(day);
    expect(key(start + hours * HOUR)).not.toBe(day);
  });

  it("a skipped local midnight resets when the clocks jump (America/Santiago, 2026-09-06 starts at 01:00)", () => {
    const end = dayEndsAt("2026-09-05", "America/Santiago") ?? 0;
    expect(zonedDayKey("America/Santiago")(end - 1)).toBe("2026-09-05");
    expect(zonedDayKey("America/Santiago")(end)).toBe("2026-09-06");
    expect(dayWindowLabel("2026-09-05", "America/Santiago")).toBe("(day 2026-09-05 America/Santiago, resets 2026-09-06T01:00 local)");
  });

  it("labels name the day, the zone and the reset", () => {
    expect(dayWindowLabel("2026-11-28", "Europe/Berlin")).toBe("(day 2026-11-28 Europe/Berlin, resets 2026-11-29T00:00 local)");
    expect(dayWindowLabel("2026-12-31", "UTC")).toBe("(day 2026-12-31 UTC, resets 2027-01-01T00:00Z)");
    expect(dayWindowLabel("not-a-day", "UTC")).toBe("(day not-a-day)");
  });
});
