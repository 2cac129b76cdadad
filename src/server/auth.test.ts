import { describe, expect, it } from "vitest";
import { bearerToken, newSessionToken, secretMatches } from "./auth.js";

describe("secretMatches", () => {
  it("matches only the expected token, also when the expected token changes between calls", () => {
    const a = newSessionToken();
    const b = newSessionToken();
    expect(secretMatches(a, a)).toBe(true);
    expect(secretMatches(b, a)).toBe(false);
    expect(secretMatches(b, b)).toBe(true);
    expect(secretMatches(a, b)).toBe(false);
    expect(secretMatches(a, a)).toBe(true);
    expect(secretMatches(undefined, a)).toBe(false);
    expect(secretMatches(`${a}x`, a)).toBe(false);
    expect(secretMatches(a.slice(0, -1), a)).toBe(false);
    expect(secretMatches("", a)).toBe(false);
    // Same length in characters, not in UTF-8 bytes: must not reach timingSafeEqual unequal.
    expect(secretMatches(`${a.slice(0, -1)}é`, a)).toBe(false);
    expect(secretMatches(`${a.slice(0, -1)}${a.endsWith("0") ? "1" : "0"}`, a)).toBe(false);
  });

  it("reads a bearer token", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeUndefined();
  });
});
