// The embedded budget store: one SQLite file (WAL mode) shared by every `aegis run` on a machine.
// Operations run in `BEGIN IMMEDIATE` transactions: each takes the database's write lock before
// reading, so two processes can never both read "one dollar left" and both reserve it. Waiting
// for the lock is bounded by busy_timeout; past it the call is answered as "store unavailable".
// Expired reservations (a run that crashed or was SIGKILLed) are purged inside the same
// transactions, so their budget comes back after the lease without any process cleaning up.
//
// Group commit: the operations asked for in one event-loop turn (every request the server read in
// that turn) run in ONE transaction, in the order they were asked, each with its own
// all-or-nothing semantics inside it (a reserve that does not fit writes nothing; a job that
// throws undoes only itself). The cost of a commit is its WAL page writes, not its statements:
// batching a turn's operations writes each touched page once.

import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  StoreUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type LineUse,
  type ReserveRequest,
  type ReserveResult,
  type SettledLine,
  type SettleRequest,
} from "../core/policy/store.js";
import { prepareSchema } from "./sqlite-migrate.js";
import { sqliteProblem } from "./sqlite-errors.js";
import { BudgetDb } from "./sqlite-db.js";
import { tuneConnection } from "./sqlite-connection.js";
import type { PersistentStore } from "./types.js";

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** How long a transaction waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** The path as messages name it (default: `path`), e.g. relative to the working directory. */
  shownAs?: string;
}

// One queued operation: `now` (when it purges) is the caller's clock, the store has none.
interface Job {
  run: (d: BudgetDb) => unknown;
  purgeAt: number | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

// What each line of a check had in use (spent + open reservations); `spentOf` keeps each line's
// spend, so a charge does not read the same rows again.
const usesOf = (d: BudgetDb, lines: ReserveRequest["lines"], spentOf?: Map<string, number>): LineUse[] =>
  lines.map((l) => {
    const t = d.totals(l.key);
    spentOf?.set(l.key, t.spent);
    return { key: l.key, used: t.spent + t.reserved, ...(l.limit !== undefined ? { limit: l.limit } : {}) };
  });

const fitsAll = (lines: readonly LineUse[], amount: number): boolean => lines.every((l) => l.limit === undefined || l.used + amount <= l.limit);

// Adds `amount` to the spend of every key, with each key's spend before and after.
const spend = (d: BudgetDb, keys: readonly string[], amount: number, now: number, spentOf?: Map<string, number>): SettledLine[] =>
  keys.map((key) => {
    const before = spentOf?.get(key) ?? d.totals(key).spent;
    d.addSpent(key, amount, now);
    return { key, spentBefore: before, spentAfter: before + amount };
  });

/** Creates the SQLite store for `path`; the file (and its directory) are created on first use. */
export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): PersistentStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const path = options.shownAs ?? file;
  let open: BudgetDb | undefined;
  // The batch transaction of the open database (made once: making one costs more than running it).
  let batches: Database.Transaction<(jobs: readonly Job[]) => unknown[]> | undefined;
  let closed = false;
  let queue: Job[] = [];
  let scheduled = false;

  // Opens lazily and again after a failure, so a fixed file is picked up without a restart.
  const db = (): BudgetDb => {
    if (closed) throw new StoreUnavailableError(`Budget store ${path} is closed`);
    if (open !== undefined) return open;
    let raw: Database.Database | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      raw = new Database(file, { timeout: busyTimeoutMs });
      tuneConnection(raw);
      // Spend data is as private as the ledger: owner-only (SQLite gives -wal/-shm the same mode).
      chmodSync(file, 0o600);
      prepareSchema(raw, path);
      open = new BudgetDb(raw);
      batches = undefined;
      return open;
    } catch (error) {
      raw?.close();
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(sqliteProblem(path, error), { cause: error });
    }
  };

  // SQLite's own failures (corrupt, locked, read-only, disk full) are the store being unavailable;
  // anything else is a bug in this file and must not pass for one.
  const problem = (error: unknown): unknown =>
    error instanceof Database.SqliteError ? new StoreUnavailableError(sqliteProblem(path, error), { cause: error }) : error;

  // Runs `jobs` in one BEGIN IMMEDIATE transaction and settles their promises. A SQLite failure
  // fails the whole batch (nothing of it was written). A job that throws anything else (a bug)
  // rolls the batch back too; its jobs are then run again one transaction each, so only that job
  // fails (savepoints per job would do the same, but cost a statement journal on every job).
  const runBatch = (jobs: readonly Job[]): void => {
    let results: unknown[];
    try {
      const d = db();
      batches ??= d.db.transaction((batch: readonly Job[]) => {
        d.begin();
        const out: unknown[] = [];
        let purged = -Infinity;
        for (const job of batch) {
          if (job.purgeAt !== undefined && job.purgeAt > purged) {
            d.purge(job.purgeAt);
            purged = job.purgeAt;
          }
          out.push(job.run(d));
        }
        // The batch's row changes reach the database here, inside the transaction (sqlite-db.ts).
        d.writeBack();
        return out;
      });
      results = batches.immediate(jobs);
    } catch (error) {
      if (jobs.length > 1 && !(error instanceof Database.SqliteError) && !(error instanceof StoreUnavailableError)) {
        for (const job of jobs) runBatch([job]);
        return;
      }
      const failure = problem(error);
      for (const job of jobs) job.reject(failure);
      return;
    }
    jobs.forEach((job, i) => job.resolve(results[i]));
  };

  const flush = (): void => {
    scheduled = false;
    const jobs = queue;
    queue = [];
    if (jobs.length > 0) runBatch(jobs);
  };

  // Queues `run` for this turn's transaction (purging lapsed leases first when `purgeAt` is given).
  const enqueue = <T>(purgeAt: number | undefined, run: (d: BudgetDb) => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ run, purgeAt, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });

  return {
    url: path,

    ping: () => enqueue(undefined, () => undefined),

    read: (keys, now) => enqueue(now, (d) => new Map(keys.map((key) => [key, d.totals(key)]))),

    reserve: (req: ReserveRequest): Promise<ReserveResult> =>
      enqueue(req.now, (d) => {
        const lines = usesOf(d, req.lines);
        if (req.enforce && !fitsAll(lines, req.amount)) return { ok: false, lines };
        d.reserve(req.id, req.amount, req.lines.map((l) => l.key), req.now, req.now + req.leaseMs);
        return { ok: true, lines };
      }),

    charge: (req: ChargeRequest): Promise<ChargeResult> =>
      enqueue(req.now, (d) => {
        const spentOf = new Map<string, number>();
        const lines = usesOf(d, req.lines, spentOf);
        if (req.enforce && !fitsAll(lines, req.amount)) return { ok: false, lines, settled: [] };
        return { ok: true, lines, settled: spend(d, req.keys, req.amount, req.now, spentOf) };
      }),

    // Once per id, in the same transaction as the spend (see SharedBudgetStore.settle): a repeat
    // reports each key's spend unchanged.
    settle: (req: SettleRequest): Promise<SettledLine[]> =>
      enqueue(undefined, (d) => {
        if (!d.markSettled(req.id, req.now)) {
          return req.keys.map((key) => {
            const { spent } = d.totals(key);
            return { key, spentBefore: spent, spentAfter: spent };
          });
        }
        d.drop(req.id, req.now);
        return spend(d, req.keys, req.amount, req.now);
      }),

    release: (id) => enqueue(undefined, (d) => d.drop(id, 0)),

    // Purges first (enqueue with `now`): a lease that lapsed before its renewal stays lapsed.
    renew: (ids, now, leaseMs) =>
      enqueue(now, (d) => {
        for (const id of ids) d.renew(id, now + leaseMs);
      }),

    close() {
      // Whatever was asked before close is still answered.
      flush();
      closed = true;
      open?.db.close();
      open = undefined;
      batches = undefined;
      return Promise.resolve();
    },
  };
}
