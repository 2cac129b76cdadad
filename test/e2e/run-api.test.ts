// End-to-end: `aegis run` with a child agent that talks to the metering API over HTTP.
// Each limit dimension allows, warns and blocks; blocked calls are never recorded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DecisionLine, SessionEndLine } from "../../src/ledger/entry.js";
import { driver, jsonLines, record, runAegis, scratch, TEST_PRICING } from "../helpers/run-aegis.js";

interface Answer {
  i: number;
  status: number;
  body: { action: string; dimension: string; reason: string; cost_usd: number; cumulative_usd: number; fatal: boolean; alerts: { message: string }[] };
}

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = scratch()));
afterEach(() => cleanup());

// n tokens of test-model cost n/100,000 USD ($10 per million).
const tokens = (n: number, extra: Record<string, unknown> = {}) => ({ model: "test-model", input_tokens: n, output_tokens: 0, ...extra });
const report = { path: "/v1/report", method: "GET" };

async function run(config: string, steps: unknown[]) {
  const result = await runAegis({ dir, config: `${TEST_PRICING}${config}`, agent: driver(dir, steps) });
  const answers = jsonLines<Answer>(result.stdout);
  const decisions = result.ledger.filter((l): l is DecisionLine => l.type === "decision");
  const end = result.ledger.find((l): l is SessionEndLine => l.type === "session_end");
  return { ...result, answers, decisions, end };
}

describe("aegis run: allow, warn and block for each dimension through the metering API", () => {
  it.each([
    // [name, config, blocking call tokens, expected dimension, fatal]
    ["per_call", "cost: { per_call_limit_usd: 0.01 }\n", 2_000, "per_call", false],
    ["per_session", "cost: { per_session_limit_usd: 0.05 }\n", 2_000, "per_session", true],
    ["daily", "cost: { daily_budget_usd: 0.05 }\n", 2_000, "daily", true],
    ["per_minute_tokens", "cost: { per_minute_tokens: 5000 }\n", 2_000, "per_minute_tokens", false],
    ["budget", "cost: { budget_usd: 0.05 }\n", 2_000, "budget", true],
  ])("%s: allowed calls are recorded, the blocked one is not", async (_name, config, blockTokens, dimension, fatal) => {
    // kill_on: never, so the agent lives on and shows that spend did not move.
    const r = await run(`${config}run: { kill_on: never }\n`, [
      record(tokens(1_000)), // $0.01
      record(tokens(2_000)), // $0.02 → $0.03 (per_call: blocked here already)
      record(tokens(blockTokens)), // → $0.05 or blocked
      record(tokens(blockTokens)),
      report,
    ]);
    expect(r.code).toBe(0);
    const blocked = r.answers.filter((a) => a.body.action === "block");
    expect(blocked.length).toBeGreaterThan(0);
    for (const b of blocked) expect(b.body).toMatchObject({ dimension, fatal });
    const recorded = r.answers.slice(0, 4).filter((a) => a.body.action !== "block");
    const spent = recorded.reduce((s, a) => s + a.body.cost_usd, 0);
    // The report and the ledger both say exactly what the allowed calls cost.
    const rep = r.answers[4]?.body as unknown as { spent: number; blocked_count: number };
    expect(rep.spent).toBeCloseTo(spent, 9);
    expect(r.end?.totals.spent_usd).toBeCloseTo(spent, 9);
    expect(r.end?.totals.blocked).toBe(blocked.length);
    expect(r.decisions.filter((d) => d.action === "block").map((d) => d.dimension)).toEqual(blocked.map(() => dimension));
    // A blocked answer's cumulative is the spend of the calls recorded before it: unchanged.
    let before = 0;
    for (const a of r.answers.slice(0, 4)) {
      if (a.body.action === "block") expect(a.body.cumulative_usd).toBeCloseTo(before, 9);
      else before += a.body.cost_usd;
    }
    expect(r.stderr).toContain(`aegis: blocked a test-model call`);
  });

  it("per-agent budget: only the exhausted agent is blocked; its parent goes on", async () => {
    const r = await run("agents:\n  lead: { budget_usd: 1 }\n  helper: { parent: lead, budget_usd: 0.015 }\n", [
      record(tokens(1_000, { agent_id: "helper" })),
      record(tokens(1_000, { agent_id: "helper", action_type: "again" })),
      record(tokens(1_000, { agent_id: "lead" })),
      record(tokens(1_000, { agent_id: "stranger" })),
    ]);
    expect(r.answers.map((a) => [a.body.action, a.body.dimension])).toEqual([
      [expect.stringMatching(/allow|warn/), expect.any(String)],
      ["block", "agent_budget"],
      ["allow", ""],
      ["allow", ""],
    ]);
    expect(r.answers[1]?.body.fatal).toBe(false);
    expect(r.code).toBe(0);
    expect(r.decisions.map((d) => d.agent)).toEqual(["helper", "helper", "lead", "stranger"]);
    // The attribution table: helper under lead, the undeclared agent at top level.
    expect(r.stderr).toMatch(/Multi-Agent Cost Attribution/);
    expect(r.stderr).toMatch(/^lead +\$ +0\.0100 \$ +0\.0100 \$ +0\.0200 +1$/m);
    expect(r.stderr).toMatch(/^ {2}helper +\$ +0\.0100 \$ +0\.0000 \$ +0\.0100 +1$/m);
    expect(r.stderr).toMatch(/^stranger +\$ +0\.0100/m);
  });

  it("on_exceed: warn lets the call through, records it and says why", async () => {
    const r = await run("cost: { per_call_limit_usd: 0.01, on_exceed: warn }\n", [record(tokens(2_000))]);
    expect(r.answers[0]?.body).toMatchObject({ action: "warn", dimension: "per_call", cost_usd: 0.02, cumulative_usd: 0.02 });
    expect(r.end?.totals).toMatchObject({ spent_usd: 0.02, calls: 1, warned: 1, blocked: 0 });
  });

  it("on_exceed: log writes the reason to the ledger and stderr", async () => {
    const r = await run("cost: { per_call_limit_usd: 0.01, on_exceed: log }\n", [record(tokens(2_000))]);
    expect(r.answers[0]?.body.action).not.toBe("block");
    const log = r.ledger.find((l) => l.type === "log");
    expect(log).toMatchObject({ type: "log", dimension: "per_call", call_id: r.decisions[0]?.id });
    expect(r.stderr).toContain("aegis: limit exceeded (on_exceed: log): ");
  });

  it("alerts once per crossing: one stderr line and one ledger line", async () => {
    const r = await run("cost: { per_session_limit_usd: 0.10, alert_threshold: 0.5 }\n", [
      record(tokens(3_000)),
      record(tokens(3_000, { action_type: "b" })), // 60% → alert
      record(tokens(1_000, { action_type: "c" })), // 70%: no second alert
    ]);
    expect(r.answers[1]?.body.alerts).toHaveLength(1);
    expect(r.answers[2]?.body.alerts).toHaveLength(0);
    expect(r.ledger.filter((l) => l.type === "alert")).toHaveLength(1);
    expect(r.stderr.match(/^aegis: alert: /gm)).toHaveLength(1);
  });

  it("check is a pre-flight: it answers the decision and records nothing", async () => {
    const r = await run("cost: { per_call_limit_usd: 0.01 }\n", [record(tokens(2_000), "/v1/check"), record(tokens(500), "/v1/check"), report]);
    expect(r.answers.map((a) => a.body.action)).toEqual(["block", "allow", undefined]);
    expect((r.answers[2]?.body as unknown as { spent: number }).spent).toBe(0);
    expect(r.decisions).toHaveLength(0);
  });

  it("a fatal block is answered first, then the agent is stopped: exit 124", async () => {
    const result = await runAegis({
      dir,
      config: `${TEST_PRICING}cost: { per_session_limit_usd: 0.015 }\nrun: { kill_grace_seconds: 1 }\n`,
      agent: driver(dir, [record(tokens(1_000)), record(tokens(1_000, { action_type: "x" })), record(tokens(1_000, { action_type: "y" }))]),
      env: { DRIVER_TRAP_TERM: "1" },
    });
    const answers = jsonLines<Answer>(result.stdout);
    expect(result.code).toBe(124);
    // The agent received the blocked answer (it printed it) before it was stopped.
    expect(answers.slice(0, 2).map((a) => a.body.action)).toEqual(["allow", "block"]);
    expect(answers[1]?.body).toMatchObject({ dimension: "per_session", fatal: true });
    const end = result.ledger.at(-1) as SessionEndLine;
    expect(end).toMatchObject({ type: "session_end", exit_code: 124, stopped_reason: expect.stringMatching(/per-session limit/) });
    expect(result.stderr).toMatch(/stopped the agent: Session spend \$0\.0200 would exceed per-session limit \$0\.0150/);
  });

  it("a call the agent makes while it is being stopped is refused for the same reason, even one that fits", async () => {
    const result = await runAegis({
      dir,
      config: `${TEST_PRICING}cost: { per_session_limit_usd: 0.015 }\nrun: { kill_grace_seconds: 1 }\n`,
      // $0.01 allowed, $0.01 more exhausts the session (fatal), then $0.001 that the $0.005 left would hold.
      agent: driver(dir, [record(tokens(1_000)), record(tokens(1_000, { action_type: "x" })), record(tokens(100, { action_type: "y" }))]),
      env: { DRIVER_TRAP_TERM: "1" },
    });
    expect(result.code).toBe(124);
    const answers = jsonLines<Answer>(result.stdout);
    expect(answers.map((a) => a.body.action)).toEqual(["allow", "block", "block"]);
    expect(answers[2]?.body).toMatchObject({ dimension: "per_session", reason: answers[1]?.body.reason });
    const decisions = result.ledger.filter((l): l is DecisionLine => l.type === "decision");
    expect(decisions.map((d) => [d.action, d.dimension])).toEqual([["allow", ""], ["block", "per_session"], ["block", "per_session"]]);
    expect((result.ledger.at(-1) as SessionEndLine).totals).toMatchObject({ calls: 1, blocked: 2, spent_nanos: 10_000_000 });
  });

  it("kill_on: always stops the agent on a non-fatal block too", async () => {
    const result = await runAegis({
      dir,
      config: `${TEST_PRICING}cost: { per_call_limit_usd: 0.01 }\nrun: { kill_on: always, kill_grace_seconds: 1 }\n`,
      agent: driver(dir, [record(tokens(2_000)), record(tokens(100))]),
    });
    expect(result.code).toBe(124);
    expect((result.ledger.at(-1) as SessionEndLine).stopped_reason).toMatch(/per-call limit/);
  });
});
