import { afterEach, describe, expect, it, vi } from "vitest";
import { canonicalZone, isUtcZone, UTC_ZONE } from "./zone-name.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("canonicalZone", () => {
  it("names every UTC spelling UTC without building an Intl formatter (ICU data stays unloaded)", () => {
    const built = vi.spyOn(Intl, "DateTimeFormat");
    for (const zone of ["UTC", "Etc/UTC", "etc/zulu", "GMT", "Greenwich"]) expect(canonicalZone(zone)).toBe(UTC_ZONE);
    expect(built).not.toHaveBeenCalled();
  });

  it("gives other zones their IANA letter case and rejects unknown names", () => {
    expect(canonicalZone("europe/paris")).toBe("Europe/Paris");
    expect(() => canonicalZone("Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("every UTC name is one Intl knows as UTC", () => {
    for (const zone of ["utc", "etc/uct", "universal", "zulu", "gmt0", "etc/gmt+0", "gmt-0", "etc/greenwich"]) {
      expect(isUtcZone(zone)).toBe(true);
      expect(new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone).toBe("UTC");
    }
  });
});
