import { describe, expect, it } from "vitest";
import { RATE_WINDOW_MS, RateWindow } from "./rate-window.js";

// The window's meaning, written plainly: entries in arrival order, a prefix of them gone once its
// first entry is more than 60 s old, a reservation's tokens removable while its entry is in.
class PlainWindow {
  private readonly entries: { ts: number; tokens: number; id?: string }[] = [];
  private head = 0;
  tokensAt(now: number): number {
    while (this.head < this.entries.length && (this.entries[this.head]?.ts ?? 0) < now - RATE_WINDOW_MS) this.head++;
    return this.entries.slice(this.head).reduce((sum, e) => sum + e.tokens, 0);
  }
  add(now: number, tokens: number, id?: string): void {
    this.entries.push({ ts: now, tokens, ...(id !== undefined ? { id } : {}) });
  }
  remove(id: string): void {
    const i = this.entries.findIndex((e) => e.id === id);
    const e = this.entries[i];
    if (e === undefined) return;
    delete e.id;
    if (i >= this.head) e.tokens = 0;
  }
}

// A small deterministic PRNG (mulberry32), so a failure replays.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("RateWindow", () => {
  it("sums the tokens of the last 60 s, an entry exactly 60 s old included", () => {
    const w = new RateWindow();
    w.add(0, 100);
    w.add(1000, 50);
    expect(w.tokensAt(1000)).toBe(150);
    expect(w.tokensAt(RATE_WINDOW_MS)).toBe(150);
    expect(w.tokensAt(RATE_WINDOW_MS + 1)).toBe(50);
    expect(w.tokensAt(RATE_WINDOW_MS + 1001)).toBe(0);
  });

  it("removes a reservation's tokens once; settling replaces the estimate", () => {
    const w = new RateWindow();
    w.add(0, 1000, "r1");
    w.add(10, 5, "r2");
    expect(w.tokensAt(10)).toBe(1005);
    w.remove("r1");
    w.add(20, 300);
    expect(w.tokensAt(20)).toBe(305);
    w.remove("r1");
    w.remove("unknown");
    expect(w.tokensAt(20)).toBe(305);
  });

  it("a reservation that aged out of the window is not subtracted again when released", () => {
    const w = new RateWindow();
    w.add(0, 700, "old");
    w.add(30_000, 20);
    expect(w.tokensAt(RATE_WINDOW_MS + 1)).toBe(20);
    w.remove("old");
    expect(w.tokensAt(RATE_WINDOW_MS + 2)).toBe(20);
  });

  it("stays exact across compaction with many entries", () => {
    const w = new RateWindow();
    let expected = 0;
    for (let t = 0; t < 200_000; t++) {
      w.add(t, 1, `r${t}`);
      if (t % 3 === 0) w.remove(`r${t}`);
    }
    for (let t = 199_999 - RATE_WINDOW_MS; t < 200_000; t++) if (t % 3 !== 0) expected++;
    expect(w.tokensAt(199_999)).toBe(expected);
    expect(w.tokensAt(199_999 + RATE_WINDOW_MS + 1)).toBe(0);
  });

  it("keeps one entry per millisecond, and a reservation's tokens still leave a merged entry by id", () => {
    const w = new RateWindow();
    for (let i = 0; i < 1000; i++) w.add(5, 10, `r${i}`);
    w.add(5, 1);
    expect(w.entryCount).toBe(1);
    expect(w.tokensAt(5)).toBe(10_001);
    w.remove("r7");
    w.remove("r7");
    expect(w.tokensAt(5)).toBe(9991);
    w.add(6, 2, "late");
    expect(w.entryCount).toBe(2);
    w.remove("late");
    expect(w.tokensAt(6)).toBe(9991);
  });

  it("a merged entry exactly 60 s old still counts, and leaves whole one millisecond later", () => {
    const w = new RateWindow();
    w.add(1000, 40, "a");
    w.add(1000, 60);
    w.add(1001, 5);
    expect(w.tokensAt(1000 + RATE_WINDOW_MS)).toBe(105);
    expect(w.tokensAt(1001 + RATE_WINDOW_MS)).toBe(5);
    w.remove("a"); // left with its entry: not subtracted from what remains
    expect(w.tokensAt(1001 + RATE_WINDOW_MS)).toBe(5);
    expect(w.entryCount).toBe(1);
  });

  it("starts again empty after a burst (no entry kept once all have left)", () => {
    const w = new RateWindow();
    for (let t = 0; t < 10_000; t++) w.add(t, 1);
    expect(w.entryCount).toBe(10_000);
    expect(w.tokensAt(10_000 + RATE_WINDOW_MS)).toBe(0);
    expect(w.entryCount).toBe(0);
    w.add(10_000 + RATE_WINDOW_MS, 3, "x");
    w.remove("x");
    w.add(10_000 + RATE_WINDOW_MS, 4);
    expect(w.tokensAt(10_000 + RATE_WINDOW_MS)).toBe(4);
  });

  it("agrees with the plain definition over random adds, releases and clock steps (back too)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const w = new RateWindow();
      const plain = new PlainWindow();
      let now = 1_700_000_000_000;
      const ids: string[] = [];
      for (let step = 0; step < 6000; step++) {
        const x = r();
        if (x < 0.45) {
          const id = r() < 0.6 ? `r${step}` : undefined;
          const tokens = Math.floor(r() * 5000);
          w.add(now, tokens, id);
          plain.add(now, tokens, id);
          if (id !== undefined) ids.push(id);
        } else if (x < 0.7) {
          const id = ids[Math.floor(r() * ids.length)] ?? "none";
          w.remove(id);
          plain.remove(id);
        } else if (x < 0.97) {
          now += r() < 0.5 ? 0 : Math.floor(r() * 400);
        } else {
          now += r() < 0.5 ? -Math.floor(r() * 5000) : RATE_WINDOW_MS - 50 + Math.floor(r() * 100);
        }
        if (step % 7 === 0) expect(w.tokensAt(now)).toBe(plain.tokensAt(now));
      }
    }
  });
});
