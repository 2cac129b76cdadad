// Checks the options of `aegis report` and turns them into what the reader needs. Every wrong
// value is a UsageError naming the flag, what was expected and what was received.

import { UsageError } from "../../errors.js";
import { isValidTimeZone } from "../../core/spend/zoned-time.js";
import { parseTimeBound } from "../../core/spend/time-bound.js";
import type { GroupBy } from "../../core/spend/types.js";

/** Output formats. */
export type ReportFormat = "human" | "json" | "csv" | "markdown";

/** The checked options. */
export interface ReportOptions {
  format: ReportFormat;
  by: GroupBy;
  timeZone: string;
  /** Canonical ISO instants: since inclusive, until exclusive. */
  since?: string;
  until?: string;
}

const GROUPINGS: readonly GroupBy[] = ["agent", "model", "day", "session"];

/** Validates commander's option bag. */
export function parseReportOptions(opts: Record<string, unknown>): ReportOptions {
  const chosen = (["json", "csv", "markdown"] as const).filter((f) => opts[f] === true);
  if (chosen.length > 1) throw new UsageError(`--${chosen.join(", --")}: expected at most one output format, received ${chosen.length}`);
  const by = opts.by ?? "agent";
  if (typeof by !== "string" || !GROUPINGS.includes(by as GroupBy)) {
    throw new UsageError(`--by: expected one of ${GROUPINGS.join(", ")}, received ${JSON.stringify(by)}`);
  }
  const tz = opts.tz ?? "UTC";
  if (typeof tz !== "string" || !isValidTimeZone(tz)) {
    throw new UsageError(`--tz: expected an IANA time zone such as UTC, Europe/Berlin or America/New_York, received ${JSON.stringify(tz)}`);
  }
  const options: ReportOptions = { format: chosen[0] ?? "human", by: by as GroupBy, timeZone: tz };
  const since = bound("--since", opts.since, tz);
  const until = bound("--until", opts.until, tz);
  if (since !== undefined) options.since = since;
  if (until !== undefined) options.until = until;
  if (since !== undefined && until !== undefined && since >= until) {
    throw new UsageError(`--until: expected a time after --since (${opts.since as string}), received ${JSON.stringify(opts.until)}`);
  }
  return options;
}

function bound(flag: string, value: unknown, tz: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`${flag}: expected an ISO date, received ${JSON.stringify(value)}`);
  const parsed = parseTimeBound(value, tz);
  if ("error" in parsed) throw new UsageError(`${flag}: ${parsed.error}, received ${JSON.stringify(value)}`);
  return parsed.iso;
}
