// X1: the resident memory of a process, read from /proc/<pid>/status (Linux): VmRSS now and VmHWM,
// the peak since it started. A sampler keeps the highest VmRSS seen while a phase runs.
import { readFileSync } from "node:fs";
import { clearInterval } from "node:timers";

/** { rssMb, hwmMb } of `pid`, or null where /proc is not available. */
export function readRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb("VmRSS") / 102.4) / 10, hwmMb: Math.round(kb("VmHWM") / 102.4) / 10 };
  } catch {
    return null;
  }
}

/** The command line of `pid` ("" if unknown). */
export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** Samples VmRSS of `pid` every `intervalMs`; `stop()` returns the highest value seen (MB). */
export function rssSampler(pid, intervalMs = 200) {
  let max = readRss(pid)?.rssMb ?? null;
  const timer = setInterval(() => {
    const r = readRss(pid);
    if (r !== null && (max === null || r.rssMb > max)) max = r.rssMb;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const r = readRss(pid);
      if (r !== null && (max === null || r.rssMb > max)) max = r.rssMb;
      return max;
    },
  };
}
