// A budget file as aegis wrote it before schema 2 (five spend tables, rowid tables), frozen here
// so the conversion in src/store/sqlite-migrate.ts is tested against the real old layout.
import { withDatabase } from "./sqlite-file.js";

const spendTable = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  name TEXT PRIMARY KEY,
  spent_nanos INTEGER NOT NULL DEFAULT 0,
  reserved_nanos INTEGER NOT NULL DEFAULT 0,
  updated_ms INTEGER NOT NULL DEFAULT 0
) STRICT;`;

/** Schema 1's DDL, exactly as aegis ran it. */
export const SCHEMA_1_SQL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`,
  ...["spend_total", "spend_daily", "spend_agent", "spend_model", "spend_other"].map(spendTable),
  `CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY,
  amount_nanos INTEGER NOT NULL,
  keys_json TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
) STRICT;`,
  `CREATE INDEX IF NOT EXISTS reservations_expiry ON reservations (expires_ms);`,
  `CREATE TABLE IF NOT EXISTS settled_ids (
  id TEXT PRIMARY KEY,
  settled_ms INTEGER NOT NULL
) STRICT;`,
  `CREATE INDEX IF NOT EXISTS settled_ids_age ON settled_ids (settled_ms);`,
].join("\n");

/** What to put in a schema-1 file: spend rows by table and row name, open reservations, settled ids. */
export interface Schema1Content {
  spend?: { table: "spend_total" | "spend_daily" | "spend_agent" | "spend_model" | "spend_other"; name: string; spent: number; reserved?: number }[];
  reservations?: { id: string; amount: number; keys: string[]; created: number; expires: number }[];
  settled?: { id: string; at: number }[];
  /** Whether the version row is written (schema 1 wrote it after its tables, outside a transaction). */
  versionRow?: boolean;
}

/** Writes a schema-1 budget file at `path`, as an earlier aegis left it. */
export function writeSchema1File(path: string, content: Schema1Content = {}): void {
  withDatabase(path, (db) => {
    db.pragma("journal_mode = WAL");
    db.exec(SCHEMA_1_SQL);
    if (content.versionRow !== false) db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '1')").run();
    for (const r of content.spend ?? []) {
      db.prepare(`INSERT INTO ${r.table} (name, spent_nanos, reserved_nanos, updated_ms) VALUES (?, ?, ?, 5)`).run(r.name, r.spent, r.reserved ?? 0);
    }
    for (const r of content.reservations ?? []) {
      db.prepare("INSERT INTO reservations VALUES (?, ?, ?, ?, ?)").run(r.id, r.amount, JSON.stringify(r.keys), r.created, r.expires);
    }
    for (const s of content.settled ?? []) db.prepare("INSERT INTO settled_ids VALUES (?, ?)").run(s.id, s.at);
  });
}
