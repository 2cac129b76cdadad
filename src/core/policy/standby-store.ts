// Standby reservations: budget reserved in the shared store for a run's NEXT call, so that call is
// admitted without a store transaction before it is forwarded (performance.md P1/S1: the SQLite
// write of an admission measured 121 µs of the 240 µs aegis spends on a proxied call).
//
// When a call settles, a reservation of the size of the recent calls' worst cases is made in the
// same store round trip as the settle (one group-committed transaction). The next call with the
// same budget lines whose worst case fits adopts it: the budget was held for it since the standby
// was reserved, with the store's all-or-nothing check, so no two runs can ever both spend the
// same dollar (DESIGN §6). What other runs see is what they would see of one call in flight.
//
// Fairness near a limit: a standby is made only while it is at most a tenth of what the last
// admission left below every limit, a reserve or charge that does not fit releases this run's
// standbys on its lines and tries once more, and close() releases them all (a crashed run's
// standbys lapse with their lease like any reservation). Only enforcing reservations use standbys:
// in warn/log mode the reserve's answer must be fresh, since it decides the warning.
import type { Nanos } from "../money.js";
import type { BudgetLine, ChargeRequest, ChargeResult, LineUse, ReserveRequest, ReserveResult, SettleRequest, SharedBudgetStore } from "./store.js";

interface Standby {
  id: string;
  amount: Nanos;
  lines: LineUse[];
  keys: Set<string>;
  expiresAt: number;
}

// What the last admission with some budget lines knew, to size and place the next standby.
interface Recent {
  lines: readonly BudgetLine[];
  used: LineUse[];
  amounts: Nanos[];
  leaseMs: number;
}

const RECENT_AMOUNTS = 8;
const MAX_SIGNATURES = 16;
// A standby takes at most this share of what is left below a limit.
const SHARE_OF_REMAINING = 10;

const signatureOf = (lines: readonly BudgetLine[]): string => lines.map((l) => `${l.key}\u0000${l.limit ?? ""}`).join("\u0001");

/** The wrapped store, plus a way to give the standbys back before the run reads its totals. */
export interface StandbyStore extends SharedBudgetStore {
  /** Releases every standby (waiting for those still being reserved); none is made afterwards. */
  releaseAll(): Promise<void>;
}

/** A store that admits a run's calls against standby reservations (see above); `newId` names them. */
export function standbyStore(inner: SharedBudgetStore, newId: () => string): StandbyStore {
  const standbys = new Map<string, Standby>();
  const recent = new Map<string, Recent>();
  // A call's reservation id → the standby it adopted (the store knows the standby's id).
  const adopted = new Map<string, string>();
  // A call's reservation id → the signature of its budget lines (its settle refills that standby).
  const signatures = new Map<string, string>();
  let closing = false;
  // Standbys being reserved, by signature: one at a time for each set of budget lines.
  const refilling = new Map<string, Promise<void>>();

  const storeId = (id: string): string => adopted.get(id) ?? id;

  // Releases this run's standbys on any of `keys` (in the caller's turn: batched with what follows).
  const releaseOn = (keys: readonly string[]): boolean => {
    let any = false;
    for (const [sig, s] of standbys) {
      if (!keys.some((k) => s.keys.has(k))) continue;
      standbys.delete(sig);
      void inner.release(s.id).catch(() => undefined);
      any = true;
    }
    return any;
  };

  // After a settle: reserve the next call's standby, if it is far enough from every limit.
  const refill = (sig: string, now: number, spent: Nanos): void => {
    const r = recent.get(sig);
    // One standby per budget lines, and one being reserved at a time: under concurrency many calls
    // settle in one turn, and extra standbys would only be reserved to be released again.
    if (closing || r === undefined || standbys.has(sig) || refilling.has(sig)) return;
    const amount = Math.max(...r.amounts);
    const far = r.used.every((l) => l.limit === undefined || SHARE_OF_REMAINING * amount <= l.limit - l.used - spent);
    if (!far || amount <= 0) return;
    const id = newId();
    const expiresAt = now + r.leaseMs;
    const made = inner
      .reserve({ id, lines: r.lines, amount, enforce: true, now, leaseMs: r.leaseMs })
      .then(async (res) => {
        if (!res.ok) return;
        if (closing || standbys.has(sig)) return void (await inner.release(id));
        standbys.set(sig, { id, amount, lines: res.lines, keys: new Set(r.lines.map((l) => l.key)), expiresAt });
      })
      .catch(() => undefined);
    refilling.set(sig, made);
    void made.finally(() => refilling.delete(sig));
  };

  const remember = (req: ReserveRequest, sig: string, used: LineUse[]): void => {
    const r = recent.get(sig);
    const amounts = [...(r?.amounts ?? []), req.amount].slice(-RECENT_AMOUNTS);
    if (r === undefined && recent.size >= MAX_SIGNATURES) recent.delete(recent.keys().next().value as string);
    recent.set(sig, { lines: req.lines, used, amounts, leaseMs: req.leaseMs });
  };

  return {
    read: async (keys, now) => {
      // This run's own standbys are not spend anyone is waiting on: its checks look past them.
      const totals = await inner.read(keys, now);
      for (const s of standbys.values()) {
        for (const key of s.keys) {
          const t = totals.get(key);
          if (t !== undefined) totals.set(key, { spent: t.spent, reserved: Math.max(0, t.reserved - s.amount) });
        }
      }
      return totals;
    },

    async reserve(req: ReserveRequest): Promise<ReserveResult> {
      if (!req.enforce) return inner.reserve(req);
      const sig = signatureOf(req.lines);
      const s = standbys.get(sig);
      // Adopt only a standby whose lease outlives the next renewal by far (renewals run every lease/3).
      if (s !== undefined && s.amount >= req.amount && s.expiresAt - req.now >= req.leaseMs / 2) {
        standbys.delete(sig);
        adopted.set(req.id, s.id);
        signatures.set(req.id, sig);
        remember(req, sig, s.lines);
        return { ok: true, lines: s.lines };
      }
      if (s !== undefined) {
        standbys.delete(sig);
        void inner.release(s.id).catch(() => undefined);
      }
      let res = await inner.reserve(req);
      if (!res.ok && releaseOn(req.lines.map((l) => l.key))) res = await inner.reserve(req);
      if (res.ok) {
        signatures.set(req.id, sig);
        remember(req, sig, res.lines);
      }
      return res;
    },

    async settle(req: SettleRequest) {
      const id = storeId(req.id);
      const sig = signatures.get(req.id);
      adopted.delete(req.id);
      signatures.delete(req.id);
      const settled = inner.settle({ ...req, id });
      // Same turn as the settle: one store transaction for both.
      if (sig !== undefined) refill(sig, req.now, req.amount);
      return settled;
    },

    ...(inner.charge !== undefined
      ? {
          charge: async (req: ChargeRequest): Promise<ChargeResult> => {
            const charge = inner.charge?.bind(inner);
            if (charge === undefined) throw new Error("unreachable");
            const res = await charge(req);
            if (res.ok || !req.enforce || !releaseOn(req.lines.map((l) => l.key))) return res;
            return charge(req);
          },
        }
      : {}),

    release: (id) => {
      const storeSide = storeId(id);
      adopted.delete(id);
      signatures.delete(id);
      return inner.release(storeSide);
    },

    renew: (ids, now, leaseMs) => {
      // Idle standbys are renewed with the open calls (an idle run renews nothing: they lapse). A
      // lapsed one stays lapsed in the store (it may be purged already): it is forgotten here.
      for (const [sig, s] of standbys) {
        if (s.expiresAt <= now) standbys.delete(sig);
        else s.expiresAt = Math.max(s.expiresAt, now + leaseMs);
      }
      return inner.renew([...ids.map(storeId), ...[...standbys.values()].map((s) => s.id)], now, leaseMs);
    },

    async releaseAll() {
      closing = true;
      await Promise.all([...refilling.values()]);
      const held = [...standbys.values()];
      standbys.clear();
      await Promise.all(held.map((s) => inner.release(s.id).catch(() => undefined)));
    },

    async close() {
      await this.releaseAll();
      await inner.close?.();
    },
  };
}
