// bodyText on prompts over a megabyte, in child processes of their own (full collections depend on
// V8 state of the whole process): it must not make the external strings that Node's ASCII decoder
// makes from 0xFBEE9 bytes on, which V8 counts as external memory and collects only in full GCs.
import { nodeChildNumber } from "../helpers/node-child.js";
import { describe, expect, it } from "vitest";

const BODY = new URL("../../dist/proxy/request-body.js", import.meta.url).href;
const HEAP = new URL("../../dist/run/heap-growth.js", import.meta.url).href;

describe("bodyText on a large prompt", () => {
  // A child set up as `aegis run` serves (50% growth, the headroom floor, ~10 MB alive) decodes and
  // parses 500 proxied bodies of ~1.05 MB, each alive across a turn as a call's prompt is during
  // admission, and counts its full collections. `decoder` is bodyText or Node's ASCII decoder.
  const fullGcs = (decoder: "bodyText" | "ascii"): Promise<number> => {
    const script = `
      const { PerformanceObserver, constants } = require("node:perf_hooks");
      Promise.all([import(${JSON.stringify(BODY)}), import(${JSON.stringify(HEAP)})]).then(async ([body, heap]) => {
        globalThis.live = []; for (let i = 0; i < 100000; i++) globalThis.live.push({ i, s: "x" + i });
        heap.limitHeapGrowth();
        heap.keepHeapHeadroom();
        let majors = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
        }).observe({ entryTypes: ["gc"] });
        const pad = "lorem ipsum dolor sit amet ".repeat(40000);
        const decode = ${decoder === "ascii" ? '(raw) => raw.toString("ascii")' : "body.bodyText"};
        let sink = 0;
        for (let i = 0; i < 500; i++) {
          const raw = Buffer.from('{"model":"m","messages":[{"role":"user","content":"' + pad + i + '"}]}', "latin1");
          const parsed = JSON.parse(decode(raw));
          await new Promise((r) => setImmediate(r));
          sink += parsed.messages[0].content.length;
        }
        await new Promise((r) => setTimeout(r, 50));
        console.log(sink > 0 ? majors : -1);
      });`;
    return nodeChildNumber(script);
  };

  it("runs less than half the full collections that Node's ASCII decoder's external strings force", async () => {
    // Side by side, so that both see the same machine (alone: 21-23 against 1-5; the few left are
    // prompts a scavenge found still alive and promoted).
    const [ascii, bodyText] = await Promise.all([fullGcs("ascii"), fullGcs("bodyText")]);
    expect(ascii).toBeGreaterThan(10);
    expect(bodyText).toBeLessThan(ascii / 2);
  });
});
