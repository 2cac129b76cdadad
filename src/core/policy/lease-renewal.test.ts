// Lease renewal (issue 6): a call in flight longer than the store's lease keeps its worst case
// reserved while the run renews its leases; without renewals it lapses, and its late settle still
// spends exactly once. The clock is a manual one: nothing here waits.
import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import { createGovernor, createMemoryStore, StoreUnavailableError, TOTAL_KEY, type SharedBudgetStore } from "./index.js";
import { limits, manualClock, REFERENCE_PRICES, usage, type ManualClock } from "./testing.js";

const LEASE = 60_000;
const TEN_K = usage("gpt-4o", 10_000, 10_000); // $0.125
const gov = (sessionId: string, store: SharedBudgetStore, clock: ManualClock) =>
  createGovernor({ sessionId, limits: limits({ budget: 0.2, alertThreshold: 1 }), agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store, reservationLeaseMs: LEASE });

// A store that records the ids of every renewal asked of it.
function spied(inner: SharedBudgetStore = createMemoryStore()): SharedBudgetStore & { renewals: string[][] } {
  const renewals: string[][] = [];
  return {
    ...inner,
    renewals,
    renew(ids, now, leaseMs) {
      renewals.push([...ids]);
      return inner.renew(ids, now, leaseMs);
    },
  };
}

describe("Lease renewal", () => {
  it("a call in flight for three leases stays reserved while renewals run; another run cannot admit past the budget", async () => {
    const store = createMemoryStore();
    const clock = manualClock();
    const long = gov("long", store, clock);
    const other = gov("other", store, clock);
    const a = await long.admit({ usage: TEN_K });
    expect(a.reservationId).toBeDefined();
    for (let step = 1; step <= 9; step++) {
      clock.advance(LEASE / 3);
      await long.renewLeases();
      // $0.125 in flight + $0.125 > $0.20: refused at every step, three leases long.
      expect((await other.admit({ usage: TEN_K, fingerprint: `try${step}` })).decision).toMatchObject({ action: "block", dimension: "budget" });
    }
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual({ spent: 0, reserved: usdToNanos(0.125) });
    await long.settle(a.reservationId ?? "", TEN_K);
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual({ spent: usdToNanos(0.125), reserved: 0 });
  });

  it("without renewals the reservation lapses after the lease; its late settle still spends exactly once", async () => {
    const store = createMemoryStore();
    const clock = manualClock();
    const long = gov("long", store, clock);
    const other = gov("other", store, clock);
    const a = await long.admit({ usage: TEN_K });
    clock.advance(LEASE); // the machine slept through every renewal
    await long.renewLeases(); // too late: the lapsed lease is not revived
    const b = await other.admit({ usage: TEN_K, fingerprint: "b" });
    expect(b.reservationId).toBeDefined();
    expect(await long.settle(a.reservationId ?? "", TEN_K)).toMatchObject({ cost: usdToNanos(0.125) });
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual({ spent: usdToNanos(0.125), reserved: usdToNanos(0.125) });
    await other.settle(b.reservationId ?? "", TEN_K);
    expect((await store.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)).toEqual({ spent: usdToNanos(0.25), reserved: 0 });
  });

  it("renews only the open, leased reservations of this governor, and asks nothing when there are none", async () => {
    const store = spied();
    const clock = manualClock();
    const g = createGovernor({ sessionId: "s", limits: limits({ alertThreshold: 1 }), agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store, reservationLeaseMs: LEASE });
    await g.renewLeases();
    expect(store.renewals).toEqual([]);
    const a = await g.admit({ usage: TEN_K, fingerprint: "a" });
    const b = await g.admit({ usage: TEN_K, fingerprint: "b" });
    const c = await g.admit({ usage: TEN_K, fingerprint: "c" });
    await g.record({ usage: TEN_K, fingerprint: "d" }); // charged in one step: no lease to renew
    await g.settle(b.reservationId ?? "", TEN_K);
    await g.release(c.reservationId ?? "");
    await g.renewLeases();
    expect(store.renewals).toEqual([[a.reservationId]]);
    await g.settle(a.reservationId ?? "", TEN_K);
    await g.renewLeases();
    expect(store.renewals).toHaveLength(1);
  });

  it("a store that cannot answer skips the renewal; any other failure is a bug and surfaces", async () => {
    const clock = manualClock();
    let failure: Error = new StoreUnavailableError("Budget store redis://fleet:6379/0 is unreachable (connect ECONNREFUSED)");
    const store: SharedBudgetStore = { ...createMemoryStore(), renew: () => Promise.reject(failure) };
    const g = gov("s", store, clock);
    await g.admit({ usage: TEN_K });
    await expect(g.renewLeases()).resolves.toBeUndefined();
    failure = new TypeError("bug");
    await expect(g.renewLeases()).rejects.toThrow("bug");
  });
});
