// The default SharedBudgetStore: budgets held in this process's memory (one `aegis run`).
// Every method does its work synchronously before returning its promise, so each operation is
// atomic with respect to the others — exactly what a SQLite transaction or Redis script gives a
// shared store.

import type { Nanos } from "../money.js";
import { SETTLED_ID_RETENTION_MS } from "./store.js";
import type {
  ChargeRequest,
  ChargeResult,
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
  // Settled ids → when (caller's clock): a repeated settle of one of them is a no-op.
  const settledIds = new Map<string, number>();

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
  // Settled ids are forgotten after the retention; the map is in settle order, so the scan stops
  // at the first one still kept.
  const expire = (now: number): void => {
    for (const [id, r] of open) if (r.expiresAt <= now) drop(id);
    for (const [id, at] of settledIds) {
      if (at + SETTLED_ID_RETENTION_MS > now) break;
      settledIds.delete(id);
    }
  };

  const uses = (lines: ReserveRequest["lines"]): LineUse[] =>
    lines.map((l) => ({
      key: l.key,
      used: (spent.get(l.key) ?? 0) + (reserved.get(l.key) ?? 0),
      ...(l.limit !== undefined ? { limit: l.limit } : {}),
    }));
  const fits = (lines: readonly LineUse[], amount: Nanos): boolean => lines.every((l) => l.limit === undefined || l.used + amount <= l.limit);
  const spend = (keys: readonly string[], amount: Nanos): SettledLine[] =>
    keys.map((key) => {
      const before = spent.get(key) ?? 0;
      add(spent, key, amount);
      return { key, spentBefore: before, spentAfter: before + amount };
    });

  return {
    read(keys, now) {
      expire(now);
      const out = new Map<string, KeyTotals>();
      for (const key of keys) out.set(key, { spent: spent.get(key) ?? 0, reserved: reserved.get(key) ?? 0 });
      return Promise.resolve(out);
    },

    reserve(req: ReserveRequest): Promise<ReserveResult> {
      expire(req.now);
      const lines = uses(req.lines);
      if (req.enforce && !fits(lines, req.amount)) return Promise.resolve({ ok: false, lines });
      const keys = req.lines.map((l) => l.key);
      open.set(req.id, { keys, amount: req.amount, expiresAt: req.now + req.leaseMs });
      for (const key of keys) add(reserved, key, req.amount);
      return Promise.resolve({ ok: true, lines });
    },

    charge(req: ChargeRequest): Promise<ChargeResult> {
      expire(req.now);
      const lines = uses(req.lines);
      if (req.enforce && !fits(lines, req.amount)) return Promise.resolve({ ok: false, lines, settled: [] });
      return Promise.resolve({ ok: true, lines, settled: spend(req.keys, req.amount) });
    },

    settle(req: SettleRequest): Promise<SettledLine[]> {
      if (settledIds.has(req.id)) {
        // Already counted: report the spend as it is, unchanged (see SharedBudgetStore.settle).
        return Promise.resolve(req.keys.map((key) => ({ key, spentBefore: spent.get(key) ?? 0, spentAfter: spent.get(key) ?? 0 })));
      }
      drop(req.id);
      settledIds.set(req.id, req.now);
      return Promise.resolve(spend(req.keys, req.amount));
    },

    release(id) {
      drop(id);
      return Promise.resolve();
    },

    renew(ids, now, leaseMs) {
      expire(now);
      for (const id of ids) {
        const r = open.get(id);
        if (r !== undefined) r.expiresAt = Math.max(r.expiresAt, now + leaseMs);
      }
      return Promise.resolve();
    },
  };
}
