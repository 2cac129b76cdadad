// CPU time a process has used, from /proc/<pid>/stat (Linux). On a shared VM, wall-clock
// throughput moves with the neighbours (the same build measured 380-490 us a call in one hour),
// while CPU time per call spent by aegis itself moves much less: it is the figure to compare
// builds by.
import { readFileSync } from "node:fs";

// USER_HZ: /proc reports utime and stime in these ticks; Linux fixes it at 100 on every
// architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds used so far by `pid`, or null where /proc is not available. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** Runs `work` and returns its result with `cpu_us_per_call`: `pid`'s CPU time divided by `calls(result)`. */
export async function withCpuPerCall(pid, work, calls) {
  const before = cpuMs(pid);
  const result = await work();
  const after = cpuMs(pid);
  const n = calls(result);
  const perCall = before === null || after === null || !(n > 0) ? null : Math.round(((after - before) * 1000) / n);
  return { result, cpu_us_per_call: perCall };
}
