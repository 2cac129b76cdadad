// The governor over a store that goes down and comes back: fail closed by default, fail open on
// request, and no settlement lost while the run lives.
import { describe, expect, it } from "vitest";
import { createGovernor, createMemoryStore, StoreUnavailableError, TOTAL_KEY, type ChargeRequest, type SharedBudgetStore } from "../core/policy/index.js";
import { limits, manualClock, REFERENCE_PRICES, usage } from "../core/policy/testing.js";
import { usdToNanos } from "../core/money.js";
import { resilientStore } from "./resilient-store.js";
import type { PersistentStore } from "./types.js";

// A memory store behind a switch: while `down`, every call rejects as an unreachable server would.
function switchable(): PersistentStore & { down: boolean } {
  const inner = createMemoryStore();
  const s = {
    url: "redis://fleet:6379/0",
    down: false,
    gate<T>(op: () => Promise<T>): Promise<T> {
      return s.down ? Promise.reject(new StoreUnavailableError("Budget store redis://fleet:6379/0 is unreachable (connect ECONNREFUSED)")) : op();
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

  it("anything but StoreUnavailableError is a bug and propagates", async () => {
    const bug = (): Promise<never> => Promise.reject(new TypeError("bug"));
    const broken: SharedBudgetStore = { ...createMemoryStore(), reserve: bug, charge: bug };
    const g = createGovernor({ sessionId: "s", limits: limits({ perSession: 0.125 }), agents: [], pricing: REFERENCE_PRICES, clock: manualClock().now, store: broken });
    await expect(g.record({ usage: TEN_K })).rejects.toThrow("bug");
    await expect(g.admit({ usage: TEN_K })).rejects.toThrow("bug");
  });
});
