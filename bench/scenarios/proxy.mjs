// P1 (added latency, 1 KB answer, c=1), P2 (100 KB and 1 MB prompts, c=1) and P3 (throughput
// frontier, 20 ms upstream, concurrency sweep). Arms run in the same process and the same run;
// P1 and P2 interleave them request by request.
import { send } from "../lib/http.mjs";
import { interleaved, closedLoop } from "../lib/loops.mjs";
import { added, round, summarize } from "../lib/stats.mjs";
import { withCpuPerCall } from "../lib/cpu-time.mjs";
import { agentsFor, chatArms, chatBody, closeAgents } from "./arms.mjs";

// Sends one chat request in `arm`; throws on a non-2xx answer (counted as an error of the arm).
// aegis's self-timed overhead (x-aegis-overhead-ms) of via calls goes to `selfTimed` when given.
async function chat(ctx, arms, agents, arm, body, selfTimed) {
  const r = await send(agents[arm], arms[arm].url, { headers: arms[arm].headers, body });
  ctx.count(arm, r.status);
  if (r.status < 200 || r.status >= 300) throw new Error(`HTTP ${r.status}`);
  if (arm === "via" && r.overhead !== undefined) selfTimed?.push(r.overhead);
  return r.ms;
}

function report(result, arms) {
  const out = {};
  for (const arm of arms) {
    out[arm] = { ...summarize(result[arm].samples, result[arm].rounds), errors: result[arm].errors };
    if (result[arm].lastError) out[arm].last_error = result[arm].lastError;
  }
  for (const arm of arms) if (arm !== "direct") out[`added_${arm}`] = added(out[arm], out.direct);
  // aegis's own cost beyond what a bare Node proxy adds on this machine.
  if (out.floor) out.via_minus_floor = added(out.via, out.floor);
  return out;
}

/** P1: interleaved direct / via / peer, 0 ms upstream, ~1 KB JSON answer. */
export async function p1(ctx) {
  await ctx.mock({ latencyMs: 0, size: 1024 });
  const arms = chatArms(ctx);
  const names = Object.keys(arms);
  const agents = agentsFor(arms);
  const selfTimed = [];
  const res = await interleaved(names, ctx.counts.p1, (arm, i) => chat(ctx, arms, agents, arm, chatBody("p1", i), selfTimed));
  closeAgents(agents);
  // What aegis says it spent itself on each call: a cross-check of the black-box via − floor figure.
  return { arms: names, ...ctx.counts.p1, ...report(res, names), self_timed: summarize(selfTimed) };
}

/** P2: interleaved direct / via with 100 KB and 1 MB prompts. */
export async function p2(ctx) {
  await ctx.mock({ latencyMs: 0, size: 1024 });
  const all = chatArms(ctx);
  const arms = { direct: all.direct, via: all.via };
  const out = {};
  for (const [label, bytes, counts] of [["100KB", 100 * 1024, ctx.counts.p2_100k], ["1MB", 1024 * 1024, ctx.counts.p2_1m]]) {
    const pad = " lorem ipsum dolor sit amet,".repeat(Math.ceil(bytes / 28)).slice(0, bytes);
    const agents = agentsFor(arms);
    const warmup = 3;
    // aegis's CPU over the interleaved run, per call through it (warm-up calls included): large
    // prompts cost mostly CPU (decode, parse, fingerprint, collections), which varies less than latency here.
    const { result: res, cpu_us_per_call } = await withCpuPerCall(
      ctx.aegisPid,
      () => interleaved(["direct", "via"], { ...counts, warmup }, (arm, i) => chat(ctx, arms, agents, arm, chatBody(`p2-${label}`, i, { pad }))),
      (r) => r.via.samples.length + r.via.errors + warmup,
    );
    closeAgents(agents);
    out[label] = { ...counts, ...report(res, ["direct", "via"]), aegis_cpu_us_per_via_call: cpu_us_per_call };
    ctx.log(`P2 ${label}: added p50 ${out[label].added_via.p50} ms, p99 ${out[label].added_via.p99} ms, aegis CPU ${cpu_us_per_call} us a call`);
  }
  return out;
}

/**
 * P3: closed-loop sweep over concurrency, 20 ms upstream, direct then via (then the bare proxy,
 * when it runs) at each level. The CPU time per call of aegis and of the bare proxy, side by side,
 * separates what aegis costs from what the machine charges any Node proxy at that concurrency.
 */
export async function p3(ctx) {
  await ctx.mock({ latencyMs: 20, size: 1024 });
  const all = chatArms(ctx);
  const arms = { direct: all.direct, via: all.via, ...(all.floor && ctx.floorPid ? { floor: all.floor } : {}) };
  const cpuPid = { via: ctx.aegisPid, floor: ctx.floorPid };
  const points = [];
  for (const c of ctx.counts.p3.concurrency) {
    const point = { concurrency: c };
    for (const arm of Object.keys(arms)) {
      const agents = agentsFor(arms, c);
      const { result: r, cpu_us_per_call } = await withCpuPerCall(
        cpuPid[arm] ?? ctx.aegisPid,
        () => closedLoop({ concurrency: c, seconds: ctx.counts.p3.seconds }, (i) => send(agents[arm], arms[arm].url, { headers: arms[arm].headers, body: chatBody(`p3-c${c}`, i) }).then((x) => (ctx.count(arm, x.status), x))),
        (x) => x.calls,
      );
      closeAgents(agents);
      point[arm] = { rps: round(r.rps), ...summarize(r.latencies), errors: r.errors, ...(arm === "via" ? { aegis_cpu_us_per_call: cpu_us_per_call } : {}), ...(arm === "floor" ? { cpu_us_per_call } : {}), ...(r.lastError ? { last_error: r.lastError } : {}) };
    }
    point.added_p99 = round(point.via.p99 - point.direct.p99, 3);
    // The direct arm's limit is the mock and the load generator; a via figure near it says nothing about aegis.
    point.near_direct_limit = point.via.rps >= 0.9 * point.direct.rps;
    points.push(point);
    const floor = point.floor ? `; bare proxy ${point.floor.rps} rps p99 ${point.floor.p99} ms, CPU ${point.floor.cpu_us_per_call} us a call` : "";
    ctx.log(`P3 c=${c}: direct ${point.direct.rps} rps p99 ${point.direct.p99} ms, via ${point.via.rps} rps p99 ${point.via.p99} ms, aegis CPU ${point.via.aegis_cpu_us_per_call} us a call${floor}`);
  }
  await ctx.mock({ latencyMs: 0 });
  const frontier = (ok) => Math.max(0, ...points.filter((p) => p.via.errors === 0 && ok(p)).map((p) => p.via.rps));
  return {
    upstream_latency_ms: 20,
    seconds_per_point: ctx.counts.p3.seconds,
    points,
    frontier: { added_p99_le_5ms: frontier((p) => p.added_p99 <= 5), p99_le_50ms: frontier((p) => p.via.p99 <= 50), added_p99_le_10ms: frontier((p) => p.added_p99 <= 10) },
    direct_max_rps: Math.max(...points.map((p) => p.direct.rps)),
  };
}
