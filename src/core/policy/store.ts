// The seam between the governor and wherever the shared budgets live (DESIGN §6 "Daily and total
// budgets outlive a session"). The governor keeps the per-session limit, the per-call limit, the
// rate window and loop detection itself (they belong to one `aegis run`); the store holds the
// budgets that several processes may share: the total budget, each UTC day, and each agent's
// budget. Keys are opaque strings chosen by the governor (see budgetKeys in keys.ts). A store
// only needs a few atomic operations — check-and-reserve several keys, settle, release and renew
// leases — which map onto a SQLite transaction or a Redis Lua script. A store that cannot answer rejects with
// StoreUnavailableError; any other rejection is a bug. Methods are async for Redis; the memory store
// answers synchronously inside them so the hot path costs no I/O.

import type { Nanos } from "../money.js";

/** One budget a reservation is charged against; without a limit the key only accumulates. */
export interface BudgetLine {
  key: string;
  limit?: Nanos;
}

/** An atomic check-and-reserve of `amount` on every line at once. */
export interface ReserveRequest {
  /** Reservation id, unique across every process sharing the store. */
  id: string;
  lines: readonly BudgetLine[];
  amount: Nanos;
  /**
   * true: reserve only if, for every line with a limit, used + amount <= limit (all or nothing).
   * false (warn/log modes): always reserve; the answer still reports what each line had in use.
   */
  enforce: boolean;
  /** The caller's clock (ms); the store has none of its own. */
  now: number;
  /** The reservation expires at now + leaseMs if never settled or released (a crashed process). */
  leaseMs: number;
}

/** What one line had in use (spent + open, unexpired reservations) just before the request. */
export interface LineUse {
  key: string;
  used: Nanos;
  limit?: Nanos;
}

/** The answer to a reserve: `ok` false means nothing was reserved on any line. */
export interface ReserveResult {
  ok: boolean;
  lines: LineUse[];
}

/**
 * How long a store remembers that a reservation id was settled (24 h of the callers' clock), so a
 * settle sent again — its first reply was lost to a timeout or a dropped connection, and the
 * resilient store replays it — is recognised and not counted twice. Far beyond any retry: a run
 * replays its kept settlements as soon as the store answers again.
 */
export const SETTLED_ID_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Turns a reservation into spend. `keys` are repeated so an expired lease still commits. */
export interface SettleRequest {
  /** Settles are idempotent per id (see SharedBudgetStore.settle). */
  id: string;
  keys: readonly string[];
  /** The real cost: committed whatever the limits say (the money is already spent). */
  amount: Nanos;
  now: number;
}

/** Committed spend of one key just before and just after a settle (alerts fire on the crossing). */
export interface SettledLine {
  key: string;
  spentBefore: Nanos;
  spentAfter: Nanos;
}

/**
 * A call whose real cost is known before it is admitted (the metering API's /v1/record): the
 * check of a reserve and the spend of a settle in one atomic step, with no reservation in between.
 */
export interface ChargeRequest {
  lines: readonly BudgetLine[];
  /** Keys the spend is added to (the lines' keys and any report-only keys). */
  keys: readonly string[];
  amount: Nanos;
  /** As in ReserveRequest: true charges only if every limited line fits (all or nothing). */
  enforce: boolean;
  now: number;
}

/** The answer to a charge: `ok` false means nothing was written; `settled` is empty then. */
export interface ChargeResult extends ReserveResult {
  settled: SettledLine[];
}

/** Committed spend and open reservations of one key. */
export interface KeyTotals {
  spent: Nanos;
  reserved: Nanos;
}

/**
 * Thrown (rejected) by a store that cannot answer: a Redis server that is down, a SQLite file that
 * is corrupt or locked past its busy timeout. The message is for the user (it names the store and
 * the cause, never a stack). The governor turns it into a `store` decision: blocked by default
 * (fail closed), admitted with a loud warning under `store.fail_open`.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** Persistent, possibly shared budget state (memory by default; SQLite or Redis). */
export interface SharedBudgetStore {
  /** Current totals of the keys (absent keys read as zero). */
  read(keys: readonly string[], now: number): Promise<Map<string, KeyTotals>>;
  /** Atomically checks every line and reserves the amount on all of them, or on none. */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * Drops the reservation (if still open) and adds `amount` to every key's spend, atomically —
   * once per id: whether its lease is open, lapsed or purged, the first settle of an id spends and
   * records the id (kept SETTLED_ID_RETENTION_MS after `now`); a later settle of the same id
   * changes nothing. A repeat answers every key with spentBefore = spentAfter = the key's spend
   * now: it moved nothing, so it crosses no alert threshold — the crossing belongs to the first
   * settle's answer, and an alert is never raised twice. (When that answer was lost, as for the
   * replays of a resilient store, its alert is lost with it; the call itself is in the ledger.)
   */
  settle(request: SettleRequest): Promise<SettledLine[]>;
  /**
   * Optional: reserve and settle at once, atomically (answers exactly as reserve followed at once
   * by settle would). Stores without it get reserve then settle from the governor.
   */
  charge?(request: ChargeRequest): Promise<ChargeResult>;
  /** Drops a reservation without spending; unknown or expired ids are ignored. */
  release(id: string): Promise<void>;
  /**
   * Extends the lease of every listed reservation still open at `now` to now + leaseMs (never
   * shortening it), atomically: a live run keeps the worst case of a long call reserved. Lapsed
   * leases are purged first and stay lapsed (their budget may already be admitted elsewhere);
   * unknown, settled and released ids are ignored.
   */
  renew(ids: readonly string[], now: number, leaseMs: number): Promise<void>;
  /** Releases connections and files (persistent stores); the store is unusable afterwards. */
  close?(): Promise<void>;
}
