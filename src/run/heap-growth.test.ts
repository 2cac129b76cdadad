import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT } from "./heap-growth.js";

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
