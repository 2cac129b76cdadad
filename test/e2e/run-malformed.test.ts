// End-to-end: every class of malformed or unauthorised input to the metering API gets its
// documented status, aegis keeps serving, and recorded spend does not move.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DecisionLine, SessionEndLine } from "../../src/ledger/entry.js";
import { driver, jsonLines, record, runAegis, scratch, TEST_PRICING } from "../helpers/run-aegis.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

const good = { model: "test-model", input_tokens: 1_000, output_tokens: 0 };

describe("aegis run: malformed input", () => {
  it("answers each class with its status, names the field, and never changes spend", async () => {
    const cases: [string, unknown, number, RegExp | null][] = [
      ["bad JSON", { path: "/v1/record", body: "{model: gpt-4o" }, 400, /^body: expected a JSON object, received malformed JSON/],
      ["not an object", { path: "/v1/record", body: "[]" }, 400, /^body: /],
      ["wrong type", record({ ...good, input_tokens: "1000" }), 400, /^input_tokens: expected a non-negative integer, received "1000" \(string\)/],
      ["fractional tokens", record({ ...good, output_tokens: 1.5 }), 400, /^output_tokens: /],
      ["negative tokens", record({ ...good, input_tokens: -100 }), 400, /^input_tokens: expected a non-negative integer, received -100/],
      ["missing model", record({ input_tokens: 1, output_tokens: 1 }), 400, /^model: expected a non-empty model id string, received nothing/],
      ["missing tokens", record({ model: "test-model" }), 400, /^input_tokens: .*required/],
      ["unknown field", record({ ...good, cost_usd: 0 }), 400, /^unknown field "cost_usd"/],
      ["cache larger than prompt", record({ ...good, cached_tokens: 5_000 }), 400, /^cached_tokens: /],
      ["no token", { ...record(good), auth: "none" }, 401, /Authorization: Bearer/],
      ["wrong token", { ...record(good), auth: "wrong" }, 401, /Authorization: Bearer/],
      ["huge body", { path: "/v1/record", repeatBody: 200 * 1024 }, 413, /exceeds the 65536-byte limit/],
      ["wrong method", { path: "/v1/record", method: "GET" }, 405, /accepts POST/],
      ["unknown route", { path: "/v1/spend", body: "{}" }, 404, /no route/],
      ["report without token", { path: "/v1/report", method: "GET", auth: "none" }, 401, /Bearer/],
    ];
    const steps = [
      ...cases.map(([, step]) => step),
      record({ ...good, model: "no-such-model-9000" }), // unknown model: a block decision
      { path: "/v1/report", method: "GET" },
      record(good),
      { path: "/v1/report", method: "GET" },
    ];
    const r = await runAegis({ dir, config: TEST_PRICING, agent: driver(dir, steps) });
    expect(r.code).toBe(0);
    const answers = jsonLines<{ i: number; status: number; body: { error?: { message: string }; action?: string; dimension?: string; reason?: string; spent?: number; call_count?: number } }>(r.stdout);
    expect(answers).toHaveLength(steps.length);
    cases.forEach(([name, , status, message], i) => {
      const a = answers[i];
      expect({ name, status: a?.status }).toEqual({ name, status });
      if (message !== null) expect({ name, message: a?.body.error?.message }).toEqual({ name, message: expect.stringMatching(message) });
    });
    const n = cases.length;
    expect(answers[n]).toMatchObject({ status: 200, body: { action: "block", dimension: "unknown_model", reason: expect.stringMatching(/no-such-model-9000[\s\S]*pricing:/) } });
    expect(answers[n + 1]?.body).toMatchObject({ spent: 0, call_count: 0 });
    expect(answers[n + 2]?.body).toMatchObject({ action: "allow" });
    expect(answers[n + 3]?.body).toMatchObject({ spent: 0.01, call_count: 1 });
    const decisions = r.ledger.filter((l): l is DecisionLine => l.type === "decision");
    expect(decisions.map((d) => [d.action, d.dimension])).toEqual([["block", "unknown_model"], ["allow", ""]]);
    expect((r.ledger.at(-1) as SessionEndLine).totals).toMatchObject({ spent_nanos: 10_000_000, calls: 1, blocked: 1 });
  });
});
