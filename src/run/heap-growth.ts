// How the V8 heap of the long-lived `aegis run` process grows.
//
// Old generation: when its collector is cheap next to the program, V8 lets the old generation grow
// to up to four times what survived the last full GC before collecting again. Under the metering
// and proxy load of the benchmark about 25 MB survive, yet the heap grew to ~100 MB and the process
// to ~190 MB RSS. A fixed 1.5× bound measured 143–151 MB at the same throughput (M2 records/s and
// proxied calls/s within run-to-run noise; only full GCs are more frequent, each still ~10 ms,
// mostly concurrent). Only `aegis run` sets it: short commands never reach a full collection.
//
// Young generation: V8 doubles the semi-spaces whenever much of what it allocates survives, and
// start-up (compiling ~150 modules, validating the config) is exactly that: they grew from 1 to
// 8 MB before the agent was even started, and V8 gives the pages back only after ~8 s of idleness,
// so an idle run sat at ~71 MB RSS for that time. Held at its initial size during start-up and
// released (V8's default growth) once the agent runs, the young generation grows again under load
// as before; idle RSS drops by ~4 MB (performance.md X1).
import { setFlagsFromString } from "node:v8";

/** Growth allowed between full collections, in percent of what survived the last one. */
export const HEAP_GROWING_PERCENT = 50;

/** The V8 flag that keeps the young generation at its size (start-up). */
export const HOLD_YOUNG_GENERATION = "--semi-space-growth-factor=1";
/** V8's default young-generation growth (2× per step, in every V8 of Node 20–24). */
export const RELEASE_YOUNG_GENERATION = "--semi-space-growth-factor=2";

/** Bounds the heap's growth for the rest of this process (V8 reads the flag at every full GC). */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** Start-up: the young generation keeps its size (V8 reads the flag each time it would grow it). */
export function holdYoungGeneration(): void {
  setFlagsFromString(HOLD_YOUNG_GENERATION);
}

/** Serving: the young generation grows with the load again, as V8 does by default. */
export function releaseYoungGeneration(): void {
  setFlagsFromString(RELEASE_YOUNG_GENERATION);
}
