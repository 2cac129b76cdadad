import { describe, expect, it } from "vitest";
import { agentKey, dailyKey, modelKey, roleOf, TOTAL_KEY } from "./keys.js";
import { canonicalZone, isUtcZone } from "./zone-name.js";

describe("day keys", () => {
  it("a UTC day keeps the bare key of stores written before zones were in the key, under every UTC name", () => {
    expect(dailyKey("2026-11-28")).toBe("daily:2026-11-28");
    for (const zone of ["UTC", "utc", "Etc/UTC", "GMT", "Etc/GMT", "Etc/GMT+0", "Zulu", "Etc/Universal", "UCT"]) {
      expect(dailyKey("2026-11-28", zone)).toBe("daily:2026-11-28");
    }
  });

  it("another zone's day is qualified by the zone's canonical name", () => {
    expect(dailyKey("2026-11-28", "Europe/Berlin")).toBe("daily:2026-11-28@Europe/Berlin");
    expect(dailyKey("2026-11-28", "europe/berlin")).toBe("daily:2026-11-28@Europe/Berlin");
    expect(dailyKey("2026-11-28", "America/New_York")).toBe("daily:2026-11-28@America/New_York");
    // A fixed offset other than zero is not UTC: its days start at another instant.
    expect(dailyKey("2026-11-28", "Etc/GMT-1")).toBe("daily:2026-11-28@Etc/GMT-1");
    expect(new Set(["UTC", "Europe/Berlin", "America/New_York"].map((z) => dailyKey("2026-11-28", z))).size).toBe(3);
  });

  it("an unknown zone is an error, not a key", () => {
    expect(() => dailyKey("2026-11-28", "Mars/Olympus")).toThrow(RangeError);
  });

  it("roleOf reads both forms back (a bare day is a UTC day)", () => {
    expect(roleOf("daily:2026-11-28")).toEqual({ kind: "daily", day: "2026-11-28", zone: "UTC" });
    expect(roleOf("daily:2026-11-28@Europe/Berlin")).toEqual({ kind: "daily", day: "2026-11-28", zone: "Europe/Berlin" });
    expect(roleOf(dailyKey("2026-03-08", "America/Argentina/Buenos_Aires"))).toEqual({ kind: "daily", day: "2026-03-08", zone: "America/Argentina/Buenos_Aires" });
    expect(roleOf(dailyKey("2026-03-08", "Etc/GMT+5"))).toEqual({ kind: "daily", day: "2026-03-08", zone: "Etc/GMT+5" });
    expect(roleOf(TOTAL_KEY)).toEqual({ kind: "total" });
    expect(roleOf(agentKey("a@b"))).toEqual({ kind: "agent", agentId: "a@b" });
    expect(roleOf(modelKey("m"))).toEqual({ kind: "model", model: "m" });
  });

  it("canonicalZone fixes letter case only: links stay as written, whatever this runtime's ICU resolves them to", () => {
    expect(canonicalZone("Etc/UTC")).toBe("UTC");
    expect(canonicalZone("asia/tokyo")).toBe("Asia/Tokyo");
    expect(canonicalZone("US/Eastern")).toBe("US/Eastern");
    expect(canonicalZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(isUtcZone("Etc/Zulu")).toBe(true);
    expect(isUtcZone("Europe/London")).toBe(false); // GMT in winter only
  });
});
