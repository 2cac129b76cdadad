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
// Under concurrency a run keeps a small pool of standbys per set of budget lines: each settle
// tops it up so that pool + calls in flight reach the most calls recently in flight together (at
// most MAX_POOL). When c calls answer in one wave, as a proxy's clients' calls do, the c calls
// that follow find a standby each, and every call costs one store transaction (its settle, with a
// standby for a later call) instead of two.
//
// Fairness near a limit: standbys are made only while together they are at most a tenth of what
// the last admission left below every limit, a reserve or charge that does not fit releases this run's
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
  /** Calls in flight with these lines at each of the last admissions, that one included. */
  flights: number[];
  leaseMs: number;
}

const RECENT_AMOUNTS = 8;
// Most standbys held (or being reserved) for one set of budget lines.
const MAX_POOL = 16;
const MAX_SIGNATURES = 16;
// A standby takes at most this share of what is left below a limit.
const SHARE_OF_REMAINING = 10;

const spellSignature = (lines: readonly BudgetLine[]): string => lines.map((l) => `${l.key}\u0000${l.limit ?? ""}`).join("\u0001");
// The governor hands every call of an agent on a day the same lines array (line-cache.ts), so a
// signature is spelled once per array, not once per call.
const spelled = new WeakMap<readonly BudgetLine[], string>();
const signatureOf = (lines: readonly BudgetLine[]): string => {
  let sig = spelled.get(lines);
  if (sig === undefined) {
    sig = spellSignature(lines);
    spelled.set(lines, sig);
  }
  return sig;
};

// Appends to a window of the last RECENT_AMOUNTS figures.
const pushRecent = (window: number[], value: number): void => {
  window.push(value);
  if (window.length > RECENT_AMOUNTS) window.shift();
};

/** The wrapped store, plus a way to give the standbys back before the run reads its totals. */
export interface StandbyStore extends SharedBudgetStore {
  /** Releases every standby (waiting for those still being reserved); none is made afterwards. */
  releaseAll(): Promise<void>;
}

/** A store that admits a run's calls against standby reservations (see above); `newId` names them. */
export function standbyStore(inner: SharedBudgetStore, newId: () => string): StandbyStore {
  // The pool of each signature; all of a pool's standbys have the same lines and keys.
  const standbys = new Map<string, Standby[]>();
  const recent = new Map<string, Recent>();
  // A call's reservation id → the standby it adopted (the store knows the standby's id).
  const adopted = new Map<string, string>();
  // A call's reservation id → the signature of its budget lines (its settle refills that pool),
  // and how many calls with each signature are in flight (what a pool is sized by).
  const signatures = new Map<string, string>();
  const inFlight = new Map<string, number>();
  let closing = false;
  // Standbys being reserved, each with its signature (a handful at most: pools are topped up by one a settle).
  const refilling = new Map<Promise<void>, string>();
  const refillingFor = (sig: string): number => {
    let n = 0;
    for (const s of refilling.values()) if (s === sig) n++;
    return n;
  };

  const storeId = (id: string): string => adopted.get(id) ?? id;

  const track = (id: string, sig: string): void => {
    signatures.set(id, sig);
    inFlight.set(sig, (inFlight.get(sig) ?? 0) + 1);
  };
  // Forgets a call that settled or was released; the signature it had, if it was tracked.
  const untrack = (id: string): string | undefined => {
    const sig = signatures.get(id);
    adopted.delete(id);
    signatures.delete(id);
    if (sig === undefined) return undefined;
    const left = (inFlight.get(sig) ?? 1) - 1;
    if (left > 0) inFlight.set(sig, left);
    else inFlight.delete(sig);
    return sig;
  };

  // Gives a whole pool back (in the caller's turn: batched with what follows).
  const releasePool = (sig: string): void => {
    for (const s of standbys.get(sig) ?? []) void inner.release(s.id).catch(() => undefined);
    standbys.delete(sig);
  };

  // Releases this run's standbys on any of `keys`.
  const releaseOn = (keys: readonly string[]): boolean => {
    let any = false;
    for (const [sig, pool] of standbys) {
      if (!keys.some((k) => pool[0]?.keys.has(k) === true)) continue;
      releasePool(sig);
      any = true;
    }
    return any;
  };

  // After a settle: tops the pool up by one standby, if it is far enough from every limit.
  const refill = (sig: string, now: number, spent: Nanos): void => {
    const r = recent.get(sig);
    if (closing || r === undefined) return;
    const held = (standbys.get(sig)?.length ?? 0) + refillingFor(sig);
    // As many as the calls recently in flight together, less those still in flight: at c=1 one.
    const wanted = Math.min(MAX_POOL, Math.max(...r.flights) - (inFlight.get(sig) ?? 0));
    if (held >= wanted) return;
    const amount = Math.max(...r.amounts);
    // The pool together, this one included, stays within a tenth of what is left.
    const far = r.used.every((l) => l.limit === undefined || SHARE_OF_REMAINING * amount * (held + 1) <= l.limit - l.used - spent);
    if (!far || amount <= 0) return;
    const id = newId();
    const expiresAt = now + r.leaseMs;
    const made = inner
      .reserve({ id, lines: r.lines, amount, enforce: true, now, leaseMs: r.leaseMs })
      .then(async (res) => {
        if (!res.ok) return;
        const pool = standbys.get(sig) ?? [];
        if (closing || pool.length >= MAX_POOL) return void (await inner.release(id));
        pool.push({ id, amount, lines: res.lines, keys: new Set(r.lines.map((l) => l.key)), expiresAt });
        standbys.set(sig, pool);
      })
      .catch(() => undefined)
      .finally(() => refilling.delete(made));
    refilling.set(made, sig);
  };

  // Updated in place: a new record and two new windows a call were most of a reserve's allocation.
  const remember = (req: ReserveRequest, sig: string, used: LineUse[]): void => {
    let r = recent.get(sig);
    if (r === undefined) {
      if (recent.size >= MAX_SIGNATURES) recent.delete(recent.keys().next().value as string);
      r = { lines: req.lines, used, amounts: [], flights: [], leaseMs: req.leaseMs };
      recent.set(sig, r);
    } else {
      r.lines = req.lines;
      r.used = used;
      r.leaseMs = req.leaseMs;
    }
    pushRecent(r.amounts, req.amount);
    pushRecent(r.flights, inFlight.get(sig) ?? 1);
  };

  return {
    read: async (keys, now) => {
      // This run's own standbys are not spend anyone is waiting on: its checks look past them.
      const totals = await inner.read(keys, now);
      for (const pool of standbys.values()) {
        for (const s of pool) {
          for (const key of s.keys) {
            const t = totals.get(key);
            if (t !== undefined) totals.set(key, { spent: t.spent, reserved: Math.max(0, t.reserved - s.amount) });
          }
        }
      }
      return totals;
    },

    async reserve(req: ReserveRequest): Promise<ReserveResult> {
      if (!req.enforce) return inner.reserve(req);
      const sig = signatureOf(req.lines);
      const pool = standbys.get(sig);
      // Adopt only a standby whose lease outlives the next renewal by far (renewals run every lease/3).
      const fit = pool?.findIndex((s) => s.amount >= req.amount && s.expiresAt - req.now >= req.leaseMs / 2) ?? -1;
      const s = pool?.[fit];
      if (pool !== undefined && s !== undefined) {
        pool.splice(fit, 1);
        if (pool.length === 0) standbys.delete(sig);
        adopted.set(req.id, s.id);
        track(req.id, sig);
        remember(req, sig, s.lines);
        return { ok: true, lines: s.lines };
      }
      // None fits: the pool was sized for smaller calls, or its leases are running out.
      if (pool !== undefined) releasePool(sig);
      let res = await inner.reserve(req);
      if (!res.ok && releaseOn(req.lines.map((l) => l.key))) res = await inner.reserve(req);
      if (res.ok) {
        track(req.id, sig);
        remember(req, sig, res.lines);
      }
      return res;
    },

    async settle(req: SettleRequest) {
      const id = storeId(req.id);
      const sig = untrack(req.id);
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
      untrack(id);
      return inner.release(storeSide);
    },

    renew: (ids, now, leaseMs) => {
      // Idle standbys are renewed with the open calls (an idle run renews nothing: they lapse). A
      // lapsed one stays lapsed in the store (it may be purged already): it is forgotten here.
      for (const [sig, pool] of standbys) {
        const live = pool.filter((s) => s.expiresAt > now);
        for (const s of live) s.expiresAt = Math.max(s.expiresAt, now + leaseMs);
        if (live.length > 0) standbys.set(sig, live);
        else standbys.delete(sig);
      }
      return inner.renew([...ids.map(storeId), ...[...standbys.values()].flat().map((s) => s.id)], now, leaseMs);
    },

    async releaseAll() {
      closing = true;
      await Promise.all([...refilling.keys()]);
      const held = [...standbys.values()].flat();
      standbys.clear();
      await Promise.all(held.map((s) => inner.release(s.id).catch(() => undefined)));
    },

    async close() {
      await this.releaseAll();
      await inner.close?.();
    },
  };
}
