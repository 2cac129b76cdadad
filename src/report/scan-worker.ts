// Worker-thread entry of the parallel ledger scan: scans the ranges it is sent, each with its own
// accumulator and id set, and returns the result with the id hashes (transferred, not copied).

import { parentPort } from "node:worker_threads";
import { idSetForLedgerBytes } from "./id-set.js";
import { scanRangeAlone, type RangeTask, type ScanOptions } from "./scan-range.js";

/** A unit of work sent to the worker. */
export interface ScanRequest {
  index: number;
  task: RangeTask;
  options: ScanOptions;
}

parentPort?.on("message", (req: ScanRequest) => {
  try {
    const seen = idSetForLedgerBytes(req.task.end - req.task.start);
    const result = scanRangeAlone(req.task, req.options, seen);
    const slots = seen.exportSlots();
    parentPort?.postMessage({ index: req.index, result, slots }, [slots.buffer]);
  } catch (error) {
    parentPort?.postMessage({ index: req.index, error: error instanceof Error ? error.message : String(error) });
  }
});
