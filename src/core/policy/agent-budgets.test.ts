import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import { formatAttributionReport } from "../attribution/index.js";
import { createGovernor, type AgentSpec, type Limits } from "./index.js";
import { limits, manualClock, REFERENCE_PRICES, usage } from "./testing.js";

const usd = usdToNanos;
const gov = (agents: AgentSpec[], l: Limits = limits({ alertThreshold: 1 })) =>
  createGovernor({ sessionId: "s1", limits: l, agents, pricing: REFERENCE_PRICES, clock: manualClock().now });
let seq = 0;
const cost = (agentId: string, dollarsTimes10k: number) => ({
  // gpt-4o output at $10/M: 1 output token = $0.00001, so n tokens = n/100000 USD.
  usage: usage("gpt-4o", 0, dollarsTimes10k * 10),
  agentId,
  fingerprint: `${agentId}-${++seq}`,
});

// The docs' multi-agent example (reference-semantics §5.1), with the correct arithmetic.
const DOCS_TREE: AgentSpec[] = [
  { id: "orchestrator", budget: usd(50) },
  { id: "researcher", parent: "orchestrator", budget: usd(20) },
  { id: "writer", parent: "orchestrator", budget: usd(15) },
  { id: "reviewer", parent: "orchestrator", budget: usd(10) },
];

describe("Agent budgets and attribution", () => {
  it("the docs' example: each call charged once, the orchestrator only delegated", async () => {
    const g = gov(DOCS_TREE, limits({ budget: 50 }));
    await g.record({ usage: usage("gpt-4o", 8000, 2000), agentId: "researcher" });
    await g.record({ usage: usage("claude-sonnet-4", 5000, 3000), agentId: "writer" });
    await g.record({ usage: usage("gpt-4o-mini", 3000, 500), agentId: "reviewer" });
    const r = await g.report();
    expect(r.spent).toBe(0.10075);
    expect(r.by_agent).toEqual({ researcher: 0.04, reviewer: 0.00075, writer: 0.06 });
    expect(r.by_model).toEqual({ "claude-sonnet-4": 0.06, "gpt-4o": 0.04, "gpt-4o-mini": 0.00075 });
    expect(r.agents[0]).toMatchObject({ agent_id: "orchestrator", direct: 0, delegated: 0.10075, total: 0.10075, calls: 0, budget: 50, utilization: 0.002 });
    expect(r.agents[0]?.children.map((c) => [c.agent_id, c.direct, c.calls])).toEqual([
      ["researcher", 0.04, 1],
      ["writer", 0.06, 1],
      ["reviewer", 0.00075, 1],
    ]);
    expect(formatAttributionReport(r.agents, usd(r.spent), usd(r.max_budget))).toBe(
      [
        "Multi-Agent Cost Attribution",
        "========================================",
        "Global: $0.1008 spent",
        "Budget: $50.00 (0% used)",
        "",
        "Agent                    Direct  Delegated      Total  Calls",
        "------------------------------------------------------------",
        "orchestrator         $   0.0000 $   0.1008 $   0.1008      0",
        "  researcher         $   0.0400 $   0.0000 $   0.0400      1",
        "  writer             $   0.0600 $   0.0000 $   0.0600      1",
        "  reviewer           $   0.0008 $   0.0000 $   0.0008      1",
      ].join("\n"),
    );
  });

  it("an exhausted child is blocked while its parent and sibling go on", async () => {
    const g = gov([
      { id: "orchestrator", budget: usd(1) },
      { id: "researcher", parent: "orchestrator", budget: usd(0.04) },
      { id: "writer", parent: "orchestrator", budget: usd(0.5) },
    ]);
    expect((await g.record(cost("researcher", 300))).action).toBe("allow"); // $0.03
    expect(await g.record(cost("researcher", 150))).toMatchObject({
      action: "block",
      dimension: "agent_budget",
      reason: "Agent researcher spend $0.0450 would exceed its budget $0.0400",
      fatal: false,
    });
    // Exactly $0.04 is allowed (it raises the 100% alert of alert_threshold 1).
    expect((await g.record(cost("researcher", 100))).dimension).toBe("agent_budget_alert");
    expect((await g.record(cost("writer", 1000))).action).toBe("allow");
    expect((await g.record(cost("orchestrator", 1000))).action).toBe("allow");
  });

  it("an ancestor's remaining budget binds a child with a larger budget of its own", async () => {
    const g = gov([
      { id: "root", budget: usd(0.1) },
      { id: "mid", parent: "root" },
      { id: "leaf", parent: "mid", budget: usd(5) },
      { id: "other", parent: "root" },
    ]);
    expect((await g.record(cost("other", 800))).action).toBe("allow"); // $0.08 of root's $0.10
    expect(await g.record(cost("leaf", 300))).toMatchObject({
      action: "block",
      dimension: "agent_budget",
      reason: "Agent root spend $0.1100 would exceed its budget $0.1000 (call by leaf)",
    });
    expect((await g.record(cost("leaf", 200))).action).not.toBe("block");
  });

  it("a 3-level tree rolls each call up once", async () => {
    const g = gov([{ id: "root", budget: usd(1) }, { id: "mid", parent: "root", budget: usd(1) }, { id: "leaf", parent: "mid" }]);
    await g.record(cost("leaf", 450));
    await g.record(cost("mid", 100));
    await g.record(cost("root", 10));
    const [root] = (await g.report()).agents;
    expect([root?.direct, root?.delegated, root?.total, root?.calls]).toEqual([0.001, 0.055, 0.056, 1]);
    const mid = root?.children[0];
    expect([mid?.direct, mid?.delegated, mid?.total, mid?.utilization]).toEqual([0.01, 0.045, 0.055, 0.055]);
    expect(mid?.children[0]).toMatchObject({ agent_id: "leaf", direct: 0.045, delegated: 0, total: 0.045, budget: null, utilization: null });
  });

  it("agent budgets raise their own alert once", async () => {
    const g = gov([{ id: "a", budget: usd(0.1) }], limits({ alertThreshold: 0.5 }));
    expect((await g.record(cost("a", 400))).alerts).toEqual([]);
    const d = await g.record(cost("a", 200));
    expect(d).toMatchObject({ action: "warn", dimension: "agent_budget_alert", reason: "Agent a budget utilization 60% exceeds alert threshold 50%" });
    expect(d.alerts[0]?.agentId).toBe("a");
    expect((await g.record(cost("a", 100))).alerts).toEqual([]);
  });

  it("calls from agents the config never declared are charged to a top-level node", async () => {
    const g = gov(DOCS_TREE);
    await g.record(cost("stranger", 100));
    const r = await g.report();
    expect(r.agents.map((a) => [a.agent_id, a.total, a.budget])).toEqual([
      ["orchestrator", 0, 50],
      ["stranger", 0.01, null],
    ]);
  });

  it("calls that name no agent go to the tree's only root", async () => {
    const g = gov(DOCS_TREE);
    await g.record({ usage: usage("gpt-4o", 0, 100) });
    expect((await g.report()).by_agent).toEqual({ orchestrator: 0.001 });
  });

  it("rejects an unknown parent and a cycle", () => {
    expect(() => gov([{ id: "a", parent: "ghost" }])).toThrow('agents.a.parent: unknown agent "ghost"');
    expect(() => gov([{ id: "a", parent: "b" }, { id: "b", parent: "a" }])).toThrow(/cycle/);
  });
});
