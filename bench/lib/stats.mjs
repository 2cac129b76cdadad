// Percentiles and the summaries every scenario reports (docs/performance.md §2): p50/p90/p99 and max
// of all samples, plus the median of per-round medians with its IQR for interleaved runs.

/** The q-quantile (0..1) of an ascending array, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

const r3 = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** p50/p90/p99/max/mean (ms, rounded to µs) of `samples`; `rounds` (arrays) add median-of-medians and IQR. */
export function summarize(samples, rounds) {
  const s = Float64Array.from(samples).sort();
  const mean = s.length === 0 ? NaN : s.reduce((a, b) => a + b, 0) / s.length;
  const out = { n: s.length, p50: r3(quantile(s, 0.5)), p90: r3(quantile(s, 0.9)), p99: r3(quantile(s, 0.99)), max: r3(s[s.length - 1]), mean: r3(mean) };
  if (rounds !== undefined && rounds.length > 1) {
    const medians = Float64Array.from(rounds.filter((r) => r.length > 0).map((r) => quantile(Float64Array.from(r).sort(), 0.5))).sort();
    out.round_median = r3(quantile(medians, 0.5));
    out.round_iqr = [r3(quantile(medians, 0.25)), r3(quantile(medians, 0.75))];
  }
  return out;
}

/** Added latency per percentile: `via − base` (same run), and the ratio at p50. */
export function added(via, base) {
  const d = (k) => (via[k] !== null && base[k] !== null ? r3(via[k] - base[k]) : null);
  const out = { p50: d("p50"), p90: d("p90"), p99: d("p99") };
  if (via.round_median !== undefined && base.round_median !== undefined) out.round_median = r3(via.round_median - base.round_median);
  out.ratio_p50 = base.p50 > 0 ? r3(via.p50 / base.p50) : null;
  return out;
}

/** Rounds a number to `digits` decimals (null for non-finite). */
export function round(x, digits = 1) {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Growth of a series in units per minute: the least-squares slope of `points` ({ t: seconds, v }).
 * X1 reads RSS plateaus with it; null with fewer than two distinct times.
 */
export function slopePerMinute(points) {
  const n = points.length;
  if (n < 2) return null;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? null : r3((num / den) * 60);
}
