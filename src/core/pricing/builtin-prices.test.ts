import { describe, expect, it } from "vitest";
import { BUILTIN_PRICES, BUILTIN_PRICES_AS_OF } from "./builtin-prices.js";

describe("built-in price table", () => {
  it("has at least 30 models, every one sourced and dated", () => {
    expect(BUILTIN_PRICES.length).toBeGreaterThanOrEqual(30);
    for (const p of BUILTIN_PRICES) {
      expect(p.source, p.id).toMatch(/\S/);
      expect(p.checked, p.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.origin).toBe("builtin");
    }
    expect(BUILTIN_PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("has lower-case, unique ids and aliases that name no other model", () => {
    const names = new Set<string>();
    for (const p of BUILTIN_PRICES) {
      for (const name of [p.id, ...(p.aliases ?? [])]) {
        expect(name, name).toBe(name.toLowerCase());
        expect(names.has(name), `duplicate ${name}`).toBe(false);
        names.add(name);
      }
    }
  });

  it("has finite, non-negative rates and sane long-context thresholds", () => {
    for (const p of BUILTIN_PRICES) {
      const bands = [p, ...(p.longContext ? [p.longContext] : [])];
      for (const r of bands) {
        for (const v of [r.input, r.output, r.cacheRead, r.cacheWrite5m, r.cacheWrite1h]) {
          if (v !== undefined) expect(Number.isFinite(v) && v >= 0, p.id).toBe(true);
        }
      }
      if (p.longContext) {
        expect(p.longContext.aboveTokens).toBeGreaterThan(0);
        expect(p.longContext.input).toBeGreaterThan(p.input);
      }
    }
  });

  it("covers the reference's 17 models", () => {
    const ids = new Set(BUILTIN_PRICES.map((p) => p.id));
    for (const id of [
      "claude-haiku-3.5", "claude-opus-4", "claude-sonnet-4", "gemini-2.0-flash", "gemini-2.5-flash", "gemini-2.5-pro",
      "gpt-4-turbo", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o1", "o1-mini", "o3", "o3-mini", "o4-mini",
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});
