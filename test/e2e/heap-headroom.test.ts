// keepHeapHeadroom in the built module (dist/), in child processes of their own: how often a process
// runs full collections depends on the V8 flags it sets for the whole process.
import { nodeChildNumber } from "../helpers/node-child.js";
import { describe, expect, it } from "vitest";

const MODULE = new URL("../../dist/run/heap-growth.js", import.meta.url).href;

describe("keepHeapHeadroom", () => {
  // A child with aegis run's 50% growth keeps ~10 MB alive (aegis's live heap once the agent runs)
  // and then makes old-generation garbage the way calls in flight do: each batch of objects lives
  // long enough to be promoted, then dies. It counts its full collections.
  const fullGcs = (keep: boolean): Promise<number> => {
    const script = `
      const { PerformanceObserver, constants } = require("node:perf_hooks");
      import(${JSON.stringify(MODULE)}).then(async (m) => {
        const live = []; for (let i = 0; i < 100000; i++) live.push({ i, s: "x" + i });
        m.limitHeapGrowth();
        if (${keep}) m.keepHeapHeadroom();
        let majors = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
        }).observe({ entryTypes: ["gc"] });
        const inFlight = [];
        for (let i = 0; i < 3000; i++) {
          const batch = []; for (let j = 0; j < 2000; j++) batch.push({ j, s: "y" + j });
          inFlight[i % 64] = batch;
          if (i % 10 === 0) await new Promise((r) => setImmediate(r));
        }
        await new Promise((r) => setTimeout(r, 50));
        console.log(majors);
      });`;
    return nodeChildNumber(script);
  };

  it("keeps full collections of a small heap under steady old-generation garbage to what its 32 MB floor allows", async () => {
    // Side by side, so that both see the same machine. The 300 MB of promoted garbage make ~10 full
    // GCs with the floor whatever the load; without it the count depends on how soon marking
    // finishes, i.e. on the CPU its background threads get (23-25 alone, 16 in a loaded test run).
    const [without, withHeadroom] = await Promise.all([fullGcs(false), fullGcs(true)]);
    expect(withHeadroom).toBeGreaterThan(0);
    expect(withHeadroom).toBeLessThanOrEqual(12);
    expect(without).toBeGreaterThanOrEqual(withHeadroom + 4);
  });
});
