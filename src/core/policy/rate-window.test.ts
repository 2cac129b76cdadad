import { describe, expect, it } from "vitest";
import { RATE_WINDOW_MS, RateWindow } from "./rate-window.js";

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
});
