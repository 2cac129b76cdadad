// Types of bench/lib/raw-http.mjs, for the tests that use it.

/** What one open-loop run measured. */
export interface RawOpenLoopResult {
  latencies: number[];
  ok: number;
  errors: number;
  timed_out: number;
  lastError: string | undefined;
  rate: number;
  seconds: number;
  achieved_rps: number;
  connections: number;
}

export function rawOpenLoop(options: {
  url: string;
  headers?: Record<string, string>;
  body: (i: number) => string;
  rate: number;
  seconds: number;
  warmupSeconds?: number;
  maxConnections?: number;
  graceSeconds?: number;
}): Promise<RawOpenLoopResult>;
