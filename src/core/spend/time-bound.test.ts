import { describe, expect, it } from "vitest";
import { parseTimeBound } from "./time-bound.js";
import { makeTsDayKey } from "./day-key.js";
import { isValidTimeZone } from "./zoned-time.js";

const iso = (text: string, zone = "UTC"): string => {
  const b = parseTimeBound(text, zone);
  return "error" in b ? `error: ${b.error}` : b.iso;
};

describe("parseTimeBound", () => {
  it("a bare date is midnight in the zone", () => {
    expect(iso("2025-03-09")).toBe("2025-03-09T00:00:00.000Z");
    expect(iso("2025-03-09", "America/New_York")).toBe("2025-03-09T05:00:00.000Z");
    expect(iso("2025-03-10", "America/New_York")).toBe("2025-03-10T04:00:00.000Z"); // after the DST jump
    expect(iso("2025-03-30", "Asia/Kathmandu")).toBe("2025-03-29T18:15:00.000Z");
  });

  it("date-times without an offset are wall time in the zone; with one they are absolute", () => {
    expect(iso("2025-03-09T12:30", "Europe/Berlin")).toBe("2025-03-09T11:30:00.000Z");
    expect(iso("2025-03-09T12:30:15.5Z", "Europe/Berlin")).toBe("2025-03-09T12:30:15.500Z");
    expect(iso("2025-03-09T12:30:00+05:30")).toBe("2025-03-09T07:00:00.000Z");
  });

  it("a wall time skipped by DST maps to the jump; a repeated one to its first occurrence", () => {
    expect(iso("2025-03-09T02:30", "America/New_York")).toBe("2025-03-09T07:00:00.000Z");
    expect(iso("2025-11-02T01:30", "America/New_York")).toBe("2025-11-02T05:30:00.000Z");
  });

  it("rejects what is not a date", () => {
    for (const bad of ["yesterday", "2025-02-30", "2025-13-01", "2025-03-09T24:00", "2025-03-09T10:00+15:00", "03/09/2025"]) {
      expect(iso(bad)).toMatch(/^error: expected an ISO date/);
    }
  });
});

describe("day keys and zones", () => {
  it("UTC days slice canonical timestamps; other zones convert", () => {
    expect(makeTsDayKey("UTC")("2025-03-08T23:59:59.999Z")).toBe("2025-03-08");
    expect(makeTsDayKey("UTC")("2025-03-09T00:00:00.000Z")).toBe("2025-03-09");
    const ny = makeTsDayKey("America/New_York");
    expect(ny("2025-03-09T04:59:59.999Z")).toBe("2025-03-08");
    expect(ny("2025-03-09T05:00:00.000Z")).toBe("2025-03-09");
    expect(ny("2025-03-10T03:59:59.999Z")).toBe("2025-03-09");
    expect(ny("2025-03-10T04:00:00.000Z")).toBe("2025-03-10");
    expect(ny("not a date")).toBeNull();
  });

  it("validates zone names", () => {
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
