// End-to-end: the session ledger of `aegis run` (DESIGN §7) — JSON Lines that parse one by one,
// mode 0600, session_start first and session_end last, and totals equal to the decisions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DecisionLine, LedgerLine, SessionEndLine } from "../../src/ledger/entry.js";
import { driver, jsonLines, readLedger, record, runAegis, scratch, TEST_PRICING } from "../helpers/run-aegis.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

interface Answer {
  status: number;
  body: { action: string; cost_usd: number; cumulative_usd: number };
}

describe("aegis run: the ledger", () => {
  it("parses line by line and its totals equal the session's decisions", async () => {
    const config = `${TEST_PRICING}cost: { per_call_limit_usd: 0.05, per_session_limit_usd: 0.5, alert_threshold: 0.1 }\nrun: { kill_on: never }\n`;
    const steps = [
      record({ model: "test-model", input_tokens: 1234, output_tokens: 567, cached_tokens: 200, agent_id: "a" }),
      record({ model: "test-model", input_tokens: 9_000, output_tokens: 0, agent_id: "b", action_type: "big" }), // blocked: per call
      record({ model: "test-model", input_tokens: 3_000, output_tokens: 1_000, reasoning_tokens: 400, agent_id: "b" }),
      record({ model: "unknown-model-x", input_tokens: 1, output_tokens: 1 }),
      record({ model: "test-model", input_tokens: 77, output_tokens: 33, cache_write_tokens: 50 }),
      { path: "/v1/report", method: "GET" },
    ];
    const r = await runAegis({ dir, config, agent: driver(dir, steps) });
    expect(r.code).toBe(0);
    expect(statSync(r.ledgerPath).mode & 0o777).toBe(0o600);
    const lines: LedgerLine[] = readLedger(r.ledgerPath);
    expect(lines.every((l) => l.v === 1)).toBe(true);
    expect(lines[0]?.type).toBe("session_start");
    expect(lines.at(-1)?.type).toBe("session_end");
    const sessionId = lines[0]?.session_id;
    expect(lines.every((l) => l.session_id === sessionId)).toBe(true);

    const answers = jsonLines<Answer>(r.stdout).slice(0, 5);
    const decisions = lines.filter((l): l is DecisionLine => l.type === "decision");
    expect(decisions.map((d) => d.action)).toEqual(answers.map((a) => a.body.action));
    expect(new Set(decisions.map((d) => d.id)).size).toBe(decisions.length);
    const recorded = decisions.filter((d) => d.action !== "block");
    const spentNanos = recorded.reduce((s, d) => s + d.cost_nanos, 0);
    const end = lines.at(-1) as SessionEndLine;
    expect(end.totals).toEqual({
      spent_usd: spentNanos / 1e9,
      spent_nanos: spentNanos,
      calls: recorded.length,
      blocked: decisions.length - recorded.length,
      warned: decisions.filter((d) => d.action === "warn").length,
    });
    // The agent saw the same costs, and the last cumulative is the session total.
    expect(recorded.map((d) => d.cost_usd)).toEqual(answers.filter((a) => a.body.action !== "block").map((a) => a.body.cost_usd));
    expect(recorded.at(-1)?.cumulative_usd).toBeCloseTo(spentNanos / 1e9, 12);
    const report = jsonLines<{ body: { spent: number; call_count: number; blocked_count: number } }>(r.stdout)[5]?.body;
    expect(report?.spent).toBeCloseTo(spentNanos / 1e9, 6);
    expect(report?.call_count).toBe(recorded.length);
    expect(report?.blocked_count).toBe(decisions.length - recorded.length);
    // Tokens by kind: 1234 prompt with 200 cached → 1034 fresh + 200 cache reads.
    expect(decisions[0]?.tokens).toEqual({ input: 1034, cache_read: 200, cache_write_5m: 0, cache_write_1h: 0, output: 567, reasoning: 0 });
    expect(decisions[0]).toMatchObject({ agent: "a", model: "test-model", priced_as: "test-model", source: "api" });
    expect(decisions[3]).toMatchObject({ priced_as: null, dimension: "unknown_model" });
    // Alerts are their own lines too.
    expect(lines.some((l) => l.type === "alert")).toBe(true);
  });

  it("defaults to <ledger.dir>/<session-id>.jsonl relative to the config", async () => {
    const r = await runAegis({ dir, config: "ledger: { dir: out/sessions }\n", ledgerFlag: false, agent: [process.execPath, "-e", "console.log(process.env.AEGIS_SESSION_ID)"] });
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(readdirSync(join(dir, "out", "sessions"))).toEqual([`${id}.jsonl`]);
    const path = join(dir, "out", "sessions", `${id}.jsonl`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readLedger(path).map((l) => l.type)).toEqual(["session_start", "session_end"]);
    expect(r.stderr).toContain(`ledger out/sessions/${id}.jsonl`);
  });
});
