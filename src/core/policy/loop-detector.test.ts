import { describe, expect, it } from "vitest";
import { LoopDetector } from "./loop-detector.js";

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

  it("forgets keys whose attempts all left the window, without waiting for a sweep", () => {
    const d = new LoopDetector(1000);
    for (let i = 0; i < 5000; i++) d.attempt(`call-${i}`, i % 1000);
    expect(d.size).toBe(5000);
    d.attempt("late", 1999);
    expect(d.size).toBe(1);
    expect(d.attempt("call-1", 1999)).toBe(1);
  });

  it("keeps counting right when the clock steps back", () => {
    const d = new LoopDetector(1000);
    d.attempt("k", 5000);
    d.attempt("k", 4000); // the clock stepped back a second
    expect(d.attempt("k", 4500)).toBe(3);
    expect(d.attempt("k", 5600)).toBe(2); // 4000 and 4500 left the window; 5000 stays
  });
});
