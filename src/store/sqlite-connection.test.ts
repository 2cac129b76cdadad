// A store connection's settings: WAL with NORMAL sync, and SQLite's stock 2 MB page cache rather
// than better-sqlite3's build default of 16 MB (which a day of settled ids fills: X1 soak growth).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { PAGE_CACHE_KIB, tuneConnection } from "./sqlite-connection.js";

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("tuneConnection", () => {
  it("sets WAL, synchronous NORMAL and a 2 MB page cache", () => {
    dir = mkdtempSync(join(tmpdir(), "aegis-conn-"));
    const raw = new Database(join(dir, "budget.db"));
    try {
      expect(raw.pragma("cache_size", { simple: true })).toBe(-16000); // the build default this overrides
      tuneConnection(raw);
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(raw.pragma("synchronous", { simple: true })).toBe(1);
      expect(raw.pragma("cache_size", { simple: true })).toBe(PAGE_CACHE_KIB);
      expect(PAGE_CACHE_KIB).toBe(-2000);
    } finally {
      raw.close();
    }
  });
});
