// Opens a SQLite file for a test's own reads and writes, closing it whatever `fn` does.
import Database from "better-sqlite3";

/** Runs `fn` on a connection to the SQLite file at `path` (created if absent), then closes it. */
export function withDatabase<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
