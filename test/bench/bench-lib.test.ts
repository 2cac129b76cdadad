// The benchmark's own arithmetic and verdicts (bench/): percentiles, added latency, wrk parsing,
// and that a figure over its target is reported as a MISS (the benchmark must be able to fail).
import { describe, expect, it } from "vitest";
import { added, quantile, slopePerMinute, summarize } from "../../bench/lib/stats.mjs";
import { parseWrk } from "../../bench/lib/wrk.mjs";
import { derive, evaluate, formatTable } from "../../bench/targets.mjs";

describe("bench stats", () => {
  it("nearest-rank percentiles, and added latency per percentile", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(Float64Array.from(samples), 0.5)).toBe(50);
    expect(quantile(Float64Array.from(samples), 0.99)).toBe(99);
    const direct = summarize(samples.map((x) => x / 10));
    const via = summarize(samples.map((x) => x / 10 + 0.25));
    expect(added(via, direct)).toMatchObject({ p50: 0.25, p90: 0.25, p99: 0.25 });
    expect(summarize([3, 1, 2], [[3], [1], [2]]).round_median).toBe(2);
  });

  it("fits RSS growth per minute by least squares (X1 soak plateau)", () => {
    // 2 MB/min with ±0.1 MB of alternating noise, sampled each second for a minute.
    const rising = Array.from({ length: 61 }, (_, t) => ({ t, v: 100 + t / 30 + (t % 2 === 0 ? 0.1 : -0.1) }));
    expect(slopePerMinute(rising)).toBeCloseTo(2, 1);
    const flat = Array.from({ length: 61 }, (_, t) => ({ t, v: 120 + (t % 2 === 0 ? 0.3 : -0.3) }));
    expect(Math.abs(slopePerMinute(flat) ?? 99)).toBeLessThan(0.05);
    expect(slopePerMinute([{ t: 5, v: 1 }])).toBeNull();
  });

  it("parses wrk --latency output", () => {
    const text = [
      "Running 2s test @ http://127.0.0.1:1234",
      "  Latency Distribution",
      "     50%  159.00us",
      "     75%  210.00us",
      "     90%    1.73ms",
      "     99%    5.12ms",
      "  8418 requests in 2.00s, 2.10MB read",
      "  Non-2xx or 3xx responses: 18",
      "Requests/sec:   4209.12",
    ].join("\n");
    expect(parseWrk(text)).toMatchObject({ rps: 4209, p50: 0.159, p90: 1.73, p99: 5.12, requests: 8418, ok: 8400, errors: 18 });
  });
});

describe("bench verdicts", () => {
  const p1 = (viaP50: number) => ({
    P1: {
      direct: { p50: 0.2, p90: 0.3, p99: 1 },
      added_via: { p50: viaP50, p90: 0.4, p99: 1 },
      added_peer: { p50: 2.5, p90: 3, p99: 4 },
    },
  });

  it("passes a figure within its target and marks one over it MISS", () => {
    const ok = p1(0.25);
    derive(ok);
    const rows = evaluate(ok, new Set(["P1"]));
    expect(rows.find((r) => r.metric === "added p50")).toMatchObject({ value: 0.25, pass: true, gate_pass: true });
    expect(rows.find((r) => r.metric.startsWith("peer added"))).toMatchObject({ value: 10, pass: true });

    const slow = p1(1.2);
    derive(slow);
    const missed = evaluate(slow, new Set(["P1"]));
    expect(missed.find((r) => r.metric === "added p50")).toMatchObject({ pass: false, gate_pass: false });
    expect(missed.find((r) => r.metric.startsWith("peer added"))).toMatchObject({ value: 2.1, pass: false });
    expect(formatTable(missed, { smoke: false })).toContain("MISS");
  });

  it("X1: a soak whose RSS keeps growing misses, failed calls are summed", () => {
    const x1 = (growth: number, seconds = 600) => ({ X1: { idle_mb: 58, streams: { max_mb: 103, errors: 0, streams: 1024 }, soak: { growth_mb_per_min: growth, errors: 2, achieved_rps: 500, seconds }, ledger: { ledger_mismatches: 0 } } });
    const ok = x1(0.4);
    derive(ok);
    const rows = evaluate(ok, new Set(["X1"]));
    expect(rows.find((r) => r.metric.startsWith("RSS growth"))).toMatchObject({ value: 0.4, pass: true });
    expect(rows.find((r) => r.metric.startsWith("failed calls"))).toMatchObject({ value: 2, pass: false });
    const leaking = x1(6.8);
    derive(leaking);
    expect(evaluate(leaking, new Set(["X1"])).find((r) => r.metric.startsWith("RSS growth"))).toMatchObject({ pass: false, gate_pass: false });
  });

  it("X1: a soak too short for the loop window to fill misses its target but is not gated", () => {
    const short = { X1: { idle_mb: 58, streams: { max_mb: 103, errors: 0, streams: 64 }, soak: { growth_mb_per_min: 7, errors: 0, achieved_rps: 500, seconds: 16 }, ledger: { ledger_mismatches: 0 } } };
    derive(short);
    const rows = evaluate(short, new Set(["X1"]));
    expect(rows.find((r) => r.metric.startsWith("RSS growth"))).toMatchObject({ pass: false, gate_pass: true, gate: null });
    expect(formatTable(rows, { smoke: true })).toContain("not gated");
  });

  it("a scenario that ran but produced no figure misses; optional arms that did not run are left out", () => {
    const rows = evaluate({ P1: {} }, new Set(["P1"]));
    expect(rows.find((r) => r.metric === "added p50")).toMatchObject({ value: null, pass: false });
    expect(rows.some((r) => r.metric.startsWith("peer added"))).toBe(false);
  });
});
