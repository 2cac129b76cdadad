// Two of the three ways the load generator drives traffic (docs/performance.md §2); the third, the
// open loop at a fixed rate, is in raw-http.mjs:
// - interleaved: c=1, the arms alternate request by request, their order rotated every round, so
//   drift in machine load hits every arm alike (the cuihuan/Helicone method);
// - closedLoop: c workers, each sending its next request when the last one answered.

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

/** c concurrent workers for `seconds` (after `warmupSeconds`); resolves to { latencies, ok, errors, rps, seconds, calls } (calls: all made, warm-up included). */
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
  return { latencies, ok, errors, lastError, rps: ok / seconds, seconds, calls: i };
}
