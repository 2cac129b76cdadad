// The settings of every connection to a SQLite budget store, applied as it is opened.
import type Database from "better-sqlite3";

/** The page cache of a store connection, in SQLite's negative-KiB form (-2000: about 2 MB). */
export const PAGE_CACHE_KIB = -2000;

/** Sets journal mode, durability and page cache of a freshly opened store connection. */
export function tuneConnection(raw: Database.Database): void {
  raw.pragma("journal_mode = WAL");
  // WAL + NORMAL: a commit survives any crash of aegis or the agent; only an OS crash or power
  // cut may lose the last commits, the same guarantee the ledger's unsynced appends give. FULL
  // would fsync twice per proxied call (reserve and settle) on the hot path.
  raw.pragma("synchronous = NORMAL");
  // SQLite's stock page cache (2 MB), not better-sqlite3's build default of 16 MB: the hot rows
  // (spend totals, open reservations) are a few pages, while settled_ids grows with every call for
  // a day, so a 16 MB cache kept filling with its cold pages — aegis's RSS rose ~5 MB a minute
  // through a 500 calls/s soak until the cache was full (performance.md X1).
  raw.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
}
