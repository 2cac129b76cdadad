// `aegis report <ledger…>`: reads session ledgers (files, or directories of *.jsonl) as a stream,
// aggregates who spent what, on which model, when, and what was stopped, and prints it as a
// table (default), JSON (the GET /v1/report shape, extended), CSV or Markdown. Exit 0 with data,
// 1 when the input holds no calls, 2 on usage errors.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Output } from "../output.js";
import { CheckFailedError, UsageError } from "../../errors.js";
import { makeTsDayKey } from "../../core/spend/day-key.js";
import { allSessions, attributionOf, budgetOf, buildLedgerReport } from "../../core/spend/ledger-report.js";
import { groupRows } from "../../core/spend/group.js";
import { readLedgers } from "../../report/read-ledgers.js";
import type { HumanReportInput } from "../render/report-human.js";
import { parseReportOptions } from "./report-options.js";
import { createStore, isRedisUrl, resolveStoreUrl } from "../../store/open-store.js";
import { formatStoreTotals, readStoreTotals, type StoreTotals } from "../../store/totals.js";
import { nanosToUsd } from "../../core/money.js";

// Inputs from this size are scanned on worker threads; below it, starting the workers costs
// about what they save.
const PARALLEL_MIN_BYTES = 64 << 20;

/** `aegis report`: returns the exit code. `now` is the clock behind daily_spent and tokens_last_minute. */
export async function reportCommand(ledgers: string[], opts: Record<string, unknown>, out: Output, now: () => number = Date.now): Promise<number> {
  const options = parseReportOptions(opts);
  const at = now();
  const read = await readLedgers(
    ledgers,
    {
      timeZone: options.timeZone,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      recentFrom: new Date(at - 60_000).toISOString(),
      threads: envNumber("AEGIS_REPORT_THREADS") ?? Math.min(2, availableParallelism()),
      parallelMinBytes: envNumber("AEGIS_REPORT_PARALLEL_MIN_BYTES") ?? PARALLEL_MIN_BYTES,
    },
    (warning) => out.message(`${out.errColor.yellow("aegis: warning:")} ${warning}`),
  );
  const { state } = read;
  const today = makeTsDayKey(options.timeZone)(new Date(at).toISOString()) ?? "";
  const report = buildLedgerReport(state, { timeZone: options.timeZone, today, since: options.since ?? null, until: options.until ?? null });
  if (report.call_count + report.blocked_count === 0) {
    const window = options.since !== undefined || options.until !== undefined ? ` between ${options.since ?? "the start"} and ${options.until ?? "the end"}` : "";
    throw new CheckFailedError(`no calls${window} in ${ledgers.join(", ")} (${read.files} ledger ${read.files === 1 ? "file" : "files"}, ${read.lines} lines read)`);
  }
  const store = typeof opts.store === "string" ? await storeTotalsFor(opts.store, options.timeZone, at) : undefined;
  if (options.format === "json") {
    out.data(JSON.stringify(store === undefined ? report : { ...report, store: storeJson(store) }, null, 2));
    return 0;
  }
  // Renderers load on demand: --json needs neither cli-table3 nor the table code.
  const sessions = allSessions(state);
  if (options.format === "csv") {
    const { renderCsvReport } = await import("../render/report-csv.js");
    out.data(renderCsvReport(options.by, groupRows(state.cells, options.by, sessions)));
    return 0;
  }
  const { sectionGrouping } = await import("../render/report-cells.js");
  const by = sectionGrouping(options.by);
  const input: HumanReportInput = {
    report,
    tree: attributionOf(state),
    spent: state.cells.reduce((sum, c) => sum + c.nanos, 0),
    budget: budgetOf(state),
    by,
    rows: groupRows(state.cells, by, sessions),
  };
  if (options.format === "markdown") {
    const { renderMarkdownReport } = await import("../render/report-markdown.js");
    out.data(renderMarkdownReport(input));
  } else {
    const { renderHumanReport } = await import("../render/report-human.js");
    out.data(renderHumanReport(input, { color: out.color, columns: out.columns }));
  }
  if (store !== undefined) out.data(formatStoreTotals(store).replace(/^aegis: b/, "B"));
  return 0;
}

// Reads the shared store's totals for --store (opened read-only in effect: only read() is called).
async function storeTotalsFor(url: string, timeZone: string, at: number): Promise<StoreTotals> {
  const cwd = process.cwd();
  const resolved = resolveStoreUrl(url, cwd);
  // Reading must not create an empty SQLite file where the user mistyped a path.
  if (!isRedisUrl(resolved) && !existsSync(resolved)) throw new UsageError(`--store: expected an existing budget store, received "${url}" (no such file)`);
  const store = createStore(resolved, cwd);
  try {
    return await readStoreTotals(store, store.url, timeZone, at);
  } finally {
    await store.close();
  }
}

// The store's totals in the JSON report: USD numbers like the rest of the object.
function storeJson(t: StoreTotals): Record<string, unknown> {
  if ("error" in t) return { url: t.url, error: t.error };
  return { url: t.url, day: t.day, zone: t.zone, today_usd: nanosToUsd(t.today), all_time_usd: nanosToUsd(t.allTime) };
}

// A tuning knob from the environment (tests and benchmarks force the parallel path with these).
function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
