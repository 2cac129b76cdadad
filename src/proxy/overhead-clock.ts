// aegis's own time on a proxied call, told to the client in a response header (performance.md §2
// "self-timing", as MLflow's gateway does): everything aegis did before the response head went
// out — reading and pricing the request, the budget admission, writing the head — minus the time
// the upstream took to answer. It lets a user (and the benchmark) see aegis's cost on each call
// without a direct-vs-proxy comparison.

/** The response header carrying aegis's own time on the call, in milliseconds (3 decimals). */
export const OVERHEAD_HEADER = "x-aegis-overhead-ms";

/** Marks the moments of one call; `overheadMs` is read just before the response head is written. */
export interface OverheadClock {
  upstreamAsked(): void;
  upstreamAnswered(): void;
  overheadMs(): string;
}

/** Starts timing a call now (when its request reached the proxy). */
export function startOverheadClock(): OverheadClock {
  const start = process.hrtime.bigint();
  let asked = start;
  let answered = start;
  return {
    upstreamAsked: () => void (asked = process.hrtime.bigint()),
    upstreamAnswered: () => void (answered = process.hrtime.bigint()),
    overheadMs: () => (Number(asked - start + (process.hrtime.bigint() - answered)) / 1e6).toFixed(3),
  };
}
