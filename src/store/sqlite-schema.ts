// The SQLite budget database's tables. Money is integer nano-USD (SQLite INTEGER, exact up to
// 2^53 nanos ≈ $9 million). `spend` has one row per budget key, named by the key itself as
// core/policy/keys.ts writes it ("total", "daily:2026-11-28[@zone]", "agent:<id>", "model:<name>"),
// the same names as the Redis store's fields; plus the open reservations with their lease expiry;
// and the reservation ids already settled, so a settle sent twice is counted once.
// `reserved_nanos` is the sum of the open reservations on a row, kept in step with `reservations`
// inside the same transactions.
//
// Every table is WITHOUT ROWID, so a row lives in its primary key's B-tree only: a proxied call
// (settle, plus the standby reservation of the next call, in one transaction) writes about half the
// pages of schema 1 (five spend tables, each hot row on a page of its own, and rowid tables whose
// text keys sat in a second B-tree). Pages written are what a commit and the WAL checkpoint cost:
// measured on the per-call transaction, 98 → 73 µs of CPU and half the checkpoints (./sqlite-migrate.ts
// converts a schema-1 file).

/**
 * Version of the schema below; a newer database is refused rather than misread. 1: five spend
 * tables (total, daily, agent, model, other) and rowid tables; 2: the tables below.
 */
export const SCHEMA_VERSION = 2;

/** DDL creating every table of the current schema (idempotent). */
export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`,
  `CREATE TABLE IF NOT EXISTS spend (
  key TEXT PRIMARY KEY,                        -- the budget key (core/policy/keys.ts)
  spent_nanos INTEGER NOT NULL DEFAULT 0,      -- committed spend
  reserved_nanos INTEGER NOT NULL DEFAULT 0,   -- open (unexpired) reservations
  updated_ms INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;`,
  `CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  amount_nanos INTEGER NOT NULL,
  keys_json TEXT NOT NULL,                     -- the budget keys it holds, JSON array
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL                  -- lease: a crashed run's reservation lapses here
) STRICT, WITHOUT ROWID;`,
  `CREATE INDEX IF NOT EXISTS reservations_expiry ON reservations (expires_ms);`,
  `CREATE TABLE IF NOT EXISTS settled_ids (
  id TEXT PRIMARY KEY,                         -- a settled reservation id: a repeated settle is a no-op
  settled_ms INTEGER NOT NULL                  -- forgotten SETTLED_ID_RETENTION_MS after this
) STRICT, WITHOUT ROWID;`,
  `CREATE INDEX IF NOT EXISTS settled_ids_age ON settled_ids (settled_ms);`,
].join("\n");
