// The human attribution table: the reference `format_report` layout with its defects fixed —
// rows in tree order, two spaces of indent per level, columns lined up under the 60-column header,
// and each call counted once (reference-semantics §5, §9.2–9.3).

import { formatPercent, formatUsd, usdToNanos, type Nanos } from "../money.js";
import type { AgentReportNode } from "../report/types.js";

const NAME_WIDTH = 20;
const MONEY_WIDTH = 10;
const CALLS_WIDTH = 6;

/** The "Multi-Agent Cost Attribution" table; `budget` (nanos) adds the "Budget:" line. */
export function formatAttributionReport(nodes: readonly AgentReportNode[], globalSpent: Nanos, budget?: Nanos): string {
  if (nodes.length === 0) return "No agents registered.";
  const lines = ["Multi-Agent Cost Attribution", "=".repeat(40), `Global: ${formatUsd(globalSpent)} spent`];
  if (budget !== undefined && budget > 0) {
    lines.push(`Budget: ${formatUsd(budget, 2)} (${formatPercent(Math.min(1, globalSpent / budget))} used)`);
  }
  lines.push(
    "",
    `${"Agent".padEnd(NAME_WIDTH)} ${"Direct".padStart(MONEY_WIDTH)} ${"Delegated".padStart(MONEY_WIDTH)} ${"Total".padStart(MONEY_WIDTH)} ${"Calls".padStart(CALLS_WIDTH)}`,
    "-".repeat(60),
  );
  const visit = (node: AgentReportNode, depth: number): void => {
    lines.push(row(node, depth));
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const node of nodes) visit(node, 0);
  return lines.join("\n");
}

// "$" then the amount right-aligned, as the reference prints it ("$   0.0400"), 10 columns wide.
// Amounts arrive in USD; converting back to nanos keeps the half-even rounding exact.
function money(usd: number): string {
  return `$${formatUsd(usdToNanos(usd)).slice(1).padStart(MONEY_WIDTH - 1)}`;
}

function row(node: AgentReportNode, depth: number): string {
  const name = `${"  ".repeat(depth)}${node.agent_id}`.padEnd(NAME_WIDTH);
  return `${name} ${money(node.direct)} ${money(node.delegated)} ${money(node.total)} ${String(node.calls).padStart(CALLS_WIDTH)}`;
}
