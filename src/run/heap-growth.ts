// How far the V8 heap of the long-lived `aegis run` process may grow between full collections.
// When its collector is cheap next to the program, V8 lets the old generation grow to up to four
// times what survived the last full GC before collecting again. Under the metering and proxy
// load of the benchmark about 25 MB survive, yet the heap grew to ~100 MB and the process to
// ~190 MB RSS. A fixed 1.5× bound measured 143–151 MB at the same throughput (M2 records/s and
// proxied calls/s within run-to-run noise; only full GCs are more frequent, each still ~10 ms,
// mostly concurrent). Only `aegis run` sets it: short commands never reach a full collection.
import { setFlagsFromString } from "node:v8";

/** Growth allowed between full collections, in percent of what survived the last one. */
export const HEAP_GROWING_PERCENT = 50;

/** Bounds the heap's growth for the rest of this process (V8 reads the flag at every full GC). */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
