// Types of the large-ledger generator (bench/gen-ledger.mjs), for the tests that use it.

/** What was written: line count, bytes, and the recorded (allow + warn) spend and calls. */
export interface GeneratedLedger {
  lines: number;
  bytes: number;
  spentNanos: number;
  calls: number;
}

/** Writes a deterministic ledger of `lines` lines over `sessions` sessions to `out`. */
export function generateLedger(options: { lines: number; out: string; sessions?: number; seed?: number; start?: string }): Promise<GeneratedLedger>;
