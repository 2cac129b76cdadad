// Types of bench/lib/stats.mjs, for the tests that use it.

/** p50/p90/p99/max/mean in ms; with rounds, the median of round medians and its IQR. */
export interface Summary {
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
  round_median?: number | null;
  round_iqr?: [number | null, number | null];
}

/** The q-quantile (nearest rank) of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number;
/** Summary of samples (and of rounds of them). */
export function summarize(samples: readonly number[], rounds?: readonly (readonly number[])[]): Summary;
/** Added latency per percentile (via − base) and the p50 ratio. */
export function added(via: Summary, base: Summary): { p50: number | null; p90: number | null; p99: number | null; round_median?: number | null; ratio_p50: number | null };
/** Rounds to `digits` decimals (null if not finite). */
export function round(x: number, digits?: number): number | null;
/** Least-squares slope of { t (s), v } points, per minute (null if under two distinct times). */
export function slopePerMinute(points: readonly { t: number; v: number }[]): number | null;
