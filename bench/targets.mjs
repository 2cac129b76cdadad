// Targets (quiet local machine) and CI-style gates (3× looser or more) of docs/performance.md §3,
// and their evaluation against one run's figures. Every row names the same-run baseline it was
// measured against; a figure that is missing (scenario failed or skipped in this run) misses.

const at = (obj, path) => path.split(".").reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);

// [id, metric, path in the results, unit, op, target, gate, baseline path, baseline label, optional]
// Optional rows (the peer and the bare-proxy arms) are left out when their arm did not run.
const ROWS = [
  ["M1", "record p50", "M1.gated.record.p50", "ms", "<=", 0.15, 0.5, "M1.gated.floor.p50", "HTTP floor p50"],
  ["M1", "record p99", "M1.gated.record.p99", "ms", "<=", 1, 5, "M1.gated.floor.p99", "HTTP floor p99"],
  ["M1", "check p50", "M1.gated.check.p50", "ms", "<=", 0.15, 0.5, "M1.gated.floor.p50", "HTTP floor p50"],
  ["M1", "check p99", "M1.gated.check.p99", "ms", "<=", 1, 5, "M1.gated.floor.p99", "HTTP floor p99"],
  ["M2", "record throughput c=64", "M2.closed.rps", "req/s", ">=", 20000, 5000, "M2.closed_floor.rps", "HTTP floor c=64 req/s"],
  ["M2", "open-loop p99 at fixed rate", "M2.open.p99", "ms", "<=", 10, 25, "M2.open_floor.p99", "same client to mock /null, p99"],
  ["M2", "lost records", "M2.lost_records", "", "<=", 0, 0],
  ["P1", "added p50", "P1.added_via.p50", "ms", "<=", 0.3, 1, "P1.direct.p50", "direct p50"],
  ["P1", "added p90", "P1.added_via.p90", "ms", "<=", 0.5, 1.5, "P1.direct.p90", "direct p90"],
  ["P1", "added p99", "P1.added_via.p99", "ms", "<=", 1.5, 5, "P1.direct.p99", "direct p99"],
  ["P1", "peer added p50 ÷ aegis added p50", "P1.peer_ratio_p50", "×", ">=", 5, 1.5, "P1.added_peer.p50", "peer added p50 ms", true],
  ["P1", "aegis beyond a bare Node proxy, p50", "P1.via_minus_floor.p50", "ms", "<=", 0.3, 1, "P1.added_floor.p50", "bare proxy added p50", true],
  ["P1", "aegis self-timed (x-aegis-overhead-ms), p50", "P1.self_timed.p50", "ms", "<=", 0.3, 1, "P1.self_timed.p99", "self-timed p99", true],
  ["P1", "aegis beyond a bare Node proxy, p99", "P1.via_minus_floor.p99", "ms", "<=", 1.5, 5, "P1.added_floor.p99", "bare proxy added p99", true],
  ["P2", "100 KB added p50", "P2.100KB.added_via.p50", "ms", "<=", 0.5, 1.5, "P2.100KB.direct.p50", "direct p50"],
  ["P2", "100 KB added p99", "P2.100KB.added_via.p99", "ms", "<=", 2, 10, "P2.100KB.direct.p99", "direct p99"],
  ["P2", "1 MB added p50", "P2.1MB.added_via.p50", "ms", "<=", 3, 10, "P2.1MB.direct.p50", "direct p50"],
  ["P3", "max RPS with added p99 ≤ 5 ms", "P3.frontier.added_p99_le_5ms", "req/s", ">=", 2000, 0, "P3.direct_max_rps", "direct max RPS"],
  ["P3", "max RPS with added p99 ≤ 10 ms", "P3.frontier.added_p99_le_10ms", "req/s", ">=", 2000, 1000, "P3.direct_max_rps", "direct max RPS"],
  ["P3", "max RPS with p99 ≤ 50 ms", "P3.frontier.p99_le_50ms", "req/s", ">=", 5000, 0, "P3.direct_max_rps", "direct max RPS"],
  ["S1", "added TTFT p50", "S1.ttft.added_via.p50", "ms", "<=", 0.5, 1.5, "S1.ttft.direct.p50", "direct TTFT p50"],
  ["S1", "added TTFT p99", "S1.ttft.added_via.p99", "ms", "<=", 2, 5, "S1.ttft.direct.p99", "direct TTFT p99"],
  ["S1", "added gap p50", "S1.gap.added_via.p50", "ms", "<=", 0.05, 0.5, "S1.gap.direct.p50", "direct gap p50"],
  ["S1", "added gap p99", "S1.gap.added_via.p99", "ms", "<=", 1, 3, "S1.gap.direct.p99", "direct gap p99"],
  ["S1", "streams with wrong frame count", "S1.bad_frames", "", "<=", 0, 0],
  ["S1", "peer added TTFT p50 ÷ aegis", "S1.peer_ratio_p50", "×", ">=", 5, 1.5, "S1.ttft.added_peer.p50", "peer added TTFT p50 ms", true],
  ["S1", "aegis beyond a bare Node proxy, TTFT p50", "S1.ttft.via_minus_floor.p50", "ms", "<=", 0.5, 1.5, "S1.ttft.added_floor.p50", "bare proxy added TTFT p50", true],
  ["S1", "aegis self-timed before the first byte, p50", "S1.ttft.self_timed.p50", "ms", "<=", 0.5, 1.5, "S1.ttft.self_timed.p99", "self-timed p99", true],
  ["S3", "proxied calls without exact usage in the ledger", "S3.ledger_mismatches", "", "<=", 0, 0, "S3.proxied_ok", "proxied calls"],
  ["C1", "aegis --version − node -e 0 (mean)", "C.c1_added_mean", "ms", "<=", 15, 90, "C.node.mean", "node -e 0 mean"],
  ["C2", "aegis pricing list − node -e 0 (mean)", "C.c2_added_mean", "ms", "<=", 40, 190, "C.node.mean", "node -e 0 mean"],
  ["R1", "report wall time (median)", "R1.wall_ms.median", "ms", "<=", "R1.target.wallMs", "R1.gate.wallMs", "R1.lines", "ledger lines"],
  ["R1", "report peak RSS", "R1.peak_rss_mb", "MB", "<=", 150, 300, "R1.lines", "ledger lines"],
  ["R1", "report totals equal the generator's", "R1.totals_bad", "", "<=", 0, 0],
  ["X1", "idle RSS of aegis run", "X1.idle_mb", "MB", "<=", 60, 100, "X1.node_idle_server_mb", "bare node:http server MB"],
  ["X1", "RSS with 64 streams held open (max)", "X1.streams.max_mb", "MB", "<=", 150, 300, "X1.streams.streams", "streams completed"],
  ["X1", "RSS growth in the soak's second half", "X1.soak.growth_mb_per_min", "MB/min", "<=", 1, "X1.soak.gate_mb_per_min", "X1.soak.achieved_rps", "soak calls/s"],
  ["X1", "failed calls (streams and soak)", "X1.failed_calls", "", "<=", 0, 0, "X1.soak.max_mb", "soak max RSS MB"],
  ["X1", "calls without exact usage in the ledger", "X1.ledger.ledger_mismatches", "", "<=", 0, 0],
];

/** Adds the derived figures the rows read (ratios, counts), in place. */
export function derive(s) {
  const p1 = s.P1;
  if (p1?.added_peer && p1.added_via) p1.peer_ratio_p50 = p1.added_via.p50 > 0 ? Math.round((p1.added_peer.p50 / p1.added_via.p50) * 10) / 10 : Infinity;
  const t = s.S1?.ttft;
  if (t?.added_peer && t.added_via) s.S1.peer_ratio_p50 = t.added_via.p50 > 0 ? Math.round((t.added_peer.p50 / t.added_via.p50) * 10) / 10 : Infinity;
  if (s.S1?.ttft?.via && s.S1?.gap?.via) s.S1.bad_frames = s.S1.ttft.via.wrong_frame_count + s.S1.gap.via.wrong_frame_count;
  if (s.X1?.streams && s.X1.soak) s.X1.failed_calls = s.X1.streams.errors + s.X1.soak.errors;
  // A soak shorter than two loop-detection windows (60 s each) ends while the window is still
  // filling: its slope is warm-up (the smoke's 16 s soak grows ~7 MB/min), so it is not gated.
  if (s.X1?.soak) s.X1.soak.gate_mb_per_min = s.X1.soak.seconds >= 120 ? 5 : null;
  if (s.R1 && !s.R1.error) {
    s.R1.totals_bad = s.R1.totals_ok ? 0 : 1;
    s.R1.gate = { wallMs: s.R1.lines >= 1_000_000 ? 6000 : 1200 };
  }
}

const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000)) : v === undefined || v === null ? "n/a" : String(v));

/** Evaluates every row whose scenario ran; returns rows with pass (target) and gate results. */
export function evaluate(s, ran) {
  const rows = [];
  for (const [id, metric, path, unit, op, target, gate, basePath, baseLabel, optional] of ROWS) {
    const scenario = path.split(".")[0];
    if (!ran.has(scenario)) continue;
    const value = at(s, path);
    if (optional === true && value === undefined) continue;
    const tgt = typeof target === "string" ? at(s, target) : target;
    const gt = typeof gate === "string" ? at(s, gate) : gate;
    // A gate path that derive() set to null: this run is too short for the row to be gated.
    const ungated = typeof gate === "string" && gt === null;
    const ok = (limit) => typeof value === "number" && typeof limit === "number" && (op === "<=" ? value <= limit : value >= limit);
    rows.push({
      id,
      metric,
      value: value ?? null,
      unit,
      op,
      target: tgt ?? null,
      gate: gt ?? null,
      baseline: basePath ? `${baseLabel} ${fmt(at(s, basePath))}` : "",
      pass: ok(tgt),
      gate_pass: ungated || (gt === 0 && op === ">=") ? true : ok(gt),
      ungated,
    });
  }
  return rows;
}

/** The printed table: one line per row, MISS and FAIL in capitals. */
export function formatTable(rows, { smoke }) {
  const head = ["id", "metric", "measured", "same-run baseline", "target", "", smoke ? "gate (smoke)" : "gate"];
  const lines = rows.map((r) => [r.id, r.metric, `${fmt(r.value)} ${r.unit}`.trim(), r.baseline, `${r.op} ${fmt(r.target)}`, r.pass ? "pass" : "MISS", r.ungated ? "not gated (run too short)" : r.gate_pass ? "ok" : `FAIL (${r.op} ${fmt(r.gate)})`]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [row(head), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(row)].join("\n");
}
