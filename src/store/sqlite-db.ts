// The prepared statements of one open budget database (./sqlite-schema.ts) and the row-level
// operations the store's transactions are made of. Nothing here begins or commits a transaction:
// ./sqlite-store.ts runs these inside its BEGIN IMMEDIATE transactions, between begin() and
// writeBack().
//
// Spend rows are cached for the length of one transaction: a batch of 60 records touches the same
// four or five rows (total, today, agent, model) 60 times each, and reading and upserting each row
// once instead is most of what a record costs in SQLite. The cache is safe because the transaction
// holds the database's write lock from its first statement (BEGIN IMMEDIATE): no other process can
// change a row between our read and our write. Changes are kept as deltas and written back with
// `+ delta`, so the row ends exactly as the statement-per-change version left it.

import type Database from "better-sqlite3";
import { SETTLED_ID_RETENTION_MS, type KeyTotals } from "../core/policy/store.js";
import type { Nanos } from "../core/money.js";

interface Change {
  key: string;
  spent: Nanos;
  reserved: Nanos;
  now: number;
}

// One spend row as this transaction sees it: what the database held when first read (read lazily:
// a row only written needs no read) plus this transaction's changes not yet written back.
interface CachedRow {
  key: string;
  base: KeyTotals | undefined;
  spent: Nanos;
  reserved: Nanos;
  now: number;
  dirty: boolean;
}

/** An open budget database with its statements prepared once. */
export class BudgetDb {
  // This transaction's spend rows, by budget key.
  private readonly rows = new Map<string, CachedRow>();
  private readonly spendRow: Database.Statement<[string], { spent_nanos: number; reserved_nanos: number }>;
  private readonly addSpend: Database.Statement<[Change]>;
  private readonly expired: Database.Statement<[number], { id: string; amount_nanos: number; keys_json: string }>;
  private readonly byId: Database.Statement<[string], { amount_nanos: number; keys_json: string }>;
  private readonly insertReservation: Database.Statement<[string, number, string, number, number]>;
  private readonly deleteReservation: Database.Statement<[string]>;
  private readonly extendLease: Database.Statement<[number, string]>;
  private readonly insertSettled: Database.Statement<[string, number]>;
  private readonly forgetSettled: Database.Statement<[number]>;

  constructor(readonly db: Database.Database) {
    this.spendRow = db.prepare("SELECT spent_nanos, reserved_nanos FROM spend WHERE key = ?");
    this.addSpend = db.prepare(
      `INSERT INTO spend (key, spent_nanos, reserved_nanos, updated_ms) VALUES (@key, @spent, @reserved, @now)
       ON CONFLICT (key) DO UPDATE SET spent_nanos = spent_nanos + @spent, reserved_nanos = reserved_nanos + @reserved,
       updated_ms = MAX(updated_ms, @now)`,
    );
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

  /** Starts a transaction's view: forgets every cached row (a rolled-back one's included). */
  begin(): void {
    this.rows.clear();
  }

  /** Writes this transaction's row changes to the database, one statement per changed row. */
  writeBack(): void {
    for (const row of this.rows.values()) {
      if (!row.dirty) continue;
      this.addSpend.run({ key: row.key, spent: row.spent, reserved: row.reserved, now: row.now });
      row.base = undefined;
      row.spent = 0;
      row.reserved = 0;
      row.dirty = false;
    }
  }

  /** Committed spend and open reservations of a key (zero when absent), this transaction's changes included. */
  totals(key: string): KeyTotals {
    const row = this.row(key);
    if (row.base === undefined) {
      const r = this.spendRow.get(row.key);
      row.base = { spent: r?.spent_nanos ?? 0, reserved: r?.reserved_nanos ?? 0 };
    }
    return { spent: row.base.spent + row.spent, reserved: row.base.reserved + row.reserved };
  }

  addReserved(key: string, delta: Nanos, now: number): void {
    this.change(key, 0, delta, now);
  }

  addSpent(key: string, delta: Nanos, now: number): void {
    this.change(key, delta, 0, now);
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

  private change(key: string, spent: Nanos, reserved: Nanos, now: number): void {
    const row = this.row(key);
    row.spent += spent;
    row.reserved += reserved;
    // Written back as MAX(updated_ms, now), like the statement per change it replaces.
    row.now = row.dirty ? Math.max(row.now, now) : now;
    row.dirty = true;
  }

  private row(key: string): CachedRow {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { key, base: undefined, spent: 0, reserved: 0, now: 0, dirty: false };
      this.rows.set(key, row);
    }
    return row;
  }
}

const parseKeys = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : [];
};
