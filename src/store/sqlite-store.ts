// The embedded budget store: one SQLite file (WAL mode) shared by every `aegis run` on a machine.
// Each operation is one `BEGIN IMMEDIATE` transaction: it takes the database's write lock before
// reading, so two processes can never both read "one dollar left" and both reserve it. Waiting
// for the lock is bounded by busy_timeout; past it the call is answered as "store unavailable".
// Expired reservations (a run that crashed or was SIGKILLed) are purged inside the same
// transactions, so their budget comes back after the lease without any process cleaning up.

import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { roleOf, TOTAL_KEY } from "../core/policy/keys.js";
import {
  StoreUnavailableError,
  type KeyTotals,
  type LineUse,
  type ReserveRequest,
  type ReserveResult,
  type SettledLine,
  type SettleRequest,
} from "../core/policy/store.js";
import type { Nanos } from "../core/money.js";
import { SCHEMA_SQL, SCHEMA_VERSION, SPEND_TABLES, type SpendTable } from "./sqlite-schema.js";
import { sqliteProblem } from "./sqlite-errors.js";
import type { PersistentStore } from "./types.js";

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** How long a transaction waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** The path as messages name it (default: `path`), e.g. relative to the working directory. */
  shownAs?: string;
}

interface Change {
  name: string;
  delta: Nanos;
  now: number;
}

interface Statements {
  row: Database.Statement<[string], { spent_nanos: number; reserved_nanos: number }>;
  addReserved: Database.Statement<[Change]>;
  addSpent: Database.Statement<[Change]>;
}

// The prepared statements of one open database.
class Db {
  private readonly tables = new Map<SpendTable, Statements>();
  private readonly expired: Database.Statement<[number], { id: string; amount_nanos: number; keys_json: string }>;
  private readonly byId: Database.Statement<[string], { amount_nanos: number; keys_json: string }>;
  private readonly insertReservation: Database.Statement<[string, number, string, number, number]>;
  private readonly deleteReservation: Database.Statement<[string]>;

  constructor(readonly db: Database.Database) {
    for (const table of Object.values(SPEND_TABLES)) {
      this.tables.set(table, {
        row: db.prepare(`SELECT spent_nanos, reserved_nanos FROM ${table} WHERE name = ?`),
        addReserved: db.prepare(
          `INSERT INTO ${table} (name, reserved_nanos, updated_ms) VALUES (@name, @delta, @now)
           ON CONFLICT (name) DO UPDATE SET reserved_nanos = reserved_nanos + @delta, updated_ms = MAX(updated_ms, @now)`,
        ),
        addSpent: db.prepare(
          `INSERT INTO ${table} (name, spent_nanos, updated_ms) VALUES (@name, @delta, @now)
           ON CONFLICT (name) DO UPDATE SET spent_nanos = spent_nanos + @delta, updated_ms = MAX(updated_ms, @now)`,
        ),
      });
    }
    this.expired = db.prepare("SELECT id, amount_nanos, keys_json FROM reservations WHERE expires_ms <= ?");
    this.byId = db.prepare("SELECT amount_nanos, keys_json FROM reservations WHERE id = ?");
    this.insertReservation = db.prepare(
      "INSERT OR IGNORE INTO reservations (id, amount_nanos, keys_json, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)",
    );
    this.deleteReservation = db.prepare("DELETE FROM reservations WHERE id = ?");
  }

  totals(key: string): KeyTotals {
    const r = this.stmts(key).row.get(rowOf(key).name);
    return { spent: r?.spent_nanos ?? 0, reserved: r?.reserved_nanos ?? 0 };
  }

  addReserved(key: string, delta: Nanos, now: number): void {
    this.stmts(key).addReserved.run({ name: rowOf(key).name, delta, now });
  }

  addSpent(key: string, delta: Nanos, now: number): void {
    this.stmts(key).addSpent.run({ name: rowOf(key).name, delta, now });
  }

  reserve(id: string, amount: Nanos, keys: readonly string[], now: number, expires: number): void {
    if (this.insertReservation.run(id, amount, JSON.stringify(keys), now, expires).changes === 0) return;
    for (const key of keys) this.addReserved(key, amount, now);
  }

  drop(id: string, now: number): void {
    const r = this.byId.get(id);
    if (r === undefined) return;
    this.deleteReservation.run(id);
    for (const key of parseKeys(r.keys_json)) this.addReserved(key, -r.amount_nanos, now);
  }

  purge(now: number): void {
    for (const r of this.expired.all(now)) this.drop(r.id, now);
  }

  private stmts(key: string): Statements {
    const s = this.tables.get(rowOf(key).table);
    if (s === undefined) throw new Error(`no spend table for key ${key}`);
    return s;
  }
}

// The table and row of a budget key (keys.ts names them; roleOf reads anything unprefixed as the total).
const rowOf = (key: string): { table: SpendTable; name: string } => {
  if (key === TOTAL_KEY) return { table: SPEND_TABLES.total, name: "total" };
  const role = roleOf(key);
  if (role.kind === "daily") return { table: SPEND_TABLES.daily, name: role.day };
  if (role.kind === "agent") return { table: SPEND_TABLES.agent, name: role.agentId };
  if (role.kind === "model") return { table: SPEND_TABLES.model, name: role.model };
  return { table: SPEND_TABLES.other, name: key };
};

const parseKeys = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : [];
};

/** Creates the SQLite store for `path`; the file (and its directory) are created on first use. */
export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): PersistentStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const path = options.shownAs ?? file;
  let open: Db | undefined;
  let closed = false;

  // Opens lazily and again after a failure, so a fixed file is picked up without a restart.
  const db = (): Db => {
    if (closed) throw new StoreUnavailableError(`Budget store ${path} is closed`);
    if (open !== undefined) return open;
    let raw: Database.Database | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      raw = new Database(file, { timeout: busyTimeoutMs });
      raw.pragma("journal_mode = WAL");
      // WAL + NORMAL: a commit survives any crash of aegis or the agent; only an OS crash or power
      // cut may lose the last commits, the same guarantee the ledger's unsynced appends give. FULL
      // would fsync twice per proxied call (reserve and settle) on the hot path.
      raw.pragma("synchronous = NORMAL");
      // Spend data is as private as the ledger: owner-only (SQLite gives -wal/-shm the same mode).
      chmodSync(file, 0o600);
      raw.exec(SCHEMA_SQL);
      const version = raw.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get();
      if (version === undefined) raw.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
      else if (Number(version.value) > SCHEMA_VERSION) {
        throw new StoreUnavailableError(`Budget store ${path} was written by a newer aegis (schema ${version.value}; this one reads ${SCHEMA_VERSION})`);
      }
      open = new Db(raw);
      return open;
    } catch (error) {
      raw?.close();
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(sqliteProblem(path, error), { cause: error });
    }
  };

  // Runs `fn` as one BEGIN IMMEDIATE transaction; SQLite failures become StoreUnavailableError.
  const tx = <T>(fn: (d: Db) => T): Promise<T> => {
    try {
      const d = db();
      return Promise.resolve(d.db.transaction(() => fn(d)).immediate());
    } catch (error) {
      // SQLite's own failures (corrupt, locked, read-only, disk full) are the store being
      // unavailable; anything else is a bug in this file and must not pass for one.
      if (error instanceof Database.SqliteError) return Promise.reject(new StoreUnavailableError(sqliteProblem(path, error), { cause: error }));
      return Promise.reject(error);
    }
  };

  return {
    url: path,

    ping: () => tx(() => undefined),

    read: (keys, now) =>
      tx((d) => {
        d.purge(now);
        return new Map(keys.map((key) => [key, d.totals(key)]));
      }),

    reserve: (req: ReserveRequest): Promise<ReserveResult> =>
      tx((d) => {
        d.purge(req.now);
        const lines: LineUse[] = req.lines.map((l) => {
          const t = d.totals(l.key);
          return { key: l.key, used: t.spent + t.reserved, ...(l.limit !== undefined ? { limit: l.limit } : {}) };
        });
        const fits = lines.every((l) => l.limit === undefined || l.used + req.amount <= l.limit);
        if (req.enforce && !fits) return { ok: false, lines };
        d.reserve(req.id, req.amount, req.lines.map((l) => l.key), req.now, req.now + req.leaseMs);
        return { ok: true, lines };
      }),

    settle: (req: SettleRequest): Promise<SettledLine[]> =>
      tx((d) => {
        d.drop(req.id, req.now);
        return req.keys.map((key) => {
          const before = d.totals(key).spent;
          d.addSpent(key, req.amount, req.now);
          return { key, spentBefore: before, spentAfter: before + req.amount };
        });
      }),

    release: (id) => tx((d) => d.drop(id, 0)),

    close() {
      closed = true;
      open?.db.close();
      open = undefined;
      return Promise.resolve();
    },
  };
}
