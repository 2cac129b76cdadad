import { describe, expect, it } from "vitest";
import { zonedDayKey } from "./day-key.js";

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
