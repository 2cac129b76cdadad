// The fleet budget store: budgets shared by every `aegis run` on every machine through one Redis.
// Check-and-reserve, settle, a record's one-step charge, release and lease renewal are Lua scripts
// (EVALSHA via ioredis defineCommand), so each is atomic on the server. Leases are expiry
// timestamps in a sorted set, purged by every script. Settle records its reservation id in the same script, so a settle whose reply was lost
// (a timeout, a dropped connection) and that is sent again counts once. Commands fail fast while the server is unreachable (no offline queue, a command timeout)
// and the failure becomes a StoreUnavailableError naming the server: the governor then fails
// closed, or open under store.fail_open. ioredis reconnects in the background.

import { Redis, type Result } from "ioredis";
import {
  StoreUnavailableError,
  type BudgetLine,
  type ChargeRequest,
  type ChargeResult,
  type LineUse,
  type ReserveRequest,
  type ReserveResult,
  type SettledLine,
  type SettleRequest,
} from "../core/policy/store.js";
import { CHARGE_LUA, READ_LUA, RELEASE_LUA, RENEW_LUA, RESERVE_LUA, SETTLE_LUA } from "./redis-scripts.js";
import type { ChargingStore } from "./types.js";
import { redactRedisUrl } from "./redis-url.js";

export { redactRedisUrl } from "./redis-url.js";

declare module "ioredis" {
  interface RedisCommander<Context> {
    aegisReserve(...keysAndArgs: string[]): Result<number[], Context>;
    aegisSettle(...keysAndArgs: string[]): Result<number[], Context>;
    aegisCharge(...keysAndArgs: string[]): Result<number[], Context>;
    aegisRelease(...keysAndArgs: string[]): Result<number, Context>;
    aegisRead(...keysAndArgs: string[]): Result<number[], Context>;
    aegisRenew(...keysAndArgs: string[]): Result<number, Context>;
  }
}

const RECONNECT_MS = 250;

// The lines as the reserve and charge scripts take them: key, limit ("" for none) pairs.
const linePairs = (lines: readonly BudgetLine[]): string[] => lines.flatMap((l) => [l.key, l.limit === undefined ? "" : String(l.limit)]);

// What each line had in use, from a script's answer {ok, used…}.
const linesUsed = (lines: readonly BudgetLine[], r: readonly number[]): LineUse[] =>
  lines.map((l, i) => ({ key: l.key, used: r[i + 1] ?? 0, ...(l.limit !== undefined ? { limit: l.limit } : {}) }));

/** Options of the Redis store. */
export interface RedisStoreOptions {
  /** Key prefix; the `{budget}` hash tag keeps every key in one cluster slot. */
  prefix?: string;
  /** Give up on a command (and on connecting) after this long (default 2000 ms). */
  timeoutMs?: number;
}

/** Creates the Redis store for `url` (redis://[user:password@]host:port[/db], or rediss:// for TLS). */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): ChargingStore {
  const shown = redactRedisUrl(url);
  const timeoutMs = options.timeoutMs ?? 2000;
  const prefix = options.prefix ?? "aegis:{budget}:";
  const keys = [`${prefix}spent`, `${prefix}reserved`, `${prefix}leases`, `${prefix}resv`, `${prefix}settled`];
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // No background reconnect loop (its timers would keep a finished `aegis run` alive): the next
    // call reconnects, at most once per RECONNECT_MS, and fails fast in between.
    retryStrategy: () => null,
    // disconnect() of a dead socket otherwise leaves a 2 s timer that delays the process's exit.
    disconnectTimeout: 50,
  });
  // The connection's own last error (ECONNREFUSED, …): ioredis's per-command errors are generic.
  let lastError = "";
  // Without a listener ioredis prints every connection error itself; we report them per call.
  redis.on("error", (error: Error) => (lastError = error.message));
  redis.on("ready", () => (lastError = ""));
  redis.on("close", () => (lastError ||= "connection closed"));
  for (const [name, lua] of [["aegisReserve", RESERVE_LUA], ["aegisSettle", SETTLE_LUA], ["aegisCharge", CHARGE_LUA], ["aegisRelease", RELEASE_LUA], ["aegisRead", READ_LUA], ["aegisRenew", RENEW_LUA]] as const) {
    redis.defineCommand(name, { numberOfKeys: keys.length, lua });
  }
  let connecting: Promise<void> | undefined;
  let closed = false;

  // Read through a function: the status changes behind TypeScript's narrowing across awaits.
  const status = (): string => redis.status;
  let lastAttempt = -Infinity;
  const connected = async (): Promise<void> => {
    if (closed) throw new Error("the store is closed");
    if (status() === "ready") return;
    const idle = status() === "wait" || status() === "end";
    if (connecting === undefined && idle && Date.now() - lastAttempt >= RECONNECT_MS) {
      lastAttempt = Date.now();
      connecting = redis.connect().finally(() => (connecting = undefined));
    }
    if (connecting !== undefined) await connecting.catch(() => undefined);
    if (status() !== "ready") throw new Error(lastError || "not connected");
  };

  // Runs one script; any failure becomes StoreUnavailableError with the server's words.
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      await connected();
      return await fn();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      // While disconnected ioredis says "Connection is closed" or "Stream isn't writeable": the
      // connection's own error (ECONNREFUSED, ETIMEDOUT, …) is the useful cause. Anything else
      // came from the server itself (NOAUTH, READONLY, OOM, WRONGTYPE): it answered, and refused.
      const generic = /Connection is closed|Stream isn't writeable/i.test(detail);
      const down = generic || status() !== "ready" || /timed out|ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/i.test(detail);
      const cause = generic ? lastError || "connection closed" : detail;
      const why = down ? `is unreachable (${cause})` : `refused the request (${detail})`;
      throw new StoreUnavailableError(`Budget store ${shown} ${why}`, { cause: error });
    }
  };

  return {
    url: shown,

    ping: () => run(async () => void (await redis.ping())),

    read: (keyList, now) =>
      run(async () => {
        const r = await redis.aegisRead(...keys, String(now), ...keyList);
        return new Map(keyList.map((key, i) => [key, { spent: r[2 * i] ?? 0, reserved: r[2 * i + 1] ?? 0 }]));
      }),

    reserve: (req: ReserveRequest): Promise<ReserveResult> =>
      run(async () => {
        const enforce = req.enforce ? "1" : "0";
        const r = await redis.aegisReserve(...keys, req.id, String(req.amount), enforce, String(req.now), String(req.now + req.leaseMs), ...linePairs(req.lines));
        return { ok: r[0] === 1, lines: linesUsed(req.lines, r) };
      }),

    // One round trip for a record instead of reserve then settle (see CHARGE_LUA).
    charge: (req: ChargeRequest): Promise<ChargeResult> =>
      run(async () => {
        const enforce = req.enforce ? "1" : "0";
        const n = req.lines.length;
        const r = await redis.aegisCharge(...keys, String(req.amount), enforce, String(req.now), String(n), ...linePairs(req.lines), ...req.keys);
        const lines = linesUsed(req.lines, r);
        if (r[0] !== 1) return { ok: false, lines, settled: [] };
        const settled = req.keys.map((key, i) => {
          const spentAfter = r[n + 1 + i] ?? req.amount;
          return { key, spentBefore: spentAfter - req.amount, spentAfter };
        });
        return { ok: true, lines, settled };
      }),

    settle: (req: SettleRequest): Promise<SettledLine[]> =>
      run(async () => {
        const [repeated, ...after] = await redis.aegisSettle(...keys, req.id, String(req.amount), String(req.now), ...req.keys);
        // A repeat (the id was settled already) moved nothing: before = after (SharedBudgetStore.settle).
        const moved = repeated === 1 ? 0 : req.amount;
        return req.keys.map((key, i) => {
          const spentAfter = after[i] ?? moved;
          return { key, spentBefore: spentAfter - moved, spentAfter };
        });
      }),

    release: (id) => run(async () => void (await redis.aegisRelease(...keys, id))),

    renew: (ids, now, leaseMs) => run(async () => void (await redis.aegisRenew(...keys, String(now), String(now + leaseMs), ...ids))),

    async close() {
      if (closed) return;
      closed = true;
      // quit() waits for replies in flight; a dead connection is simply dropped.
      if (status() === "ready") await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
