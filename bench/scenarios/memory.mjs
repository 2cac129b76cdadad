// X1 as performance.md defines it, in a governed run of its own (a fresh aegis process, so no
// earlier scenario's heap growth is counted): idle RSS; RSS while 64 streams are held open without
// pause; an open-loop soak of proxied calls at a fixed rate (500/s) whose RSS must plateau —
// growth < 1 MB/min, fitted over the soak's second half (the first holds the 60 s loop-detection
// window filling up); and RSS once the load has stopped.
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { keepAliveAgent, send, streamTimes } from "../lib/http.mjs";
import { readRss } from "../lib/rss.mjs";
import { round, slopePerMinute, summarize } from "../lib/stats.mjs";
import { chatArms, chatBody } from "./arms.mjs";

// RSS of `pid` every `everyMs` while `work()` runs: [{ t: seconds since start, v: MB }].
async function sampled(pid, everyMs, work) {
  const t0 = performance.now();
  const points = [];
  const take = () => {
    const r = readRss(pid);
    if (r !== null) points.push({ t: (performance.now() - t0) / 1000, v: r.rssMb });
  };
  take();
  const timer = setInterval(take, everyMs);
  try {
    await work();
  } finally {
    clearInterval(timer);
    take();
  }
  return points;
}

const maxOf = (points) => (points.length === 0 ? null : Math.max(...points.map((p) => p.v)));

// `concurrency` workers, each opening its next stream as soon as the last one ended.
async function heldStreams(ctx, via, { concurrency, seconds }) {
  await ctx.mock({ ttftMs: 0, chunks: 64, gapMs: 20, latencyMs: 0 });
  const agent = keepAliveAgent(concurrency);
  const stopAt = performance.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  let lastError;
  let i = 0;
  const worker = async () => {
    while (performance.now() < stopAt) {
      try {
        const r = await streamTimes(agent, via.url, { headers: via.headers, body: chatBody("x1-stream", i++, { stream: true }) });
        ctx.count("via", r.status);
        if (r.status === 200 && r.frames === 64) ok++;
        else {
          errors++;
          lastError = `HTTP ${r.status}, ${r.frames} frames`;
        }
      } catch (error) {
        errors++;
        lastError = String(error?.message ?? error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { concurrency, seconds, streams: ok, errors, ...(lastError ? { last_error: lastError } : {}) };
}

// Proxied chat completions at a fixed `rate` for `seconds` (20 ms upstream), sent on schedule
// whether or not earlier ones have answered.
async function soak(ctx, via, { rate, seconds }) {
  await ctx.mock({ latencyMs: 20, size: 1024, chunks: 8, gapMs: 5 });
  const agent = keepAliveAgent(64);
  const latencies = [];
  let errors = 0;
  let lastError;
  const pending = new Set();
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      for (; sent < due; sent++) {
        const p = send(agent, via.url, { headers: via.headers, body: chatBody("x1-soak", sent) })
          .then((r) => {
            ctx.count("via", r.status);
            if (r.status === 200) latencies.push(r.ms);
            else {
              errors++;
              lastError = `HTTP ${r.status}`;
            }
          })
          .catch((error) => {
            errors++;
            lastError = String(error?.message ?? error);
          })
          .finally(() => pending.delete(p));
        pending.add(p);
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 5);
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  const wall = (performance.now() - start) / 1000;
  return { rate, seconds, achieved_rps: round(latencies.length / wall, 0), ...summarize(latencies), errors, ...(lastError ? { last_error: lastError } : {}) };
}

/** X1: { idle_mb, streams: { …, max_mb }, soak: { …, growth_mb_per_min }, after_mb }. */
export async function x1(ctx) {
  const pid = ctx.aegisPid;
  const { via } = chatArms(ctx);
  const counts = ctx.counts.x1;
  const idle = readRss(pid);
  let streams;
  const streamPoints = await sampled(pid, 250, async () => (streams = await heldStreams(ctx, via, counts.streams)));
  ctx.log(`X1 ${counts.streams.concurrency} streams held ${counts.streams.seconds} s: ${streams.streams} streams, max RSS ${maxOf(streamPoints)} MB`);
  let load;
  const soakPoints = await sampled(pid, 1000, async () => (load = await soak(ctx, via, counts.soak)));
  const half = counts.soak.seconds / 2;
  const second = soakPoints.filter((p) => p.t >= half);
  const growth = slopePerMinute(second);
  ctx.log(`X1 soak ${counts.soak.rate}/s for ${counts.soak.seconds} s: achieved ${load.achieved_rps}/s, RSS ${soakPoints[0]?.v} → ${soakPoints.at(-1)?.v} MB, second-half growth ${growth} MB/min`);
  await new Promise((r) => setTimeout(r, counts.afterSeconds * 1000));
  const after = readRss(pid);
  return {
    idle_mb: idle?.rssMb ?? null,
    streams: { ...streams, max_mb: maxOf(streamPoints), rss_series_mb: streamPoints.map((p) => p.v) },
    soak: {
      ...load,
      start_mb: soakPoints[0]?.v ?? null,
      end_mb: soakPoints.at(-1)?.v ?? null,
      max_mb: maxOf(soakPoints),
      second_half_max_mb: maxOf(second),
      growth_mb_per_min: growth,
      rss_series_mb: soakPoints.map((p) => round(p.v, 1)),
    },
    after_seconds: counts.afterSeconds,
    after_mb: after?.rssMb ?? null,
    peak_mb: after?.hwmMb ?? null,
  };
}
