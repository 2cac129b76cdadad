import { describe, expect, it } from "vitest";
import { IdSet, hashId, idSetForLedgerBytes } from "./id-set.js";

describe("IdSet", () => {
  it("reports a second add of the same id as a duplicate", () => {
    const s = new IdSet();
    expect(s.add("call-1")).toBe(true);
    expect(s.add("call-2")).toBe(true);
    expect(s.add("call-1")).toBe(false);
    expect(s.size).toBe(2);
  });

  it("keeps 200,000 distinct ids distinct while growing, and finds each again", () => {
    const s = new IdSet(16);
    for (let i = 0; i < 200_000; i++) expect(s.add(`id-${i}`)).toBe(true);
    expect(s.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(s.add(`id-${i}`)).toBe(false);
  });

  it("exports slots that another set can check and absorb", () => {
    const a = new IdSet();
    a.add("x");
    a.add("y");
    const b = new IdSet();
    b.add("y");
    const slots = a.exportSlots();
    let shared = 0;
    let used = 0;
    for (let i = 0; i < slots.length; i += 2) {
      const [h, l] = [slots[i] ?? 0, slots[i + 1] ?? 0];
      if (h === 0 && l === 0) continue;
      used++;
      if (b.hasHash(h, l)) shared++;
    }
    expect(used).toBe(2);
    expect(shared).toBe(1);
    const [h, l] = hashId("x");
    expect(b.hasHash(h, l)).toBe(false);
    expect(b.addHash(h, l)).toBe(true);
    expect(b.add("x")).toBe(false);
  });
});

describe("idSetForLedgerBytes", () => {
  it("holds one id per 512 bytes of ledger without growing its table", () => {
    const bytes = 100_000 * 512;
    const set = idSetForLedgerBytes(bytes);
    const slots = set.capacity;
    let added = 0;
    for (let i = 0; i < 100_000; i++) if (set.add(`call-${i}`)) added++;
    expect(added).toBe(100_000);
    expect(set.capacity).toBe(slots);
    // Past its estimate it still grows and keeps every id.
    for (let i = 100_000; i < 300_000; i++) set.add(`call-${i}`);
    expect(set.capacity).toBeGreaterThan(slots);
    expect(set.add("call-7")).toBe(false);
    expect(set.size).toBe(300_000);
  });
});
