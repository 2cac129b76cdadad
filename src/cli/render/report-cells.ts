// Cell formatting shared by the human, Markdown and CSV reports: headings per grouping, money,
// token counts and shares, so the three outputs say the same thing in the same words.

import { formatPercent, formatUsd, type Nanos } from "../../core/money.js";
import type { GroupBy } from "../../core/spend/types.js";

/** Column heading of the grouping key. */
export const GROUP_HEADING: Record<GroupBy, string> = { agent: "Agent", model: "Model", day: "Day", session: "Session" };

/** The grouping the second section of the human/Markdown report shows: agents are already the attribution table. */
export function sectionGrouping(by: GroupBy): Exclude<GroupBy, "agent"> {
  return by === "agent" ? "model" : by;
}

/** "$0.0400" — four places, half-even, as the attribution table. */
export function money(nanos: Nanos): string {
  return formatUsd(nanos, 4);
}

/** Exact USD without a symbol or trailing zeros ("0.00075"), for machines. */
export function exactUsd(nanos: Nanos): string {
  const negative = nanos < 0;
  const digits = String(Math.abs(Math.round(nanos))).padStart(10, "0");
  const whole = digits.slice(0, -9);
  const frac = digits.slice(-9).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac === "" ? "" : `.${frac}`}`;
}

/** "12,345". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** "1 call", "2 calls": a count with its noun in the right number. */
export function counted(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** Share of the total as a whole percentage ("—" when nothing was spent). */
export function share(nanos: Nanos, total: Nanos): string {
  return total > 0 ? formatPercent(nanos / total) : "—";
}
