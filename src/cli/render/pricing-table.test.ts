import { describe, expect, it } from "vitest";
import { BUILTIN_PRICES } from "../../core/pricing/builtin-prices.js";
import { compareIds, sortPrices } from "./pricing-table.js";

const icu = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

describe("compareIds", () => {
  it("orders digit runs by value", () => {
    expect(["gpt-5.10", "gpt-5.2", "gpt-5", "gpt-5.1-mini", "o10", "o3", "o1-pro"].sort(compareIds)).toEqual([
      "gpt-5",
      "gpt-5.1-mini",
      "gpt-5.2",
      "gpt-5.10",
      "o1-pro",
      "o3",
      "o10",
    ]);
  });

  it("agrees with localeCompare(en, numeric) on ids of lowercase letters, digits, '-', '.' and '/'", () => {
    const alphabet = "ab-./019";
    const ids: string[] = [];
    // Every string of up to 3 characters over the alphabet, prefixed so that digits meet letters and punctuation.
    const grow = (prefix: string, depth: number): void => {
      ids.push(`m${prefix}`);
      if (depth > 0) for (const ch of alphabet) grow(prefix + ch, depth - 1);
    };
    grow("", 3);
    const builtin = BUILTIN_PRICES.map((p) => p.id);
    for (const list of [ids, builtin]) {
      const mine = [...list].sort(compareIds);
      // Ties (leading zeros: "m01", "m1") may come in either order: check each neighbour pair.
      const disagreements = mine.slice(1).filter((id, k) => icu(mine[k] ?? "", id) > 0);
      expect(disagreements).toEqual([]);
    }
  });

  it("sorts prices by provider, then id", () => {
    const extra = BUILTIN_PRICES.filter((p) => p.provider === "other").flatMap((p) => [{ ...p, id: "model-10" }, { ...p, id: "model-9" }]);
    const sorted = sortPrices([...extra, ...BUILTIN_PRICES]);
    expect(sorted.findIndex((p) => p.id === "model-9")).toBeLessThan(sorted.findIndex((p) => p.id === "model-10"));
    const keys = sorted.map((p) => `${p.provider} ${p.id}`);
    expect(keys).toEqual([...keys].sort(icu));
  });
});
