// Types of bench/lib/wrk.mjs, for the tests that use it.

/** What wrk measured. */
export interface WrkResult {
  client: "wrk";
  rps: number;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p99: number | null;
  requests: number;
  ok: number;
  errors: number;
}

export function hasWrk(): boolean;
export function parseWrk(text: string): WrkResult;
export function runWrk(options: { url: string; concurrency: number; seconds: number; token?: string }): Promise<WrkResult>;
