import { describe, expect, it } from "vitest";
import { parseLedgerLine } from "./parse-line.js";

const decision = {
  v: 1, type: "decision", ts: "2025-01-01T00:00:00.000Z", session_id: "s", id: "c1", agent: "a", model: "gpt-4o", priced_as: "gpt-4o", provider: "openai", source: "api",
  action: "allow", dimension: "", reason: "", tokens: { input: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 1, reasoning: 0 }, cost_usd: 0, cost_nanos: 12500, cumulative_usd: 0,
};
const problem = (line: unknown): string => {
  const p = parseLedgerLine(typeof line === "string" ? line : JSON.stringify(line));
  return p.kind === "corrupt" ? p.problem : `(${p.kind})`;
};

describe("parseLedgerLine", () => {
  it("accepts a well-formed decision and rewrites other ISO forms of ts to the canonical one", () => {
    expect(problem(decision)).toBe("(decision)");
    const p = parseLedgerLine(JSON.stringify({ ...decision, ts: "2025-01-01T01:00:00+01:00" }));
    expect(p.kind === "decision" && p.line.ts).toBe("2025-01-01T00:00:00.000Z");
  });

  it("names the field, the expectation and what was received", () => {
    expect(problem("{not json")).toBe("not valid JSON");
    expect(problem("[1]")).toBe("expected a JSON object, received [1]");
    expect(problem({ ...decision, v: 2 })).toBe('field "v": expected ledger format version 1, received 2');
    expect(problem({ ...decision, type: "party" })).toBe('field "type": expected decision, session_start, session_end, alert, log or duplicate, received "party"');
    expect(problem({ ...decision, action: "maybe" })).toBe('field "action": expected allow, warn or block, received "maybe"');
    expect(problem({ ...decision, cost_nanos: 0.5 })).toBe('field "cost_nanos": expected a non-negative integer, received 0.5');
    expect(problem({ ...decision, id: "" })).toBe('field "id": expected a non-empty string, received ""');
    expect(problem({ ...decision, ts: "yesterday" })).toBe('field "ts": expected an ISO date-time, received "yesterday"');
    const { agent: _agent, ...noAgent } = decision;
    expect(problem(noAgent)).toBe('field "agent": expected a string, received nothing (missing)');
  });

  it("checks session_start's tree and knows alert/log/duplicate lines", () => {
    const start = { v: 1, type: "session_start", ts: decision.ts, session_id: "s", limits: {}, agents: { a: { parent: null, budget_usd: 5 } }, default_agent: "a" };
    expect(problem(start)).toBe("(session_start)");
    expect(problem({ ...start, agents: { a: { parent: 3, budget_usd: 5 } } })).toContain('field "agents.a"');
    expect(problem({ v: 1, type: "alert", ts: decision.ts, session_id: "s" })).toBe("(other)");
    // A record the proxy had already metered is known, and is not spend.
    expect(problem({ v: 1, type: "duplicate", ts: decision.ts, session_id: "s", duplicate_of: "c1", agent: "a", charged_agent: "a", model: "gpt-4o", source: "client", tokens: decision.tokens })).toBe("(other)");
  });
});
