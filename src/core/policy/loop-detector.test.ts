import { describe, expect, it } from "vitest";
import { LoopDetector, loopKey } from "./loop-detector.js";

// The detector before its memory was compacted (commit d6f6f95), kept as the definition the
// compact one must agree with call for call: per key the times of its attempts, filtered when the
// key is attempted and when one of its attempts leaves the arrival queue.
class ArrayDetector {
  private readonly seen = new Map<string, number[]>();
  private readonly queue: { key: string; t: number }[] = [];
  private head = 0;
  constructor(private readonly windowMs: number) {}
  attempt(key: string, now: number): number {
    const cutoff = now - this.windowMs;
    while (this.head < this.queue.length && (this.queue[this.head]?.t ?? Infinity) <= cutoff) {
      const k = this.queue[this.head++]?.key ?? "";
      const kept = (this.seen.get(k) ?? []).filter((t) => t > cutoff);
      if (kept.length === 0) this.seen.delete(k);
      else this.seen.set(k, kept);
    }
    const kept = (this.seen.get(key) ?? []).filter((t) => t > cutoff);
    kept.push(now);
    this.seen.set(key, kept);
    this.queue.push({ key, t: now });
    return kept.length;
  }
  peek(key: string, now: number): number {
    return (this.seen.get(key) ?? []).filter((t) => t > now - this.windowMs).length + 1;
  }
  get size(): number {
    return this.seen.size;
  }
}

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("LoopDetector", () => {
  it("counts identical attempts strictly inside the window", () => {
    const d = new LoopDetector(1000);
    expect(d.attempt("k", 0)).toBe(1);
    expect(d.attempt("k", 500)).toBe(2);
    expect(d.peek("k", 999)).toBe(3);
    expect(d.attempt("k", 1000)).toBe(2); // the attempt at 0 is exactly one window old: out
    expect(d.attempt("other", 1000)).toBe(1);
    expect(d.attempt("k", 1500)).toBe(2); // 500 is out too
  });

  it("a key seen once: its attempt counts until exactly one window later", () => {
    const d = new LoopDetector(1000);
    d.attempt("once", 2000);
    expect(d.peek("once", 2999)).toBe(2);
    expect(d.peek("once", 3000)).toBe(1);
    expect(d.attempt("once", 2999)).toBe(2);
    expect(d.attempt("x", 3998)).toBe(1);
    expect(d.size).toBe(2); // "once" still has its attempt at 2999
    expect(d.attempt("x", 3999)).toBe(2);
    expect(d.size).toBe(1);
  });

  it("forgets keys whose attempts all left the window, without waiting for a sweep", () => {
    const d = new LoopDetector(1000);
    for (let i = 0; i < 5000; i++) d.attempt(`call-${i}`, i % 1000);
    expect(d.size).toBe(5000);
    d.attempt("late", 1999);
    expect(d.size).toBe(1);
    expect(d.attempt("call-1", 1999)).toBe(1);
  });

  it("keeps a repeated key's count across the queue's growth and compaction", () => {
    const d = new LoopDetector(10_000);
    for (let t = 0; t < 50_000; t++) {
      const n = d.attempt(`unique-${t}`, t);
      expect(n).toBe(1);
      if (t % 1000 === 0) expect(d.attempt("loop", t)).toBe(Math.min(t / 1000 + 1, 10));
    }
    expect(d.size).toBeLessThanOrEqual(10_001);
  });

  it("keeps counting right when the clock steps back", () => {
    const d = new LoopDetector(1000);
    d.attempt("k", 5000);
    d.attempt("k", 4000); // the clock stepped back a second
    expect(d.attempt("k", 4500)).toBe(3);
    expect(d.attempt("k", 5600)).toBe(2); // 4000 and 4500 left the window; 5000 stays
  });

  it("agrees with the array-per-key detector over random traffic and clock steps (back too)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const d = new LoopDetector(1000);
      const ref = new ArrayDetector(1000);
      let now = 1_700_000_000_000;
      for (let step = 0; step < 5000; step++) {
        const x = r();
        // A few hot keys (loops) among many cold ones.
        const key = r() < 0.3 ? `hot-${Math.floor(r() * 4)}` : `cold-${Math.floor(r() * 3000)}`;
        if (x < 0.6) expect(d.attempt(key, now)).toBe(ref.attempt(key, now));
        else if (x < 0.8) expect(d.peek(key, now)).toBe(ref.peek(key, now));
        else if (x < 0.98) now += Math.floor(r() * 60);
        else now += r() < 0.5 ? -Math.floor(r() * 1500) : 900 + Math.floor(r() * 200);
      }
      expect(d.size).toBe(ref.size);
    }
  });
});

describe("loopKey", () => {
  it("is one flat key per agent, model and fingerprint", () => {
    expect(loopKey("a", "gpt-4o", "fp")).toBe("a\u0000gpt-4o\u0000fp");
    expect(loopKey("a", "gpt-4o", "fp")).not.toBe(loopKey("b", "gpt-4o", "fp"));
    expect(loopKey("a", "gpt-4o", "fp")).not.toBe(loopKey("a", "gpt-4o-mini", "fp"));
  });
});
