import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, HOLD_YOUNG_GENERATION, MIN_HEAP_HEADROOM_BYTES, RELEASE_YOUNG_GENERATION, heapGrowingPercent } from "./heap-growth.js";

describe("limitHeapGrowth", () => {
  it("uses a flag this Node's V8 knows (an unknown one would print 'unrecognized flag' on stderr)", () => {
    const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
    const known = spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString(${JSON.stringify(flag)})`], { encoding: "utf8" });
    expect(known.stderr).toBe("");
    // The check itself can see a flag V8 does not know.
    const unknown = spawnSync(process.execPath, ["-e", `require("node:v8").setFlagsFromString("--no-such-heap-flag=1")`], { encoding: "utf8" });
    expect(unknown.stderr).toContain("unrecognized flag");
  });
});

describe("holdYoungGeneration / releaseYoungGeneration", () => {
  // A child allocates objects that survive (as start-up does), with or without the flag held, then
  // with it released, and reports the young generation's size (bytes) after each phase.
  const youngSizes = (hold: boolean): { held: number; released: number } => {
    const script = `
      const v8 = require("node:v8");
      const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
      const keep = [];
      const allocate = () => { for (let i = 0; i < 400000; i++) keep.push({ i, s: "x" + i }); };
      if (${hold}) v8.setFlagsFromString(${JSON.stringify(HOLD_YOUNG_GENERATION)});
      allocate();
      const held = young();
      v8.setFlagsFromString(${JSON.stringify(RELEASE_YOUNG_GENERATION)});
      allocate();
      console.log(JSON.stringify({ held, released: young() }));`;
    const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(child.stderr).toBe("");
    return JSON.parse(child.stdout) as { held: number; released: number };
  };

  it("keeps the young generation small while held, and lets it grow again once released", () => {
    const held = youngSizes(true);
    const free = youngSizes(false);
    expect(held.held).toBeLessThan(free.held / 4);
    expect(held.released).toBeGreaterThan(held.held * 4);
  });
});

describe("heapGrowingPercent", () => {
  it("gives a small heap at least the minimum headroom, and a large one HEAP_GROWING_PERCENT", () => {
    const MiB = 1024 * 1024;
    expect(heapGrowingPercent(10 * MiB)).toBe(320);
    expect((10 * MiB * heapGrowingPercent(10 * MiB)) / 100).toBeGreaterThanOrEqual(MIN_HEAP_HEADROOM_BYTES);
    expect(heapGrowingPercent(64 * MiB)).toBe(HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent(500 * MiB)).toBe(HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent(0)).toBe(3200);
  });
});
