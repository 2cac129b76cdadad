// The governor over a store that goes down and comes back: fail closed by default, fail open on
// request, and no settlement lost while the run lives.
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createGovernor, createMemoryStore, StoreUnavailableError, TOTAL_KEY, type ChargeRequest, type SharedBudgetStore } from "../core/policy/index.js";
import { limits, manualClock, REFERENCE_PRICES, usage } from "../core/policy/testing.js";
import { usdToNanos } from "../core/money.js";
import { resilientStore } from "./resilient-store.js";
import type { PersistentStore } from "./types.js";
import { createRedisStore } from "./redis-store.js";
import { redisUnavailableReason, startRedis } from "../../test/helpers/redis-server.js";

const itRedis = redisUnavailableReason() === undefined ? it : it.skip;
const TIMED_OUT = "Budget store redis://fleet:6379/0 is unreachable (Command timed out)";

// A memory store behind a switch: while `down`, every call rejects as an unreachable server would;
// while `loseReplies`, every call runs in the store and then rejects as a timed-out command would.
function switchable(): PersistentStore & { down: boolean; loseReplies: boolean } {
  const inner = createMemoryStore();
  const s = {
    url: "redis://fleet:6379/0",
    down: false,
    loseReplies: false,
    async gate<T>(op: () => Promise<T>): Promise<T> {
      if (s.down) throw new StoreUnavailableError("Budget store redis://fleet:6379/0 is unreachable (connect ECONNREFUSED)");
      const answer = await op();
      if (s.loseReplies) throw new StoreUnavailableError(TIMED_OUT);
      return answer;
    },
    ping: () => s.gate(() => Promise.resolve()),
    read: (keys: readonly string[], now: number) => s.gate(() => inner.read(keys, now)),
    reserve: (req: Parameters<SharedBudgetStore["reserve"]>[0]) => s.gate(() => inner.reserve(req)),
    // A record's one-step charge goes through the same switch (the governor uses it when present).
    charge: (req: ChargeRequest) => s.gate(() => (inner.charge !== undefined ? inner.charge(req) : Promise.reject(new Error("memory store without charge")))),
    settle: (req: Parameters<SharedBudgetStore["settle"]>[0]) => s.gate(() => inner.settle(req)),
    release: (id: string) => s.gate(() => inner.release(id)),
    renew: (ids: readonly string[], now: number, leaseMs: number) => s.gate(() => inner.renew(ids, now, leaseMs)),
    close: () => Promise.resolve(),
  };
  return s;
}

const TEN_K = usage("gpt-4o", 10_000, 10_000); // $0.125
const setup = (failOpen: boolean) => {
  const raw = switchable();
  const lines: string[] = [];
  const store = resilientStore(raw, (l) => lines.push(l));
  const clock = manualClock();
  const g = createGovernor({ sessionId: "s", limits: limits({ budget: 1, perSession: 0.25, alertThreshold: 1 }), agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store, storeFailOpen: failOpen });
  return { raw, store, lines, g, clock };
};
const DOWN = "Budget store redis://fleet:6379/0 is unreachable (connect ECONNREFUSED)";

describe("store outages", () => {
  it("fail closed: calls are refused with the store's reason, nothing leaks, the outage is announced once", async () => {
    const { raw, lines, g } = setup(false);
    raw.down = true;
    const blocked = { action: "block", dimension: "store", fatal: false, cost: usdToNanos(0.125), reason: `${DOWN}; call refused: it cannot be accounted for (store.fail_open: false)` };
    expect(await g.record({ usage: TEN_K, fingerprint: "a" })).toMatchObject(blocked);
    expect(await g.check({ usage: TEN_K, fingerprint: "b" })).toMatchObject(blocked);
    expect(await g.record({ usage: TEN_K, fingerprint: "c" })).toMatchObject(blocked);
    expect(lines).toEqual([`aegis: ${DOWN}`]);
    raw.down = false;
    // The refused calls held nothing: the whole per-session limit is still there.
    expect((await g.record({ usage: TEN_K, fingerprint: "d" })).action).toBe("allow");
    expect((await g.record({ usage: TEN_K, fingerprint: "e" })).action).not.toBe("block");
    expect(lines).toEqual([`aegis: ${DOWN}`, "aegis: budget store redis://fleet:6379/0 answers again"]);
    expect((await g.report()).blocked_count).toBe(2); // a pre-flight check is not a blocked call
  });

  it("fail open: calls are admitted with a logged warning and written to the store once it answers", async () => {
    const { raw, store, lines, g } = setup(true);
    raw.down = true;
    const d = await g.record({ usage: TEN_K, fingerprint: "a" });
    expect(d).toMatchObject({ action: "warn", dimension: "store", log: true, cost: usdToNanos(0.125), reason: `${DOWN}; call admitted without accounting (store.fail_open: true)` });
    expect((await g.check({ usage: TEN_K, fingerprint: "b" })).action).toBe("warn");
    // The per-session limit still holds without the store: it lives in the run.
    expect((await g.record({ usage: TEN_K, fingerprint: "c" })).action).toBe("warn");
    expect(await g.record({ usage: TEN_K, fingerprint: "d" })).toMatchObject({ action: "block", dimension: "per_session" });
    expect(store.pending()).toEqual({ count: 2, amount: usdToNanos(0.25) });
    raw.down = false;
    expect((await store.read([TOTAL_KEY], 0)).get(TOTAL_KEY)).toEqual({ spent: usdToNanos(0.25), reserved: 0 });
    expect(store.pending()).toEqual({ count: 0, amount: 0 });
    expect(lines).toEqual([`aegis: ${DOWN}`, "aegis: wrote 2 delayed settlements ($0.2500) to budget store redis://fleet:6379/0", "aegis: budget store redis://fleet:6379/0 answers again"]);
  });

  it("a store that dies between admission and settlement: the spend is kept, reported, and written later", async () => {
    const { raw, store, lines, g } = setup(false);
    const a = await g.admit({ usage: TEN_K, fingerprint: "a" });
    raw.down = true;
    const settled = await g.settle(a.reservationId ?? "", usage("gpt-4o", 1000, 100));
    expect(settled).toMatchObject({ action: "warn", dimension: "store", cost: usdToNanos(0.0035), log: true });
    expect(settled.reason).toBe(`${DOWN}; the spend is in the ledger and will be written to the store when it answers`);
    await store.close();
    expect(lines.at(-1)).toBe("aegis: 1 settlement ($0.0035) could not be written to budget store redis://fleet:6379/0; they are recorded in this session's ledger");
  });

  it("a store down past the lease: renewals are skipped, the lease lapses, the late settle is written exactly once", async () => {
    const raw = switchable();
    const lines: string[] = [];
    const store = resilientStore(raw, (l) => lines.push(l));
    const clock = manualClock();
    const g = createGovernor({ sessionId: "s", limits: limits({ budget: 1, alertThreshold: 1 }), agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store, reservationLeaseMs: 60_000 });
    const a = await g.admit({ usage: TEN_K });
    raw.down = true;
    clock.advance(20_000);
    await g.renewLeases(); // cannot renew: skipped (the outage is announced once)
    clock.advance(60_000); // the lease lapsed meanwhile
    expect(await g.settle(a.reservationId ?? "", TEN_K)).toMatchObject({ action: "warn", dimension: "store", cost: usdToNanos(0.125) });
    raw.down = false;
    const once = { spent: usdToNanos(0.125), reserved: 0 };
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual(once);
    await g.renewLeases();
    expect((await store.read([TOTAL_KEY], clock.now() + 120_000)).get(TOTAL_KEY)).toEqual(once);
    expect(store.pending()).toEqual({ count: 0, amount: 0 });
    expect(lines).toEqual([`aegis: ${DOWN}`, "aegis: wrote 1 delayed settlement ($0.1250) to budget store redis://fleet:6379/0", "aegis: budget store redis://fleet:6379/0 answers again"]);
  });

  it("a settle that reached the store but whose reply was lost is replayed and counted once", async () => {
    const { raw, store, lines, g, clock } = setup(false);
    const a = await g.admit({ usage: TEN_K, fingerprint: "a" });
    raw.loseReplies = true;
    expect(await g.settle(a.reservationId ?? "", TEN_K)).toMatchObject({ action: "warn", dimension: "store", cost: usdToNanos(0.125) });
    raw.loseReplies = false;
    expect(store.pending()).toEqual({ count: 1, amount: usdToNanos(0.125) });
    // The next call replays the kept settle first: the store has it already, so it adds nothing.
    const once = { spent: usdToNanos(0.125), reserved: 0 };
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual(once);
    expect(store.pending()).toEqual({ count: 0, amount: 0 });
    expect((await g.record({ usage: TEN_K, fingerprint: "b" })).action).not.toBe("block");
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual({ spent: usdToNanos(0.25), reserved: 0 });
    expect(lines).toEqual([`aegis: ${TIMED_OUT}`, "aegis: wrote 1 delayed settlement ($0.1250) to budget store redis://fleet:6379/0", "aegis: budget store redis://fleet:6379/0 answers again"]);
  });

  itRedis("over a real Redis: a settle that ran on the server after its command timed out is replayed and counted once", async () => {
    const server = await startRedis();
    const admin = new Redis(server.url, { lazyConnect: true });
    const notes: string[] = [];
    const store = resilientStore(createRedisStore(server.url, { timeoutMs: 200 }), (l) => notes.push(l));
    try {
      await admin.connect();
      const now = 1_000_000;
      await store.reserve({ id: "a", lines: [{ key: TOTAL_KEY, limit: usdToNanos(10) }], amount: usdToNanos(1), enforce: true, now, leaseMs: 60_000 });
      // Loads the settle script, so the paused call below is one EVALSHA that runs once unpaused.
      await store.settle({ id: "warm", keys: ["warm"], amount: 1, now });
      // The server holds every command for 1 s: the settle times out on the client (200 ms)
      // and then runs on the server — its reply is lost.
      await admin.call("CLIENT", "PAUSE", "1000", "ALL");
      const lost = await store.settle({ id: "a", keys: [TOTAL_KEY], amount: usdToNanos(0.7), now }).then(() => undefined, (error: unknown) => error);
      expect(lost).toBeInstanceOf(StoreUnavailableError);
      expect(store.pending()).toEqual({ count: 1, amount: usdToNanos(0.7) });
      await expect.poll(() => admin.hget("aegis:{budget}:spent", TOTAL_KEY), { timeout: 5000, interval: 50 }).toBe(String(usdToNanos(0.7)));
      // The store answers again: the kept settle is replayed first, and is not counted twice.
      expect((await store.read([TOTAL_KEY], now)).get(TOTAL_KEY)).toEqual({ spent: usdToNanos(0.7), reserved: 0 });
      expect(store.pending()).toEqual({ count: 0, amount: 0 });
      expect(notes[0]).toMatch(/is unreachable \(Command timed out\)$/);
      expect(notes.slice(1)).toEqual([`aegis: wrote 1 delayed settlement ($0.7000) to budget store ${server.url}`, `aegis: budget store ${server.url} answers again`]);
    } finally {
      await store.close();
      admin.disconnect();
      await server.stop();
    }
  });

  it("anything but StoreUnavailableError is a bug and propagates", async () => {
    const bug = (): Promise<never> => Promise.reject(new TypeError("bug"));
    const broken: SharedBudgetStore = { ...createMemoryStore(), reserve: bug, charge: bug };
    const g = createGovernor({ sessionId: "s", limits: limits({ perSession: 0.125 }), agents: [], pricing: REFERENCE_PRICES, clock: manualClock().now, store: broken });
    await expect(g.record({ usage: TEN_K })).rejects.toThrow("bug");
    await expect(g.admit({ usage: TEN_K })).rejects.toThrow("bug");
  });
});
