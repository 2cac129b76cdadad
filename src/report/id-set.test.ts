import { describe, expect, it } from "vitest";
import { IdSet, hashId } from "./id-set.js";

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
    const { hi, lo } = a.exportSlots();
    let shared = 0;
    for (let i = 0; i < hi.length; i++) if ((hi[i] !== 0 || lo[i] !== 0) && b.hasHash(hi[i] ?? 0, lo[i] ?? 0)) shared++;
    expect(shared).toBe(1);
    const [h, l] = hashId("x");
    expect(b.hasHash(h, l)).toBe(false);
    expect(b.addHash(h, l)).toBe(true);
    expect(b.add("x")).toBe(false);
  });
});
