// The HTTP client towards upstreams: one undici Pool per origin, kept alive between calls, TCP
// no-delay (undici sets it on every socket it opens). undici is imported when the proxy is
// mounted, not when aegis starts: its 80–120 ms import must not delay `aegis --version` or the
// server's listen (performance.md C1, C3).
import type { Readable } from "node:stream";
import type { Dispatcher, Pool } from "undici";

/** An upstream's answer: status, headers, and the body as a stream. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** One request to an upstream origin. */
export interface UpstreamRequest {
  method: string;
  /** Path and query under the origin. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Uint8Array | Readable;
  signal?: AbortSignal;
}

/** Pools of kept-alive connections, one per upstream origin. */
export interface UpstreamClient {
  request(origin: string, req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

// Long model calls (reasoning, long outputs) may take minutes before the first byte or between
// chunks; the agent's own SDK timeout is the real bound, so aegis only guards against the dead.
const TIMEOUT_MS = 15 * 60 * 1000;

/** Creates the client; undici loads in the background from now on. */
export function createUpstreamClient(): UpstreamClient {
  const undici = import("undici");
  const pools = new Map<string, Pool>();
  const poolFor = async (origin: string): Promise<Pool> => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      const { Pool: PoolClass } = await undici;
      pool = new PoolClass(origin, { headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, keepAliveTimeout: 30_000 });
      pools.set(origin, pool);
    }
    return pool;
  };
  return {
    async request(origin, req) {
      const pool = await poolFor(origin);
      const options: Dispatcher.RequestOptions = {
        method: req.method as Dispatcher.HttpMethod,
        path: req.path,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
      };
      const r = await pool.request(options);
      return { status: r.statusCode, headers: r.headers, body: r.body };
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close().catch(() => undefined)));
      pools.clear();
    },
  };
}
