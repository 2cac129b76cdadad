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
    let used = 0;
    for (let i = 0; i < slots.length; i += 2) if (slots[i] !== 0 || slots[i + 1] !== 0) used++;
    expect(used).toBe(2);
    expect(b.sharesAnyOf(slots)).toBe(true);
    const c = new IdSet();
    c.add("z");
    expect(c.sharesAnyOf(slots)).toBe(false);
    c.addAllOf(slots);
    expect(c.size).toBe(3);
    expect(c.add("y")).toBe(false);
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
    const slots = set.slotCount;
    let added = 0;
    for (let i = 0; i < 100_000; i++) if (set.add(`call-${i}`)) added++;
    expect(added).toBe(100_000);
    expect(set.slotCount).toBe(slots);
    // Past its estimate it still grows and keeps every id.
    for (let i = 100_000; i < 300_000; i++) set.add(`call-${i}`);
    expect(set.slotCount).toBeGreaterThan(slots);
    expect(set.add("call-7")).toBe(false);
    expect(set.size).toBe(300_000);
  });
});
