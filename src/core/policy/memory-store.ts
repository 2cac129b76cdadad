// The default SharedBudgetStore: budgets held in this process's memory (one `aegis run`).
// Every method does its work synchronously before returning its promise, so each operation is
// atomic with respect to the others — exactly what a SQLite transaction or Redis script gives a
// shared store.

import type { Nanos } from "../money.js";
import type {
  KeyTotals,
  LineUse,
  ReserveRequest,
  ReserveResult,
  SettledLine,
  SettleRequest,
  SharedBudgetStore,
} from "./store.js";

interface Reservation {
  keys: readonly string[];
  amount: Nanos;
  expiresAt: number;
}

/** Creates an in-memory budget store (the default when no persistent store is configured). */
export function createMemoryStore(): SharedBudgetStore {
  const spent = new Map<string, Nanos>();
  const reserved = new Map<string, Nanos>();
  const open = new Map<string, Reservation>();

  const add = (map: Map<string, Nanos>, key: string, delta: Nanos): void => {
    const next = (map.get(key) ?? 0) + delta;
    if (next === 0) map.delete(key);
    else map.set(key, next);
  };

  const drop = (id: string): void => {
    const r = open.get(id);
    if (r === undefined) return;
    open.delete(id);
    for (const key of r.keys) add(reserved, key, -r.amount);
  };

  // Lapsed leases free their budget: the process holding them is gone or stuck.
  const expire = (now: number): void => {
    for (const [id, r] of open) if (r.expiresAt <= now) drop(id);
  };

  return {
    read(keys, now) {
      expire(now);
      const out = new Map<string, KeyTotals>();
      for (const key of keys) out.set(key, { spent: spent.get(key) ?? 0, reserved: reserved.get(key) ?? 0 });
      return Promise.resolve(out);
    },

    reserve(req: ReserveRequest): Promise<ReserveResult> {
      expire(req.now);
      const lines: LineUse[] = req.lines.map((l) => ({
        key: l.key,
        used: (spent.get(l.key) ?? 0) + (reserved.get(l.key) ?? 0),
        ...(l.limit !== undefined ? { limit: l.limit } : {}),
      }));
      const fits = lines.every((l) => l.limit === undefined || l.used + req.amount <= l.limit);
      if (req.enforce && !fits) return Promise.resolve({ ok: false, lines });
      const keys = req.lines.map((l) => l.key);
      open.set(req.id, { keys, amount: req.amount, expiresAt: req.now + req.leaseMs });
      for (const key of keys) add(reserved, key, req.amount);
      return Promise.resolve({ ok: true, lines });
    },

    settle(req: SettleRequest): Promise<SettledLine[]> {
      drop(req.id);
      const out: SettledLine[] = req.keys.map((key) => {
        const before = spent.get(key) ?? 0;
        add(spent, key, req.amount);
        return { key, spentBefore: before, spentAfter: before + req.amount };
      });
      return Promise.resolve(out);
    },

    release(id) {
      drop(id);
      return Promise.resolve();
    },
  };
}
