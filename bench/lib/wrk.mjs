// Optional: wrk (a C load generator: `apt-get install wrk`) for the metering API, whose figures
// are otherwise bounded by this Node client. Absent wrk, the scenarios use the Node loops only.
import { execFile, execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "../wrk/post-usage.lua");

/** Whether wrk is installed. */
export function hasWrk() {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return error?.status === 1;
  }
}

const toMs = (value, unit) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? NaN);

/** Parses wrk's --latency output: rps, p50/p75/p90/p99 (ms), requests, non-2xx, socket errors. */
export function parseWrk(text) {
  const pct = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
    return m ? Math.round(toMs(m[1], m[2]) * 1000) / 1000 : null;
  };
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { client: "wrk", rps: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN)), p50: pct(50), p75: pct(75), p90: pct(90), p99: pct(99), requests, ok: requests - non2xx, errors: non2xx + socketErrors };
}

/** Runs `wrk -t1 -c<c> -d<s>s --latency` POSTing usage objects to url (origin + path). */
export function runWrk({ url, concurrency, seconds, token }) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    execFile(
      "wrk",
      ["-t1", `-c${concurrency}`, `-d${seconds}s`, "--latency", "-s", SCRIPT, u.origin],
      { env: { ...process.env, AEGIS_TOKEN: token ?? "", WRK_PATH: u.pathname } },
      (error, stdout) => (error ? reject(error) : resolve(parseWrk(stdout))),
    );
  });
}
