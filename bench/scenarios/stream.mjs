// S1: streamed time to first token and inter-chunk gap, c=1, direct / via / peer interleaved.
// Two shapes: many short streams (8 deltas @ 5 ms) for TTFT samples, and a few Busbar-shaped long
// ones (64 deltas @ 20 ms in the full run) for the gaps. Frames must arrive 1:1, and the first one
// long before the stream ends (no fake streaming: a buffering gateway would hold it back).
import { streamTimes } from "../lib/http.mjs";
import { interleaved } from "../lib/loops.mjs";
import { added, round, summarize } from "../lib/stats.mjs";
import { agentsFor, chatArms, chatBody, closeAgents } from "./arms.mjs";

async function phase(ctx, tag, shape, counts, pick) {
  await ctx.mock({ ttftMs: 0, chunks: shape.chunks, gapMs: shape.gapMs });
  const arms = chatArms(ctx);
  const names = Object.keys(arms);
  const agents = agentsFor(arms);
  const bad = Object.fromEntries(names.map((n) => [n, { frames: 0, late_first: 0 }]));
  const res = await interleaved(names, counts, async (arm, i) => {
    const r = await streamTimes(agents[arm], arms[arm].url, { headers: arms[arm].headers, body: chatBody(tag, i, { stream: true }) });
    ctx.count(arm, r.status);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    if (r.frames !== shape.chunks) bad[arm].frames++;
    if (shape.chunks > 1 && r.ttft > r.totalMs / 2) bad[arm].late_first++;
    return r;
  });
  closeAgents(agents);
  const out = { arms: names, shape, ...counts };
  for (const arm of names) {
    const samples = pick(res[arm].samples);
    const rounds = res[arm].rounds.map(pick);
    out[arm] = { ...summarize(samples, rounds), errors: res[arm].errors, streams: res[arm].samples.length, wrong_frame_count: bad[arm].frames, first_frame_late: bad[arm].late_first };
    if (res[arm].lastError) out[arm].last_error = res[arm].lastError;
  }
  for (const arm of names) if (arm !== "direct") out[`added_${arm}`] = added(out[arm], out.direct);
  if (out.floor) out.via_minus_floor = added(out.via, out.floor);
  // aegis's own time before the first byte, as it reports it (x-aegis-overhead-ms).
  out.self_timed = summarize(res.via.samples.map((s) => s.overhead).filter((v) => v !== undefined));
  return out;
}

/** S1: { ttft, gap } phases, each with per-arm percentiles (ms) and the added figures. */
export async function s1(ctx) {
  const ttft = await phase(ctx, "s1-ttft", { chunks: 8, gapMs: 5 }, ctx.counts.s1_ttft, (samples) => samples.map((s) => s.ttft));
  ctx.log(`S1 TTFT p50: direct ${ttft.direct.p50} via ${ttft.via.p50}${ttft.peer ? ` peer ${ttft.peer.p50}` : ""} ms`);
  const gap = await phase(ctx, "s1-gap", ctx.counts.s1_gap_shape, ctx.counts.s1_gap, (samples) => samples.flatMap((s) => s.gaps));
  ctx.log(`S1 gap p50: direct ${gap.direct.p50} via ${gap.via.p50}${gap.peer ? ` peer ${gap.peer.p50}` : ""} ms`);
  await ctx.mock({ chunks: 64, gapMs: 20 });
  return { ttft, gap, stream_ms_long: round(ctx.counts.s1_gap_shape.chunks * ctx.counts.s1_gap_shape.gapMs, 0) };
}
