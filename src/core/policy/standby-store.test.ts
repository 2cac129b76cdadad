import { describe, expect, it } from "vitest";
import { usdToNanos } from "../money.js";
import { createGovernor, createMemoryStore, TOTAL_KEY, type BudgetLine, type Decision, type SharedBudgetStore } from "./index.js";
import { standbyStore } from "./standby-store.js";
import { limits, manualClock, REFERENCE_PRICES, usage } from "./testing.js";

const usd = usdToNanos;
const LEASE = 60_000;
const LINES = [{ key: TOTAL_KEY, limit: usd(10) }];

// The inner store, counting what reaches it.
function counted(): { store: SharedBudgetStore; calls: Record<string, number> } {
  const inner = createMemoryStore();
  const calls: Record<string, number> = { reserve: 0, settle: 0, release: 0 };
  const count =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls[name] = (calls[name] ?? 0) + 1;
      return fn(...args);
    };
  return {
    calls,
    store: {
      read: (k, n) => inner.read(k, n),
      reserve: count("reserve", (r) => inner.reserve(r)),
      settle: count("settle", (r) => inner.settle(r)),
      release: count("release", (id) => inner.release(id)),
      renew: (ids, n, l) => inner.renew(ids, n, l),
    },
  };
}

let n = 0;
const ids = (): string => `standby-${++n}`;
const total = async (s: SharedBudgetStore, now = 0) => (await s.read([TOTAL_KEY], now)).get(TOTAL_KEY) ?? { spent: 0, reserved: 0 };
const reserve = (s: SharedBudgetStore, id: string, amount: number, now = 0, lines: readonly BudgetLine[] = LINES) => s.reserve({ id, lines, amount, enforce: true, now, leaseMs: LEASE });
const settle = (s: SharedBudgetStore, id: string, amount: number, now = 0) => s.settle({ id, keys: [TOTAL_KEY], amount, now });

describe("standbyStore", () => {
  it("the next call adopts the standby reserved with the last settle: no store reserve before it, spend exact", async () => {
    const { store: inner, calls } = counted();
    const s = standbyStore(inner, ids);
    expect((await reserve(s, "a", 100)).ok).toBe(true);
    await settle(s, "a", 60);
    await new Promise((r) => setImmediate(r));
    expect(calls).toMatchObject({ reserve: 2, settle: 1 }); // the call's reserve, then the standby with the settle
    expect(await total(inner)).toEqual({ spent: 60, reserved: 100 });

    expect(await reserve(s, "b", 90)).toEqual({ ok: true, lines: [{ key: TOTAL_KEY, used: 60, limit: usd(10) }] });
    expect(calls.reserve).toBe(2); // adopted: nothing asked of the store
    await settle(s, "b", 70);
    await new Promise((r) => setImmediate(r));
    expect(await total(inner)).toEqual({ spent: 130, reserved: 100 }); // b's standby settled; the next one held
    // This run's own checks look past its standby; other runs see it as in flight.
    expect(await total(s)).toEqual({ spent: 130, reserved: 0 });
    await s.releaseAll();
    expect(await total(inner)).toEqual({ spent: 130, reserved: 0 });
  });

  it("calls answered in one wave leave a standby for each call of the next wave, which then reserves nothing itself", async () => {
    const { store: inner, calls } = counted();
    const s = standbyStore(inner, ids);
    for (const id of ["c1", "c2", "c3", "c4"]) expect((await reserve(s, id, 100)).ok).toBe(true);
    // Four in flight together: each settle tops pool + in flight back up to four.
    await Promise.all(["c1", "c2", "c3", "c4"].map((id) => settle(s, id, 50)));
    await new Promise((r) => setImmediate(r));
    expect(calls).toMatchObject({ reserve: 8, settle: 4, release: 0 });
    expect(await total(inner)).toEqual({ spent: 200, reserved: 400 });
    for (const id of ["d1", "d2", "d3", "d4"]) expect((await reserve(s, id, 100)).ok).toBe(true);
    expect(calls.reserve).toBe(8); // all four adopted
    await Promise.all(["d1", "d2", "d3", "d4"].map((id) => settle(s, id, 50)));
    await new Promise((r) => setImmediate(r));
    expect(await total(inner)).toEqual({ spent: 400, reserved: 400 });
    await s.releaseAll();
    expect(await total(inner)).toEqual({ spent: 400, reserved: 0 });
  });

  it("once calls run one at a time again, the pool drains to one standby", async () => {
    const { store: inner } = counted();
    const s = standbyStore(inner, ids);
    for (const id of ["c1", "c2", "c3", "c4"]) await reserve(s, id, 100);
    await Promise.all(["c1", "c2", "c3", "c4"].map((id) => settle(s, id, 50)));
    await new Promise((r) => setImmediate(r));
    expect((await total(inner)).reserved).toBe(400);
    // Sequential calls: the recent peak falls back to 1 after eight admissions.
    for (let i = 0; i < 12; i++) {
      await reserve(s, `s${i}`, 100);
      await settle(s, `s${i}`, 50);
      await new Promise((r) => setImmediate(r));
    }
    expect(await total(inner)).toEqual({ spent: 200 + 12 * 50, reserved: 100 });
  });

  it("with c calls answered in waves, every call after the first wave is admitted without a store reserve of its own", async () => {
    const inner = createMemoryStore();
    let own = 0;
    const store: SharedBudgetStore = {
      ...inner,
      reserve: (r) => {
        if (!r.id.startsWith("standby-")) own++;
        return inner.reserve(r);
      },
    };
    const s = standbyStore(store, ids);
    const c = 8;
    for (let wave = 0; wave < 20; wave++) {
      const waveIds = Array.from({ length: c }, (_, i) => `w${wave}-${i}`);
      for (const id of waveIds) expect((await reserve(s, id, 100)).ok).toBe(true);
      await Promise.all(waveIds.map((id) => settle(s, id, 40)));
      await new Promise((r) => setImmediate(r));
    }
    await s.releaseAll();
    // With one standby at a time, c - 1 calls of every later wave reserved for themselves.
    expect(own).toBe(c);
    expect(await total(inner)).toEqual({ spent: 20 * c * 40, reserved: 0 });
  });

  it("the pool together takes at most a tenth of what is left below a limit", async () => {
    const { store: inner } = counted();
    const s = standbyStore(inner, ids);
    const lines = [{ key: TOTAL_KEY, limit: 3000 }];
    for (let i = 0; i < 8; i++) expect((await reserve(s, `p${i}`, 100, 0, lines)).ok).toBe(true);
    // The last admission left 3000 − 700 in use; each settle of 100 leaves 2200. The pool may
    // want up to 8, but 10 × (pool + 1) × 100 <= 2200 allows two standbys (one alone would allow 4).
    for (let i = 0; i < 8; i++) await settle(s, `p${i}`, 100);
    await new Promise((r) => setImmediate(r));
    expect(await total(inner)).toEqual({ spent: 800, reserved: 200 });
    await s.releaseAll();
    expect(await total(inner)).toEqual({ spent: 800, reserved: 0 });
  });

  it("a call bigger than the standby, or one arriving after the lease is half gone, reserves for itself", async () => {
    const { store: inner, calls } = counted();
    const s = standbyStore(inner, ids);
    await reserve(s, "a", 100);
    await settle(s, "a", 100);
    await new Promise((r) => setImmediate(r));
    expect((await reserve(s, "big", 500)).ok).toBe(true);
    expect(calls).toMatchObject({ reserve: 3, release: 1 }); // the too-small standby went back first
    expect(await total(inner)).toEqual({ spent: 100, reserved: 500 });
    await settle(s, "big", 500);
    await new Promise((r) => setImmediate(r));
    expect(await total(inner)).toEqual({ spent: 600, reserved: 500 }); // sized by the recent calls: max(100, 500)
    expect((await reserve(s, "late", 10, LEASE / 2 + 1)).ok).toBe(true);
    expect(calls.reserve).toBe(5);
    expect(await total(inner, LEASE / 2 + 1)).toEqual({ spent: 600, reserved: 10 });
  });

  it("makes no standby that would take more than a tenth of what is left below a limit", async () => {
    const { store: inner } = counted();
    const s = standbyStore(inner, ids);
    const lines = [{ key: TOTAL_KEY, limit: 1000 }];
    await reserve(s, "a", 100, 0, lines);
    await settle(s, "a", 100); // 900 left: a 100 standby is over a tenth of it
    await new Promise((r) => setImmediate(r));
    expect(await total(inner)).toEqual({ spent: 100, reserved: 0 });
  });

  it("a reserve that does not fit because of this run's own standby gets the budget: the standby goes back first", async () => {
    const inner = createMemoryStore();
    const s = standbyStore(inner, ids);
    const lines = [{ key: TOTAL_KEY, limit: 1000 }];
    const other = [{ key: TOTAL_KEY, limit: 1000 }, { key: "agent:x" }];
    await reserve(s, "a", 10, 0, lines);
    await settle(s, "a", 10);
    await new Promise((r) => setImmediate(r));
    expect(await total(inner)).toEqual({ spent: 10, reserved: 10 });
    expect((await reserve(s, "all", 990, 0, other)).ok).toBe(true);
    expect(await total(inner)).toEqual({ spent: 10, reserved: 990 });
  });

  // Two runs share one budget, each with `workers` calls in flight; every admission is checked
  // against the limit, and the runs must end having spent exactly what they settled.
  const hammer = async (o: { limit: number; workers: number; calls: number; spread: number; pause: boolean }) => {
    const inner = createMemoryStore();
    const runs = [standbyStore(inner, ids), standbyStore(inner, ids)];
    const lines = [{ key: TOTAL_KEY, limit: o.limit }];
    let admitted = 0;
    let spent = 0;
    let seq = 0;
    const worker = async (s: SharedBudgetStore, r: number): Promise<void> => {
      for (let i = 0; i < o.calls; i++) {
        const n = seq++;
        const amount = 5 + ((i * 7 + r * 13 + n) % o.spread);
        const id = `r${r}-${n}`;
        const res = await reserve(s, id, amount, 0, lines);
        const t = await total(inner);
        expect(t.spent + t.reserved).toBeLessThanOrEqual(o.limit);
        if (!res.ok) continue;
        admitted++;
        if (o.pause) await new Promise((done) => setImmediate(done));
        const actual = Math.floor(amount / 2);
        spent += actual;
        await settle(s, id, actual);
      }
    };
    await Promise.all(runs.flatMap((s, r) => Array.from({ length: o.workers }, () => worker(s, r))));
    await Promise.all(runs.map((s) => s.releaseAll()));
    const t = await total(inner);
    expect(t).toEqual({ spent, reserved: 0 });
    expect(t.spent).toBeLessThanOrEqual(o.limit);
    return admitted;
  };

  it("two runs hammering one budget through standbys never hold or spend more than it", async () => {
    const admitted = await hammer({ limit: 10_000, workers: 1, calls: 300, spread: 40, pause: false });
    expect(admitted).toBeGreaterThan(300); // most calls fit: the budget was not locked away by standbys
  });

  it("two runs with 6 calls in flight each never hold or spend more than their budget, and spend exactly what they settled", async () => {
    const admitted = await hammer({ limit: 20_000, workers: 6, calls: 80, spread: 60, pause: true });
    expect(admitted).toBeGreaterThan(600); // most calls fit: the pools did not lock the budget away
  });

  it("release and renew reach the adopted standby; warn-mode reservations pass straight through", async () => {
    const { store: inner, calls } = counted();
    const s = standbyStore(inner, ids);
    await reserve(s, "a", 100);
    await settle(s, "a", 100);
    await new Promise((r) => setImmediate(r));
    await reserve(s, "b", 50); // adopts
    await s.renew(["b"], 1000, LEASE);
    await s.release("b");
    expect(await total(inner)).toEqual({ spent: 100, reserved: 0 });
    const before = calls.reserve ?? 0;
    expect((await s.reserve({ id: "w", lines: LINES, amount: 5, enforce: false, now: 0, leaseMs: LEASE })).ok).toBe(true);
    expect(calls.reserve).toBe(before + 1);
  });

  it("a governor decides exactly as without standbys, call for call", async () => {
    const run = async (withStandby: boolean): Promise<{ decisions: Decision[]; spent: number }> => {
      const inner = createMemoryStore();
      const store = withStandby ? standbyStore(inner, ids) : inner;
      const clock = manualClock();
      const g = createGovernor({ sessionId: "s", limits: limits({ budget: 1, perCall: 0.2, alertThreshold: 0.5, loop: { windowSeconds: 60, threshold: 3 } }), agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store });
      const decisions: Decision[] = [];
      for (let i = 0; i < 40; i++) {
        const u = usage(i % 3 === 0 ? "gpt-4o" : "gpt-4o-mini", 1000 + i * 500, 2000 + (i % 5) * 4000);
        const a = await g.admit({ usage: u, fingerprint: `p${i % 17}` });
        decisions.push(a.decision);
        if (a.reservationId !== undefined) decisions.push(await g.settle(a.reservationId, { ...u, outputTokens: Math.floor(u.outputTokens / 3) }));
        clock.advance(1000);
      }
      return { decisions, spent: (await inner.read([TOTAL_KEY], clock.now())).get(TOTAL_KEY)?.spent ?? 0 };
    };
    const plain = await run(false);
    const standby = await run(true);
    expect(standby.decisions).toEqual(plain.decisions);
    expect(standby.spent).toBe(plain.spent);
    expect(plain.decisions.some((d) => d.action === "block")).toBe(true); // the sequence reaches the limits
  });
});
