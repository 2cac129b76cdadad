// Brings a budget file to the current schema (./sqlite-schema.ts) as it is opened: a new file gets
// it, a schema-1 file (written by an earlier aegis) is converted in the same BEGIN IMMEDIATE
// transaction, so every run sharing the file sees either the old tables or the new ones, never
// half of each, and a crash mid-way leaves the old file as it was. The old tables are dropped, not
// kept beside the new ones: an earlier aegis still running on the file then fails on its next
// statement (the store is unavailable: it fails closed, or admits as `warn` with fail_open) instead
// of going on spending against tables nobody else reads. A file of a newer schema is refused.

import type Database from "better-sqlite3";
import { StoreUnavailableError } from "../core/policy/store.js";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./sqlite-schema.js";

// Schema 1's spend tables, each with the SQL naming a row's budget key (a day row's name was the
// key after "daily:", an agent's its id, a model's its name; the total's and other keys' the key).
const V1_SPEND: readonly (readonly [table: string, keyOf: string])[] = [
  ["spend_total", "name"],
  ["spend_daily", "'daily:' || name"],
  ["spend_agent", "'agent:' || name"],
  ["spend_model", "'model:' || name"],
  ["spend_other", "name"],
];

/**
 * Gives the database of `raw` the current schema in one transaction: creates it, converts a
 * schema-1 file, or throws a StoreUnavailableError for a file of a newer (or unreadable) version.
 */
export function prepareSchema(raw: Database.Database, path: string): void {
  raw
    .transaction(() => {
      const tables = new Set(raw.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name));
      const stored = tables.has("meta") ? raw.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get()?.value : undefined;
      // Schema 1 wrote its version after creating its tables, outside a transaction: its tables
      // without the version row are still schema 1.
      const version = stored !== undefined ? Number(stored) : tables.has("spend_total") ? 1 : SCHEMA_VERSION;
      if (!Number.isInteger(version) || version < 1) {
        throw new StoreUnavailableError(`Budget store ${path} has an unreadable schema version ("${stored ?? ""}"); move it aside or point store: at another file`);
      }
      if (version > SCHEMA_VERSION) {
        throw new StoreUnavailableError(`Budget store ${path} was written by a newer aegis (schema ${version}; this one reads ${SCHEMA_VERSION})`);
      }
      if (version === 1) fromSchema1(raw, tables);
      else raw.exec(SCHEMA_SQL);
      if (stored !== String(SCHEMA_VERSION)) {
        raw.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(SCHEMA_VERSION));
      }
    })
    .immediate();
}

// Schema 1 → 2: every spend row under its budget key in `spend`; reservations and settled ids
// copied into their WITHOUT ROWID tables; the old tables dropped.
function fromSchema1(raw: Database.Database, tables: ReadonlySet<string>): void {
  // The old indexes go first: their names are the new tables' (CREATE INDEX IF NOT EXISTS would
  // otherwise find them and leave the new tables without one).
  raw.exec("DROP INDEX IF EXISTS reservations_expiry; DROP INDEX IF EXISTS settled_ids_age;");
  for (const t of ["reservations", "settled_ids"]) if (tables.has(t)) raw.exec(`ALTER TABLE ${t} RENAME TO ${t}_v1`);
  raw.exec(SCHEMA_SQL);
  for (const [table, keyOf] of V1_SPEND) {
    if (!tables.has(table)) continue;
    // Two rows can name one key only in a file edited by hand; their spend adds up rather than one being lost.
    raw.exec(
      `INSERT INTO spend (key, spent_nanos, reserved_nanos, updated_ms)
       SELECT ${keyOf}, spent_nanos, reserved_nanos, updated_ms FROM ${table} WHERE true
       ON CONFLICT (key) DO UPDATE SET spent_nanos = spent_nanos + excluded.spent_nanos,
       reserved_nanos = reserved_nanos + excluded.reserved_nanos, updated_ms = MAX(updated_ms, excluded.updated_ms);
       DROP TABLE ${table};`,
    );
  }
  if (tables.has("reservations")) {
    raw.exec(
      `INSERT OR IGNORE INTO reservations (id, amount_nanos, keys_json, created_ms, expires_ms)
       SELECT id, amount_nanos, keys_json, created_ms, expires_ms FROM reservations_v1;
       DROP TABLE reservations_v1;`,
    );
  }
  if (tables.has("settled_ids")) {
    raw.exec("INSERT OR IGNORE INTO settled_ids (id, settled_ms) SELECT id, settled_ms FROM settled_ids_v1; DROP TABLE settled_ids_v1;");
  }
}
