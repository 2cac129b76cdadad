// aegis's own time on a proxied call, told to the client in a response header (performance.md §2
// "self-timing", as MLflow's gateway does): everything aegis did before the response head went
// out — reading and pricing the request, the budget admission, writing the head — minus the time
// the upstream took to answer. It lets a user (and the benchmark) see aegis's cost on each call
// without a direct-vs-proxy comparison.

/** The response header carrying aegis's own time on the call, in milliseconds (3 decimals). */
export const OVERHEAD_HEADER = "x-aegis-overhead-ms";

/**
 * Marks the moments of one call; `overheadMs` is read just before the response head is written.
 * Plain numbers in one object (performance.now() is monotonic, in fractional milliseconds): the
 * clock lives as long as the call, so three closures and three BigInts a call were in-flight state.
 */
export class OverheadClock {
  private readonly start = performance.now();
  private asked = this.start;
  private answered = this.start;

  upstreamAsked(): void {
    this.asked = performance.now();
  }

  upstreamAnswered(): void {
    this.answered = performance.now();
  }

  overheadMs(): string {
    return (this.asked - this.start + (performance.now() - this.answered)).toFixed(3);
  }
}

/** Starts timing a call now (when its request reached the proxy). */
export function startOverheadClock(): OverheadClock {
  return new OverheadClock();
}
