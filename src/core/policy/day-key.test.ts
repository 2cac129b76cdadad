import { describe, expect, it } from "vitest";
import { utcDayKey, zonedDayKey } from "./day-key.js";

describe("zonedDayKey", () => {
  it("changes day at the zone's midnight, also when asked again within the same minute", () => {
    const key = zonedDayKey("Asia/Kolkata"); // UTC+05:30: midnight is 18:30 UTC
    const midnight = Date.parse("2026-03-14T18:30:00Z");
    expect(key(midnight - 60_001)).toBe("2026-03-14");
    expect(key(midnight - 1)).toBe("2026-03-14");
    expect(key(midnight)).toBe("2026-03-15");
    expect(key(midnight + 59_999)).toBe("2026-03-15");
    expect(key(midnight - 1)).toBe("2026-03-14");
  });
});

describe("utcDayKey", () => {
  it("changes day at UTC midnight, going forward and back, also before 1970", () => {
    const midnight = Date.parse("2026-03-15T00:00:00Z");
    expect(utcDayKey(midnight - 1)).toBe("2026-03-14");
    expect(utcDayKey(midnight)).toBe("2026-03-15");
    expect(utcDayKey(midnight + 86_399_999)).toBe("2026-03-15");
    expect(utcDayKey(midnight + 86_400_000)).toBe("2026-03-16");
    expect(utcDayKey(midnight - 1)).toBe("2026-03-14");
    expect(utcDayKey(Date.parse("1969-12-31T23:59:59.999Z"))).toBe("1969-12-31");
    expect(utcDayKey(0)).toBe("1970-01-01");
  });

  it("agrees with toISOString on random instants", () => {
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((Math.random() - 0.3) * 4e12);
      expect(utcDayKey(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
    }
  });

  it("still throws on an invalid instant", () => {
    expect(() => utcDayKey(Number.NaN)).toThrow(RangeError);
  });
});
