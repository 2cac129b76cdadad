// Reads ledgers into one spend accumulator. Small inputs are scanned in-process; large ones are
// cut into line-aligned ranges scanned by worker threads (JSON.parse dominates, so two cores
// halve the time), merged in input order. A call id seen in an earlier range counts once: when a
// range shares ids with earlier ones (rare: a copied ledger), it is rescanned in-process against
// every id seen so far, so the result is exactly the sequential one.

import { Worker } from "node:worker_threads";
import { AegisError, EXIT } from "../errors.js";
import { SpendAccumulator, type SpendState } from "../core/spend/accumulator.js";
import { idSetForLedgerBytes } from "./id-set.js";
import { listLedgerFiles } from "./ledger-files.js";
import { planRanges } from "./ledger-files.js";
import { scanRange, type RangeResult, type RangeTask, type ScanOptions } from "./scan-range.js";
import type { ScanRequest } from "./scan-worker.js";

/** How to read: worker threads to use and the input size from which they pay off. */
export interface ReadOptions extends ScanOptions {
  threads: number;
  parallelMinBytes: number;
}

/** The accumulated data and what was read. */
export interface ReadResult {
  state: SpendState;
  files: number;
  lines: number;
}

type WorkerAnswer = { index: number; result: RangeResult & { state: SpendState }; slots: Uint32Array } | { index: number; error: string };

/** Reads every ledger named by `inputs`; `onWarning` hears of each skipped line, as "file:line: why". */
export async function readLedgers(inputs: readonly string[], options: ReadOptions, onWarning: (text: string) => void): Promise<ReadResult> {
  const files = await listLedgerFiles(inputs);
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const parallel = options.threads > 1 && totalBytes >= options.parallelMinBytes && totalBytes > 0;
  const tasks = planRanges(files, parallel ? options.threads : 1, parallel ? options.parallelMinBytes / options.threads : Infinity);
  const scan: ScanOptions = { timeZone: options.timeZone };
  if (options.since !== undefined) scan.since = options.since;
  if (options.until !== undefined) scan.until = options.until;
  if (options.recentFrom !== undefined) scan.recentFrom = options.recentFrom;
  const acc = new SpendAccumulator(scan.recentFrom === undefined ? {} : { recentFrom: scan.recentFrom });
  // Every range's ids end up here (the workers' are merged in): size it for all the bytes.
  const seen = idSetForLedgerBytes(totalBytes);
  const report = reporter(tasks, onWarning);

  if (!parallel || tasks.length < 2) {
    tasks.forEach((task, i) => report(i, scanRange(task, scan, seen, acc)));
  } else {
    // The main thread scans the first range itself while workers take the others: one thread
    // fewer to start and to hold in memory.
    const [first, ...rest] = tasks;
    const others = scanInWorkers(rest, scan, options.threads - 1, (i, answer) => {
      const task = rest[i];
      if (task === undefined) return;
      // An id the worker shares with this thread's set means a call in two ranges, which only an
      // in-order scan can count once with the right warnings.
      if (seen.sharesAnyOf(answer.slots)) {
        report(i + 1, scanRange(task, scan, seen, acc));
        return;
      }
      seen.addAllOf(answer.slots);
      acc.merge(answer.result.state);
      report(i + 1, answer.result);
    });
    // Workers run on their own threads while this synchronous scan blocks the event loop; their
    // answers wait in the queue and are merged, in order, after it.
    try {
      if (first !== undefined) report(0, scanRange(first, scan, seen, acc));
    } catch (error) {
      await others.catch(() => undefined); // let the workers finish and be terminated
      throw error;
    }
    await others;
  }
  return { state: acc.state(), files: files.length, lines: report.lines() };
}

// Turns range results, taken in order, into warnings with file line numbers, and counts lines.
function reporter(tasks: readonly RangeTask[], onWarning: (text: string) => void): ((i: number, r: RangeResult) => void) & { lines: () => number } {
  let total = 0;
  let offset = 0;
  let duplicates = 0;
  const fn = (i: number, r: RangeResult): void => {
    const task = tasks[i];
    if (task === undefined) return;
    if (task.start === 0) offset = 0;
    for (const w of r.warnings) onWarning(`${task.file}:${offset + w.line}: ${w.message}`);
    if (r.warningsOmitted > 0) onWarning(`${task.file}: ${r.warningsOmitted} more lines skipped (not listed)`);
    offset += r.lines;
    total += r.lines;
    duplicates += r.duplicates;
    if (tasks[i + 1]?.file !== task.file && duplicates > 0) {
      onWarning(`${task.file}: ${duplicates} ${duplicates === 1 ? "call was" : "calls were"} already counted (same id) and counted once`);
      duplicates = 0;
    }
  };
  return Object.assign(fn, { lines: () => total });
}

// Runs the tasks on a pool of worker threads; `onResult` receives results strictly in task order.
async function scanInWorkers(tasks: readonly RangeTask[], options: ScanOptions, threads: number, onResult: (i: number, answer: Extract<WorkerAnswer, { result: unknown }>) => void): Promise<void> {
  const workers = Array.from({ length: Math.min(threads, tasks.length) }, () => new Worker(new URL("./scan-worker.js", import.meta.url)));
  const done = new Map<number, Extract<WorkerAnswer, { result: unknown }>>();
  let next = 0;
  let delivered = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker): void => {
        if (next >= tasks.length) return;
        const index = next++;
        const task = tasks[index];
        if (task !== undefined) w.postMessage({ index, task, options } satisfies ScanRequest);
      };
      for (const w of workers) {
        w.on("error", reject);
        w.on("message", (answer: WorkerAnswer) => {
          if ("error" in answer) {
            reject(new AegisError(`cannot read ledger ${tasks[answer.index]?.file ?? ""}: ${answer.error}`, EXIT.checkFailed));
            return;
          }
          done.set(answer.index, answer);
          feed(w);
          // Deliver in order, so merging and warnings are exactly those of a sequential scan.
          try {
            for (let a = done.get(delivered); a !== undefined; a = done.get(delivered)) {
              done.delete(delivered);
              onResult(delivered++, a);
            }
          } catch (error) {
            reject(error);
            return;
          }
          if (delivered === tasks.length) resolve();
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
