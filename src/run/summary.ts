// The end-of-run report on stderr: the format_report-style attribution table and one summary line.
import { formatUsd, type Nanos } from "../core/money.js";
import { formatAttributionReport } from "../core/attribution/index.js";
import type { SessionReport } from "../core/report/types.js";
import type { MeterTotals } from "./meter.js";
import { formatStoreTotals, type StoreTotals } from "../store/totals.js";

/** What the summary needs beyond the report. */
export interface SummaryInput {
  report: SessionReport;
  totals: MeterTotals;
  /** The total budget (nanos), for the table's "Budget:" line. */
  budget?: Nanos;
  stoppedReason: string | null;
  ledgerPath: string;
  /** The shared budget store's totals (today, all time), printed after the session's line. */
  store?: StoreTotals;
}

/** The attribution table (omitted when the agent made no metered call), then the summary line. */
export function formatRunSummary(s: SummaryInput): string {
  const { totals } = s;
  const parts: string[] = [];
  // A blank line first sets the report apart from the agent's own output.
  if (totals.calls + totals.blocked > 0) parts.push("", formatAttributionReport(s.report.agents, totals.spent, s.budget), "");
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  let line = `aegis: spent ${formatUsd(totals.spent)} in ${plural(totals.calls, "call")} (${totals.blocked} blocked, ${totals.warned} warned)`;
  if (s.stoppedReason !== null) line += `; stopped the agent: ${s.stoppedReason}`;
  line += `; ledger ${s.ledgerPath}`;
  parts.push(line);
  if (s.store !== undefined) parts.push(formatStoreTotals(s.store));
  return parts.join("\n");
}
