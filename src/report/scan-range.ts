// Scans one byte range of a ledger into a spend accumulator: parse and check each line, apply the
// --since/--until window, count a call id once, and collect warnings about lines that were skipped.
// The same code runs in-process and inside the parallel scan's worker threads.

import { closeSync, openSync } from "node:fs";
import { SpendAccumulator, type SpendState } from "../core/spend/accumulator.js";
import { isCanonicalTs, makeTsDayKey } from "../core/spend/day-key.js";
import type { IdSet } from "./id-set.js";
import { readLines } from "./line-reader.js";
import { parseLedgerLine } from "./parse-line.js";

/** What to keep: days in `timeZone`; calls with since ≤ ts < until (canonical ISO strings). */
export interface ScanOptions {
  timeZone: string;
  since?: string;
  until?: string;
  /** Start of the "last minute" window (canonical ISO) for tokens_last_minute. */
  recentFrom?: string;
}

/** A part of a file: bytes [start, end), starting at a line boundary. */
export interface RangeTask {
  file: string;
  start: number;
  end: number;
}

/** A skipped line: its number within the range and why. */
export interface RangeWarning {
  line: number;
  message: string;
}

/** What scanning a range found. */
export interface RangeResult {
  lines: number;
  warnings: RangeWarning[];
  /** Skipped lines beyond the warnings kept. */
  warningsOmitted: number;
  /** Calls whose id was already counted. */
  duplicates: number;
}

/** Warnings kept per range; the rest are counted. */
export const WARNINGS_PER_RANGE = 20;

const DECISION_MARK = '"type":"decision"';
const TS_MARK = '"ts":"';

/** Scans `task` into `acc`, counting each call id once against `seen` (shared across ranges). */
export function scanRange(task: RangeTask, options: ScanOptions, seen: IdSet, acc: SpendAccumulator): RangeResult {
  const dayKey = makeTsDayKey(options.timeZone);
  const { since, until } = options;
  const filtering = since !== undefined || until !== undefined;
  const result: RangeResult = { lines: 0, warnings: [], warningsOmitted: 0, duplicates: 0 };
  const warn = (line: number, message: string): void => {
    if (result.warnings.length < WARNINGS_PER_RANGE) result.warnings.push({ line, message });
    else result.warningsOmitted++;
  };
  const outside = (ts: string): boolean => (since !== undefined && ts < since) || (until !== undefined && ts >= until);

  const onLine = (raw: string, lineNo: number, unterminated: boolean): void => {
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (text.trim() === "") return;
    // Cheap pre-filter: a decision line whose canonical timestamp is outside the window is
    // dropped without JSON.parse (the writer's JSON.stringify puts no spaces around keys).
    if (filtering && text.includes(DECISION_MARK)) {
      const at = text.indexOf(TS_MARK);
      if (at !== -1 && text.charCodeAt(at + 30) === 34) {
        const ts = text.slice(at + 6, at + 30);
        if (isCanonicalTs(ts) && outside(ts)) return;
      }
    }
    const parsed = parseLedgerLine(text);
    switch (parsed.kind) {
      case "corrupt":
        warn(lineNo, unterminated ? `torn last line (no newline at the end: the writer was interrupted), skipped: ${parsed.problem}` : `skipped: ${parsed.problem}`);
        return;
      case "decision": {
        const d = parsed.line;
        if (filtering && outside(d.ts)) return;
        const day = dayKey(d.ts);
        if (day === null) {
          warn(lineNo, `skipped: field "ts": expected an ISO date-time, received ${JSON.stringify(d.ts)}`);
          return;
        }
        if (!seen.add(d.id)) {
          result.duplicates++;
          return;
        }
        const t = d.tokens;
        acc.addCall({
          ts: d.ts,
          session: d.session_id,
          agent: d.agent,
          model: d.model,
          day,
          action: d.action,
          dimension: d.dimension,
          reason: d.reason,
          nanos: d.cost_nanos,
          input: t.input,
          cache_read: t.cache_read,
          cache_write: t.cache_write_5m + t.cache_write_1h,
          output: t.output,
          reasoning: t.reasoning,
        });
        return;
      }
      case "session_start": {
        const s = parsed.line;
        acc.addSessionStart({ session_id: s.session_id, started: s.ts, limits: s.limits, agents: s.agents, default_agent: s.default_agent });
        return;
      }
      case "session_end": {
        const e = parsed.line;
        acc.addSessionEnd(e.session_id, e.ts, e.exit_code, e.stopped_reason ?? null);
        return;
      }
      case "other":
        return;
    }
  };

  const fd = openSync(task.file, "r");
  try {
    result.lines = readLines(fd, task.start, task.end, onLine, (lineNo) => warn(lineNo, "skipped: line longer than 64 MiB"));
  } finally {
    closeSync(fd);
  }
  return result;
}

/** Scans a range with its own accumulator and id set (the unit of work of a worker thread). */
export function scanRangeAlone(task: RangeTask, options: ScanOptions, seen: IdSet): RangeResult & { state: SpendState } {
  const acc = new SpendAccumulator(options.recentFrom === undefined ? {} : { recentFrom: options.recentFrom });
  const result = scanRange(task, options, seen, acc);
  return { ...result, state: acc.state() };
}
