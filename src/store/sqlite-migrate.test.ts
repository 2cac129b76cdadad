// Opening a schema-1 budget file (an earlier aegis's) converts it to schema 2 with every total,
// open reservation and settled id intact; a newer file is refused; a run of the earlier aegis still
// holding the file stops using it instead of spending against tables nobody reads.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentKey, dailyKey, modelKey, TOTAL_KEY } from "../core/policy/keys.js";
import { StoreUnavailableError } from "../core/policy/store.js";
import { SCHEMA_1_SQL, writeSchema1File } from "../../test/helpers/sqlite-schema-1.js";
import { withDatabase } from "../../test/helpers/sqlite-file.js";
import { SCHEMA_VERSION } from "./sqlite-schema.js";
import { createSqliteStore } from "./sqlite-store.js";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aegis-migrate-"));
  path = join(dir, "budget.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const raw = <T>(fn: (db: Database.Database) => T): T => withDatabase(path, fn);
const tables = (): string[] =>
  raw((db) => db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name));
const version = (): string | undefined => raw((db) => db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get()?.value);

const BERLIN = dailyKey("2026-11-28", "Europe/Berlin");
const NOW = Date.UTC(2026, 10, 28, 12);

describe("SQLite schema 1 → 2", () => {
  it("keeps every row's spend and reservations under its budget key, and the open reservation still settles once", async () => {
    const held = [TOTAL_KEY, "daily:2026-11-28", agentKey("researcher")];
    writeSchema1File(path, {
      spend: [
        { table: "spend_total", name: "total", spent: 45_670_000_000, reserved: 2_000_000 },
        { table: "spend_daily", name: "2026-11-28", spent: 1_230_000_000, reserved: 2_000_000 },
        { table: "spend_daily", name: "2026-11-28@Europe/Berlin", spent: 7_000_000 },
        { table: "spend_agent", name: "researcher", spent: 900_000_000, reserved: 2_000_000 },
        { table: "spend_model", name: "gpt-4o", spent: 800_000_000 },
        { table: "spend_other", name: "custom-key", spent: 3 },
      ],
      reservations: [{ id: "r1", amount: 2_000_000, keys: held, created: NOW - 1000, expires: NOW + 300_000 }],
      settled: [{ id: "done-1", at: NOW - 5000 }],
    });
    const store = createSqliteStore(path);
    const keys = [TOTAL_KEY, "daily:2026-11-28", BERLIN, agentKey("researcher"), modelKey("gpt-4o"), "custom-key"];
    const t = await store.read(keys, NOW);
    expect(Object.fromEntries([...t].map(([k, v]) => [k, [v.spent, v.reserved]]))).toEqual({
      [TOTAL_KEY]: [45_670_000_000, 2_000_000],
      "daily:2026-11-28": [1_230_000_000, 2_000_000],
      [BERLIN]: [7_000_000, 0],
      [agentKey("researcher")]: [900_000_000, 2_000_000],
      [modelKey("gpt-4o")]: [800_000_000, 0],
      "custom-key": [3, 0],
    });
    // The reservation made under schema 1 settles (its amount leaves `reserved`), exactly once.
    const settled = await store.settle({ id: "r1", keys: held, amount: 1_500_000, now: NOW });
    expect(settled.map((l) => [l.key, l.spentAfter - l.spentBefore])).toEqual(held.map((k) => [k, 1_500_000]));
    await store.settle({ id: "r1", keys: held, amount: 1_500_000, now: NOW });
    // An id settled under schema 1 is still remembered: its settle again counts nothing.
    const again = await store.settle({ id: "done-1", keys: [TOTAL_KEY], amount: 99, now: NOW });
    expect(again).toEqual([{ key: TOTAL_KEY, spentBefore: 45_671_500_000, spentAfter: 45_671_500_000 }]);
    const after = await store.read([TOTAL_KEY, agentKey("researcher")], NOW);
    expect(after.get(TOTAL_KEY)).toEqual({ spent: 45_671_500_000, reserved: 0 });
    expect(after.get(agentKey("researcher"))).toEqual({ spent: 901_500_000, reserved: 0 });
    await store.close();
    expect(tables()).toEqual(["meta", "reservations", "settled_ids", "spend"]);
    expect(version()).toBe(String(SCHEMA_VERSION));
    // The new tables keep their rows in the primary key's B-tree only (half the pages written a call).
    expect(raw((db) => db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name != 'meta'").all().map((r) => /WITHOUT ROWID/.test(r.sql)))).toEqual([true, true, true]);
    expect(raw((db) => db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all().map((r) => r.name))).toEqual([
      "reservations_expiry",
      "settled_ids_age",
    ]);
  });

  it("converts schema-1 tables whose version row was never written, and a lapsed reservation still gives its budget back", async () => {
    writeSchema1File(path, {
      versionRow: false,
      spend: [{ table: "spend_total", name: "total", spent: 10, reserved: 4 }],
      reservations: [{ id: "lapsed", amount: 4, keys: [TOTAL_KEY], created: 0, expires: NOW - 1 }],
    });
    const store = createSqliteStore(path);
    expect((await store.read([TOTAL_KEY], NOW)).get(TOTAL_KEY)).toEqual({ spent: 10, reserved: 0 });
    await store.close();
    expect(version()).toBe(String(SCHEMA_VERSION));
  });

  it("an earlier aegis still running on the file fails on its next statement instead of spending against dropped tables", async () => {
    writeSchema1File(path, { spend: [{ table: "spend_total", name: "total", spent: 10 }] });
    const old = new Database(path);
    const oldSpend = old.prepare("INSERT INTO spend_total (name, spent_nanos) VALUES ('total', 1) ON CONFLICT (name) DO UPDATE SET spent_nanos = spent_nanos + 1");
    oldSpend.run();
    const store = createSqliteStore(path);
    expect((await store.read([TOTAL_KEY], NOW)).get(TOTAL_KEY)?.spent).toBe(11);
    expect(() => oldSpend.run()).toThrow(/no such table: spend_total/);
    old.close();
    await store.close();
  });

  it("refuses a file of a newer schema, naming both versions, and leaves it untouched", async () => {
    raw((db) => {
      db.exec(SCHEMA_1_SQL);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION + 1));
    });
    const before = tables();
    const store = createSqliteStore(path, { shownAs: "budget.db" });
    const error = await store.read([TOTAL_KEY], NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(`Budget store budget.db was written by a newer aegis (schema ${SCHEMA_VERSION + 1}; this one reads ${SCHEMA_VERSION})`);
    await store.close();
    expect(tables()).toEqual(before);
  });

  it("refuses an unreadable version value instead of guessing", async () => {
    raw((db) => {
      db.exec(SCHEMA_1_SQL);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', 'two')").run();
    });
    const store = createSqliteStore(path, { shownAs: "budget.db" });
    await expect(store.read([TOTAL_KEY], NOW)).rejects.toThrow('Budget store budget.db has an unreadable schema version ("two"); move it aside or point store: at another file');
    await store.close();
  });

  it("a new file gets schema 2 directly, and opens again as it is", async () => {
    const store = createSqliteStore(path);
    await store.read([TOTAL_KEY], NOW);
    await store.close();
    expect(tables()).toEqual(["meta", "reservations", "settled_ids", "spend"]);
    const again = createSqliteStore(path);
    await again.read([TOTAL_KEY], NOW);
    await again.close();
    expect(version()).toBe(String(SCHEMA_VERSION));
  });
});
