// The CSV report (--csv): a header row and one row per group of the --by grouping, quoted as
// RFC 4180 says (fields with a comma, quote or line break in double quotes, quotes doubled; CRLF
// line ends). Money is exact USD from the integer nanos, tokens are plain integers.

import type { GroupBy, GroupRow } from "../../core/spend/types.js";
import { exactUsd } from "./report-cells.js";

const COLUMNS = ["calls", "blocked", "warned", "input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "cost_usd"];

/** Renders the rows of a grouping as CSV (ending with CRLF). */
export function renderCsvReport(by: GroupBy, rows: readonly GroupRow[]): string {
  const lines = [[by, ...COLUMNS].map(csvField).join(",")];
  for (const r of rows) {
    lines.push([csvText(r.key), r.calls, r.blocked, r.warned, r.input, r.cache_read, r.cache_write, r.output, r.reasoning].map((v) => csvField(String(v))).concat(exactUsd(r.nanos)).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

// Text from a ledger (agent ids, model names) that a spreadsheet would run as a formula (=, +, -,
// @, tab, CR first) gets a leading apostrophe, as OWASP's CSV-injection advice says.
function csvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
