// The human report (stdout): the format_report-style attribution table, then spend by model (or
// by the --by grouping), then the blocked and warned decisions. cli-table3 draws the tables;
// colour comes from the caller's Colors (PLAIN when not a TTY or NO_COLOR), and terminals narrower
// than 80 columns get fewer columns.

import Table from "cli-table3";
import type { Colors } from "../output.js";
import { formatAttributionReport } from "../../core/attribution/index.js";
import type { Nanos } from "../../core/money.js";
import type { LedgerReport } from "../../core/spend/ledger-report.js";
import type { GroupBy, GroupRow } from "../../core/spend/types.js";
import type { AgentReportNode } from "../../core/report/types.js";
import { GROUP_HEADING, count, counted, money, share } from "./report-cells.js";

/** Everything the human report shows. */
export interface HumanReportInput {
  report: LedgerReport;
  /** The attribution tree at full precision. */
  tree: AgentReportNode[];
  spent: Nanos;
  budget: Nanos | undefined;
  /** The grouping of the second table (agents are the attribution table already). */
  by: Exclude<GroupBy, "agent">;
  rows: GroupRow[];
}

/** Terminal traits: colour and width (undefined when not a terminal). */
export interface HumanStyle {
  color: Colors;
  columns: number | undefined;
}

const NARROW = 80;

/** Renders the human report. */
export function renderHumanReport(input: HumanReportInput, style: HumanStyle): string {
  const { report } = input;
  const c = style.color;
  const compact = style.columns !== undefined && style.columns < NARROW;
  const parts: string[] = [];
  parts.push(colorAttribution(formatAttributionReport(input.tree, input.spent, input.budget), c));
  parts.push(`${c.bold(`Spend by ${input.by}`)}\n${groupTable(input, compact, c)}`);
  if (report.decisions.length > 0) {
    parts.push(`${c.bold("Blocked and warned calls")}\n${decisionTable(report, compact, c)}`);
  }
  parts.push(c.dim(footer(report)));
  return parts.join("\n\n");
}

// Bold title and header row; the table text itself stays the reference layout.
function colorAttribution(text: string, c: Colors): string {
  const lines = text.split("\n");
  return lines.map((l, i) => (i === 0 || l.startsWith("Agent ") ? c.bold(l) : l)).join("\n");
}

function newTable(head: string[], c: Colors, align: Array<"left" | "right">): Table.Table {
  return new Table({
    head: head.map((h) => c.bold(h)),
    colAligns: align,
    // cli-table3 colours headers red by default, even when output is not a terminal.
    style: { head: [], border: [], compact: true },
  });
}

function groupTable(input: HumanReportInput, compact: boolean, c: Colors): string {
  const total = input.spent;
  const heading = GROUP_HEADING[input.by];
  if (compact) {
    const t = newTable([heading, "Calls", "Cost", "Share"], c, ["left", "right", "right", "right"]);
    for (const r of input.rows) t.push([r.key, count(r.calls), money(r.nanos), share(r.nanos, total)]);
    return t.toString();
  }
  const t = newTable([heading, "Calls", "Blocked", "Input", "Cached", "Output", "Cost", "Share"], c, ["left", "right", "right", "right", "right", "right", "right", "right"]);
  for (const r of input.rows) {
    t.push([r.key, count(r.calls), r.blocked > 0 ? c.red(count(r.blocked)) : "0", count(r.input), count(r.cache_read), count(r.output), money(r.nanos), share(r.nanos, total)]);
  }
  return t.toString();
}

function decisionTable(report: LedgerReport, compact: boolean, c: Colors): string {
  const action = (a: "warn" | "block"): string => (a === "block" ? c.red("block") : c.yellow("warn"));
  let text: string;
  if (compact) {
    text = report.decisions.map((d) => `${d.ts}  ${action(d.action)}  ${d.agent}  ${d.dimension}\n  ${d.reason}`).join("\n");
  } else {
    const t = newTable(["Time (UTC)", "Agent", "Model", "Action", "Dimension", "Reason"], c, ["left", "left", "left", "left", "left", "left"]);
    for (const d of report.decisions) t.push([d.ts, d.agent, d.model, action(d.action), d.dimension, d.reason]);
    text = t.toString();
  }
  return report.decisions_omitted > 0 ? `${text}\n… and ${count(report.decisions_omitted)} more (see --json for counts)` : text;
}

function footer(report: LedgerReport): string {
  const n = report.sessions.length;
  const bits = [counted(n, "session", "sessions"), `${counted(report.call_count, "call", "calls")} recorded`, `${count(report.blocked_count)} blocked`, `${count(report.warned_count)} warned`];
  const f = report.filter;
  if (f.since !== null || f.until !== null) bits.push(`calls from ${f.since ?? "the start"} until ${f.until ?? "the end"}`);
  bits.push(`days in ${f.time_zone}`);
  return bits.join(" · ");
}
