// The prepared statements of one open budget database (./sqlite-schema.ts) and the row-level
// operations the store's transactions are made of. Nothing here begins or commits a transaction:
// ./sqlite-store.ts runs these inside its BEGIN IMMEDIATE transactions.

import type Database from "better-sqlite3";
import { DAILY_PREFIX, roleOf, TOTAL_KEY } from "../core/policy/keys.js";
import { SETTLED_ID_RETENTION_MS, type KeyTotals } from "../core/policy/store.js";
import type { Nanos } from "../core/money.js";
import { SPEND_TABLES, type SpendTable } from "./sqlite-schema.js";

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

/** An open budget database with its statements prepared once. */
export class BudgetDb {
  private readonly tables = new Map<SpendTable, Statements>();
  private readonly expired: Database.Statement<[number], { id: string; amount_nanos: number; keys_json: string }>;
  private readonly byId: Database.Statement<[string], { amount_nanos: number; keys_json: string }>;
  private readonly insertReservation: Database.Statement<[string, number, string, number, number]>;
  private readonly deleteReservation: Database.Statement<[string]>;
  private readonly extendLease: Database.Statement<[number, string]>;
  private readonly insertSettled: Database.Statement<[string, number]>;
  private readonly forgetSettled: Database.Statement<[number]>;

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
    this.extendLease = db.prepare("UPDATE reservations SET expires_ms = MAX(expires_ms, ?) WHERE id = ?");
    this.insertSettled = db.prepare("INSERT OR IGNORE INTO settled_ids (id, settled_ms) VALUES (?, ?)");
    this.forgetSettled = db.prepare("DELETE FROM settled_ids WHERE settled_ms <= ?");
  }

  /** Committed spend and open reservations of a key (zero when absent). */
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

  /** Opens a reservation on `keys` (a repeated id is ignored: the first one stands). */
  reserve(id: string, amount: Nanos, keys: readonly string[], now: number, expires: number): void {
    if (this.insertReservation.run(id, amount, JSON.stringify(keys), now, expires).changes === 0) return;
    for (const key of keys) this.addReserved(key, amount, now);
  }

  /** Closes a reservation (if open) and gives its amount back to its keys. */
  drop(id: string, now: number): void {
    const r = this.byId.get(id);
    if (r === undefined) return;
    this.deleteReservation.run(id);
    for (const key of parseKeys(r.keys_json)) this.addReserved(key, -r.amount_nanos, now);
  }

  /** Records `id` as settled at `now`; false when it already was (the settle must not count again). */
  markSettled(id: string, now: number): boolean {
    return this.insertSettled.run(id, now).changes === 1;
  }

  /** Moves a reservation's lease expiry to `expires` unless it is later already (absent ids: nothing). */
  renew(id: string, expires: number): void {
    this.extendLease.run(expires, id);
  }

  /** Drops every reservation whose lease has lapsed at `now`, and forgets settled ids past retention. */
  purge(now: number): void {
    for (const r of this.expired.all(now)) this.drop(r.id, now);
    this.forgetSettled.run(now - SETTLED_ID_RETENTION_MS);
  }

  private stmts(key: string): Statements {
    const s = this.tables.get(rowOf(key).table);
    if (s === undefined) throw new Error(`no spend table for key ${key}`);
    return s;
  }
}

// The table and row of a budget key (keys.ts names them; roleOf reads anything unprefixed as the total).
// A day's row is its key after "daily:" as is: "2026-11-28" for a UTC day (the rows of every earlier
// aegis, still counted), "2026-11-28@Europe/Berlin" for another zone's.
const rowOf = (key: string): { table: SpendTable; name: string } => {
  if (key === TOTAL_KEY) return { table: SPEND_TABLES.total, name: "total" };
  const role = roleOf(key);
  if (role.kind === "daily") return { table: SPEND_TABLES.daily, name: key.slice(DAILY_PREFIX.length) };
  if (role.kind === "agent") return { table: SPEND_TABLES.agent, name: role.agentId };
  if (role.kind === "model") return { table: SPEND_TABLES.model, name: role.model };
  return { table: SPEND_TABLES.other, name: key };
};

const parseKeys = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : [];
};
