// The three ways the load generator drives traffic (docs/performance.md §2):
// - interleaved: c=1, the arms alternate request by request, their order rotated every round, so
//   drift in machine load hits every arm alike (the cuihuan/Helicone method);
// - closedLoop: c workers, each sending its next request when the last one answered;
// - openLoop: a fixed arrival rate, latency measured from the scheduled send time, so a stall is
//   not hidden by the loop waiting for it (coordinated omission).
import { setImmediate } from "node:timers";

/**
 * Runs `once(arm, i)` for every arm, `perRound` times per round, after `warmup` unrecorded
 * iterations. `once` resolves to a sample (a number of ms or an object) or throws (counted).
 * Resolves to { [arm]: { samples, rounds: samples by round, errors } }.
 */
export async function interleaved(arms, { rounds, perRound, warmup = 15 }, once) {
  const out = Object.fromEntries(arms.map((a) => [a, { samples: [], rounds: [], errors: 0, lastError: undefined }]));
  let i = 0;
  for (let w = 0; w < warmup; w++) for (const arm of arms) await once(arm, i++).catch(() => undefined);
  for (let r = 0; r < rounds; r++) {
    for (const arm of arms) out[arm].rounds.push([]);
    // Rotate the order each round, and reverse it every other round.
    const order = arms.map((_, k) => arms[(k + r) % arms.length]);
    if (r % 2 === 1) order.reverse();
    for (let p = 0; p < perRound; p++) {
      for (const arm of order) {
        try {
          const sample = await once(arm, i++);
          out[arm].samples.push(sample);
          out[arm].rounds[r].push(sample);
        } catch (error) {
          out[arm].errors++;
          out[arm].lastError = String(error?.message ?? error);
        }
      }
    }
  }
  return out;
}

/** c concurrent workers for `seconds` (after `warmupSeconds`); resolves to { latencies, ok, errors, rps, seconds }. */
export async function closedLoop({ concurrency, seconds, warmupSeconds = 0.3 }, once) {
  const latencies = [];
  let ok = 0;
  let errors = 0;
  let lastError;
  const start = performance.now();
  const recordFrom = start + warmupSeconds * 1000;
  const stopAt = recordFrom + seconds * 1000;
  let i = 0;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      try {
        const r = await once(i++);
        if (t0 >= recordFrom) {
          if (r.status >= 200 && r.status < 300) {
            ok++;
            latencies.push(r.ms);
          } else {
            errors++;
            lastError = `HTTP ${r.status}`;
          }
        }
      } catch (error) {
        if (t0 >= recordFrom) errors++;
        lastError = String(error?.message ?? error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, ok, errors, lastError, rps: ok / seconds, seconds };
}

/**
 * `rate` requests/s for `seconds`; latency counts from each request's scheduled time. Requests
 * not answered `graceSeconds` after the last was due are aborted and counted as errors, so an
 * overloaded target cannot stretch the run without bound. `once(i, signal)` must honour the signal.
 */
export async function openLoop({ rate, seconds, graceSeconds = 2 }, once) {
  const latencies = [];
  let ok = 0;
  let errors = 0;
  let lastError;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending = [];
  const abort = new globalThis.AbortController();
  let timedOut = 0;
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((elapsed / 1000) * rate) + 1);
      for (; sent < due; sent++) {
        const scheduled = start + (sent / rate) * 1000;
        pending.push(
          once(sent, abort.signal).then(
            (r) => {
              if (r.status >= 200 && r.status < 300) {
                ok++;
                latencies.push(performance.now() - scheduled);
              } else errors++;
            },
            (error) => {
              errors++;
              if (abort.signal.aborted) timedOut++;
              else lastError = String(error?.message ?? error);
            },
          ),
        );
      }
      if (sent >= total) resolve();
      else setImmediate(tick);
    };
    tick();
  });
  const deadline = setTimeout(() => abort.abort(), Math.max(0, start + (seconds + graceSeconds) * 1000 - performance.now()));
  await Promise.all(pending);
  clearTimeout(deadline);
  const wall = (performance.now() - start) / 1000;
  return { latencies, ok, errors, timed_out: timedOut, lastError, rate, achieved_rps: ok / wall, seconds };
}
