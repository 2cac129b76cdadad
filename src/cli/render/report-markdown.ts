// The Markdown report (--markdown): GitHub tables of the attribution tree, the spend by model (or
// by the --by grouping) and the blocked/warned calls, ready to paste into a pull request.

import { formatPercent, formatUsd } from "../../core/money.js";
import type { AgentReportNode } from "../../core/report/types.js";
import { GROUP_HEADING, count, counted, money, share } from "./report-cells.js";
import type { HumanReportInput } from "./report-human.js";

/** Renders the report as GitHub-flavoured Markdown. */
export function renderMarkdownReport(input: HumanReportInput): string {
  const { report } = input;
  const out: string[] = ["## Multi-Agent Cost Attribution", ""];
  let summary = `Global: **${formatUsd(input.spent)}** spent`;
  if (input.budget !== undefined && input.budget > 0) {
    summary += ` · Budget: ${formatUsd(input.budget, 2)} (${formatPercent(Math.min(1, input.spent / input.budget))} used)`;
  }
  out.push(summary, "");
  out.push(...table(["Agent", "Direct", "Delegated", "Total", "Calls", "Budget"], ["l", "r", "r", "r", "r", "r"], flatten(input.tree)));
  out.push("", `### Spend by ${input.by}`, "");
  out.push(
    ...table(
      [GROUP_HEADING[input.by], "Calls", "Blocked", "Input", "Cached", "Output", "Cost", "Share"],
      ["l", "r", "r", "r", "r", "r", "r", "r"],
      input.rows.map((r) => [r.key, count(r.calls), count(r.blocked), count(r.input), count(r.cache_read), count(r.output), money(r.nanos), share(r.nanos, input.spent)]),
    ),
  );
  if (report.decisions.length > 0) {
    out.push("", "### Blocked and warned calls", "");
    out.push(...table(["Time (UTC)", "Agent", "Model", "Action", "Dimension", "Reason"], ["l", "l", "l", "l", "l", "l"], report.decisions.map((d) => [d.ts, d.agent, d.model, d.action, d.dimension, d.reason])));
    if (report.decisions_omitted > 0) out.push("", `… and ${count(report.decisions_omitted)} more.`);
  }
  const n = report.sessions.length;
  out.push("", `_${counted(n, "session", "sessions")} · ${counted(report.call_count, "call", "calls")} recorded · ${count(report.blocked_count)} blocked · ${count(report.warned_count)} warned · days in ${report.filter.time_zone}_`);
  return out.join("\n");
}

// Tree order, children indented with non-breaking spaces (Markdown collapses plain ones).
function flatten(nodes: readonly AgentReportNode[], depth = 0): string[][] {
  return nodes.flatMap((n) => [
    [`${"&nbsp;&nbsp;".repeat(depth)}${n.agent_id}`, usd(n.direct), usd(n.delegated), usd(n.total), count(n.calls), n.budget === null ? "—" : formatUsd(Math.round(n.budget * 1e9), 2)],
    ...flatten(n.children, depth + 1),
  ]);
}

function usd(amount: number): string {
  return money(Math.round(amount * 1e9));
}

function table(head: string[], align: Array<"l" | "r">, rows: string[][]): string[] {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(head), `|${align.map((a) => (a === "r" ? "---:" : ":---")).join("|")}|`, ...rows.map(line)];
}

// A pipe would end the cell and a newline the row.
function escapeCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
