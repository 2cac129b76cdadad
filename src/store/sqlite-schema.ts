// The SQLite budget database's tables. Money is integer nano-USD (SQLite INTEGER, exact up to
// 2^53 nanos ≈ $9 million). One table per kind of budget key (see roleOf in core/policy/keys.ts):
// the total, each day (a calendar day of one daily_reset_timezone: runs of different zones have
// different rows), each agent, each model; plus the open reservations with their lease expiry; and
// the reservation ids already settled, so a settle sent twice is counted once. `reserved_nanos` is
// the sum of the open reservations on a row, kept in step with `reservations` inside the same
// transactions.

/**
 * Version of the schema below; a newer database is refused rather than misread. Tables only ever
 * added (settled_ids) keep the version: an older aegis still reads and writes the file correctly.
 */
export const SCHEMA_VERSION = 1;

/** The spend tables, by the kind of key they hold ("other": any key the governor may add later). */
export const SPEND_TABLES = {
  total: "spend_total",
  daily: "spend_daily",
  agent: "spend_agent",
  model: "spend_model",
  other: "spend_other",
} as const;

/** The spend table of a kind of key. */
export type SpendTable = (typeof SPEND_TABLES)[keyof typeof SPEND_TABLES];

const spendTable = (name: string, what: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  name TEXT PRIMARY KEY,                       -- ${what}
  spent_nanos INTEGER NOT NULL DEFAULT 0,      -- committed spend
  reserved_nanos INTEGER NOT NULL DEFAULT 0,   -- open (unexpired) reservations
  updated_ms INTEGER NOT NULL DEFAULT 0
) STRICT;`;

/** DDL creating every table (idempotent). */
export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`,
  spendTable(SPEND_TABLES.total, "always 'total'"),
  spendTable(SPEND_TABLES.daily, "the day: YYYY-MM-DD (UTC) or YYYY-MM-DD@<zone> (daily_reset_timezone)"),
  spendTable(SPEND_TABLES.agent, "agent id (its own calls and its descendants')"),
  spendTable(SPEND_TABLES.model, "model as the call named it"),
  spendTable(SPEND_TABLES.other, "any other budget key, whole"),
  `CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  amount_nanos INTEGER NOT NULL,
  keys_json TEXT NOT NULL,                     -- the budget keys it holds, JSON array
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL                  -- lease: a crashed run's reservation lapses here
) STRICT;`,
  `CREATE INDEX IF NOT EXISTS reservations_expiry ON reservations (expires_ms);`,
  `CREATE TABLE IF NOT EXISTS settled_ids (
  id TEXT PRIMARY KEY,                         -- a settled reservation id: a repeated settle is a no-op
  settled_ms INTEGER NOT NULL                  -- forgotten SETTLED_ID_RETENTION_MS after this
) STRICT;`,
  `CREATE INDEX IF NOT EXISTS settled_ids_age ON settled_ids (settled_ms);`,
].join("\n");
