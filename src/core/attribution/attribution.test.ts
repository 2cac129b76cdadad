import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import type { AgentSpec } from "../policy/types.js";
import { buildAttributionTree, formatAttributionReport, type DirectSpend } from "./index.js";

const usd = usdToNanos;
const spend = (entries: Record<string, [number, number]>): Map<string, DirectSpend> =>
  new Map(Object.entries(entries).map(([id, [dollars, calls]]) => [id, { direct: usd(dollars), calls }]));

const THREE_LEVELS: AgentSpec[] = [
  { id: "root", budget: usd(10) },
  { id: "mid", parent: "root", budget: usd(1) },
  { id: "leaf", parent: "mid" },
  { id: "sibling", parent: "root" },
];

describe("buildAttributionTree", () => {
  it("an empty tree with no spend is empty", () => {
    expect(buildAttributionTree([], new Map())).toEqual([]);
  });

  it("a single agent: delegated 0, its own calls", () => {
    expect(buildAttributionTree([{ id: "solo" }], spend({ solo: [0.5, 2] }))).toEqual([
      { agent_id: "solo", parent_id: null, direct: 0.5, delegated: 0, total: 0.5, calls: 2, budget: null, utilization: null, children: [] },
    ]);
  });

  it("a 3-level chain counts each call once (the reference showed root c/2c/3c)", () => {
    const [root] = buildAttributionTree(THREE_LEVELS, spend({ leaf: [0.0045, 1] }));
    expect([root?.direct, root?.delegated, root?.total, root?.utilization]).toEqual([0, 0.0045, 0.0045, 0.00045]);
    const mid = root?.children[0];
    expect([mid?.agent_id, mid?.parent_id, mid?.direct, mid?.delegated, mid?.total]).toEqual(["mid", "root", 0, 0.0045, 0.0045]);
    expect(mid?.children[0]).toMatchObject({ agent_id: "leaf", parent_id: "mid", direct: 0.0045, delegated: 0, total: 0.0045, calls: 1 });
    expect(root?.children.map((c) => c.agent_id)).toEqual(["mid", "sibling"]);
  });

  it("keeps declaration order, not cost order, and puts undeclared spenders last, sorted", () => {
    const nodes = buildAttributionTree([{ id: "b" }, { id: "a" }], spend({ a: [9, 1], zed: [1, 1], x: [2, 1] }));
    expect(nodes.map((n) => [n.agent_id, n.parent_id, n.budget])).toEqual([
      ["b", null, null],
      ["a", null, null],
      ["x", null, null],
      ["zed", null, null],
    ]);
  });

  it("money stays exact in nanos: 0.1 + 0.2 delegated is 0.3", () => {
    const [p] = buildAttributionTree([{ id: "p" }, { id: "c1", parent: "p" }, { id: "c2", parent: "p" }], spend({ c1: [0.1, 1], c2: [0.2, 1] }));
    expect(p?.delegated).toBe(0.3);
  });
});

describe("formatAttributionReport", () => {
  it("says so when there are no agents", () => {
    expect(formatAttributionReport([], 0)).toBe("No agents registered.");
  });

  it("3-level tree: two spaces per level, no Budget line without a budget", () => {
    const nodes = buildAttributionTree(THREE_LEVELS, spend({ root: [0.001, 1], mid: [0.01, 2], leaf: [0.045, 3], sibling: [1.5, 12] }));
    expect(formatAttributionReport(nodes, usd(1.556))).toBe(
      [
        "Multi-Agent Cost Attribution",
        "========================================",
        "Global: $1.5560 spent",
        "",
        "Agent                    Direct  Delegated      Total  Calls",
        "------------------------------------------------------------",
        "root                 $   0.0010 $   1.5550 $   1.5560      1",
        "  mid                $   0.0100 $   0.0450 $   0.0550      2",
        "    leaf             $   0.0450 $   0.0000 $   0.0450      3",
        "  sibling            $   1.5000 $   0.0000 $   1.5000     12",
      ].join("\n"),
    );
  });

  it.each([
    [usd(12.5), usd(50), "Budget: $50.00 (25% used)"],
    [usd(0.125), usd(1), "Budget: $1.00 (12% used)"], // half-to-even like Python's :.0%
    [usd(80), usd(50), "Budget: $50.00 (100% used)"],
  ])("budget line for %d of %d nanos", (spent, budget, line) => {
    expect(formatAttributionReport(buildAttributionTree([{ id: "a" }], new Map()), spent, budget).split("\n")[3]).toBe(line);
  });

  it("every row lines up with the 60-column header", () => {
    const nodes = buildAttributionTree(THREE_LEVELS, spend({ leaf: [1234.5678, 99999] }));
    const lines = formatAttributionReport(nodes, usd(1234.5678)).split("\n").slice(4);
    expect(new Set(lines.map((l) => l.length))).toEqual(new Set([60]));
  });
});
