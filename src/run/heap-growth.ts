// How the V8 heap of the long-lived `aegis run` process grows.
//
// Old generation: when its collector is cheap next to the program, V8 lets the old generation grow
// to up to four times what survived the last full GC before collecting again. Under the metering
// and proxy load of the benchmark about 25 MB survive, yet the heap grew to ~100 MB and the process
// to ~190 MB RSS. A fixed 1.5× bound measured 143–151 MB at the same throughput (M2 records/s and
// proxied calls/s within run-to-run noise; only full GCs are more frequent, each still ~10 ms,
// mostly concurrent). Only `aegis run` sets it: short commands never reach a full collection.
//
// Headroom: a percentage of a small heap is only a few MB. aegis's live heap is ~10 MB once the
// agent runs, so 50% left 5 MB, and V8 starts marking as soon as the room left is under the young
// generation's size (16 MB under load): it marked without pause. A proxied call with a 1 MB prompt
// allocates 2–3 MB of large strings (the body's text, the parsed prompt), and a full GC (~4 ms,
// plus marking steps of up to ~10 ms) came every 5 such calls: 103 in 5 s, 7.8 ms of CPU a call.
// So once the agent runs, the growth is at least MIN_HEAP_HEADROOM_BYTES, re-derived after each
// full GC from what survived it: 40 full GCs, 5.6–5.8 ms a call; with 100 KB prompts p99 went from
// 10.6–11.0 to 5.1–5.6 ms. The cost is memory under load: X1's 64 streams peaked at 108 MB instead
// of 102, a 60 s soak at 500 calls/s at 137 MB instead of 113 (targets: 150 MB streams, and idle
// RSS, which is unchanged at 59 MB).
//
// Young generation: V8 doubles the semi-spaces whenever much of what it allocates survives, and
// start-up (compiling ~150 modules, validating the config) is exactly that: they grew from 1 to
// 8 MB before the agent was even started, and V8 gives the pages back only after ~8 s of idleness,
// so an idle run sat at ~71 MB RSS for that time. Held at its initial size during start-up and
// released (V8's default growth) once the agent runs, the young generation grows again under load
// as before; idle RSS drops by ~4 MB (performance.md X1).
import { PerformanceObserver, constants } from "node:perf_hooks";
import { getHeapStatistics, setFlagsFromString } from "node:v8";

/** Growth allowed between full collections, in percent of what survived the last one. */
export const HEAP_GROWING_PERCENT = 50;

/** Least growth allowed between full collections once the agent runs, in bytes. */
export const MIN_HEAP_HEADROOM_BYTES = 32 * 1024 * 1024;

/** The growth percent for a live heap of `liveBytes`: HEAP_GROWING_PERCENT, or more where that is under the minimum headroom. */
export function heapGrowingPercent(liveBytes: number): number {
  // No heap is under 1 MiB (Node's own is ~4 MB); the bound keeps the percent finite.
  const live = Math.max(liveBytes, 1024 * 1024);
  return Math.max(HEAP_GROWING_PERCENT, Math.ceil((MIN_HEAP_HEADROOM_BYTES * 100) / live));
}

/** The V8 flag that keeps the young generation at its size (start-up). */
export const HOLD_YOUNG_GENERATION = "--semi-space-growth-factor=1";
/** V8's default young-generation growth (2× per step, in every V8 of Node 20–24). */
export const RELEASE_YOUNG_GENERATION = "--semi-space-growth-factor=2";

/** Bounds the heap's growth for the rest of this process (V8 reads the flag at every full GC). */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

let headroom: PerformanceObserver | undefined;

/**
 * Serving: keeps at least MIN_HEAP_HEADROOM_BYTES of growth between full collections. The percent
 * is set from the heap in use now, then again after every full GC; V8 applies it at the next one.
 */
export function keepHeapHeadroom(): void {
  setHeadroomFromHeap();
  if (headroom !== undefined) return;
  headroom = new PerformanceObserver((list) => {
    // Entries are delivered after the collection: the heap in use is then about what survived it.
    if (list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) setHeadroomFromHeap();
  });
  headroom.observe({ entryTypes: ["gc"] });
}

// Once per full GC at most: setting a V8 flag costs microseconds, next to the collection's milliseconds.
function setHeadroomFromHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent(getHeapStatistics().used_heap_size)}`);
}

/** Start-up: the young generation keeps its size (V8 reads the flag each time it would grow it). */
export function holdYoungGeneration(): void {
  setFlagsFromString(HOLD_YOUNG_GENERATION);
}

/** Serving: the young generation grows with the load again, as V8 does by default. */
export function releaseYoungGeneration(): void {
  setFlagsFromString(RELEASE_YOUNG_GENERATION);
}
