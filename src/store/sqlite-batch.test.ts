// The SQLite store's group commit with its per-transaction row cache (sqlite-db.ts): many
// operations on the same rows in one turn must answer as if each ran alone, in order; what they
// wrote must be on disk for another handle; and a job that fails with a bug must not leave its
// changes, or the cache's view of them, behind for the jobs after it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChargeRequest, ChargeResult, SharedBudgetStore } from "../core/policy/store.js";
import { createSqliteStore } from "./sqlite-store.js";

const T = Date.UTC(2026, 11, 6);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dbPath = (): string => {
  const d = mkdtempSync(join(tmpdir(), "aegis-batch-"));
  dirs.push(d);
  return join(d, "budget.db");
};

const KEYS = ["total", "daily:2026-12-06", "agent:a", "model:m"];
const lines = [{ key: "total", limit: 10_000 }, { key: "daily:2026-12-06", limit: 5_000 }, { key: "agent:a" }];
const charge = (amount: number): ChargeRequest => ({ lines, keys: KEYS, amount, enforce: true, now: T });
const charged = (s: SharedBudgetStore, req: ChargeRequest): Promise<ChargeResult> => {
  if (s.charge === undefined) throw new Error("the SQLite store has no one-step charge");
  return s.charge(req);
};

describe("SQLite store: one turn's operations in one transaction", () => {
  it("200 charges on the same rows chain their before/after exactly, stop at the limit, and persist", async () => {
    const path = dbPath();
    const s = createSqliteStore(path);
    const results = await Promise.all(Array.from({ length: 200 }, () => charged(s, charge(30))));
    // The day's limit (5,000) admits 166 charges of 30 (4,980); the 167th would make 5,010.
    const admitted = results.filter((r) => r.ok);
    expect(admitted).toHaveLength(166);
    expect(results.slice(166).every((r) => !r.ok && r.settled.length === 0)).toBe(true);
    admitted.forEach((r, i) => {
      expect(r.lines.map((l) => l.used)).toEqual([i * 30, i * 30, i * 30]);
      expect(r.settled).toEqual(KEYS.map((key) => ({ key, spentBefore: i * 30, spentAfter: i * 30 + 30 })));
    });
    await s.close();
    const again = createSqliteStore(path);
    const t = await again.read([...KEYS, "agent:other"], T);
    expect(Object.fromEntries(t)).toEqual({ ...Object.fromEntries(KEYS.map((k) => [k, { spent: 4_980, reserved: 0 }])), "agent:other": { spent: 0, reserved: 0 } });
    await again.close();
  });

  it("reserves, settles and releases in one turn leave each row's spent and reserved exact", async () => {
    const path = dbPath();
    const s = createSqliteStore(path);
    const lease = { enforce: true, now: T, leaseMs: 60_000 };
    await Promise.all([
      s.reserve({ id: "r1", lines, amount: 100, ...lease }),
      s.reserve({ id: "r2", lines, amount: 200, ...lease }),
      s.settle({ id: "r1", keys: KEYS, amount: 70, now: T }),
      s.release("r2"),
      s.reserve({ id: "r3", lines, amount: 50, ...lease }),
      s.settle({ id: "r1", keys: KEYS, amount: 70, now: T }), // a repeat: counted once
    ]);
    await s.close();
    const again = createSqliteStore(path);
    const t = await again.read(KEYS, T);
    expect(t.get("total")).toEqual({ spent: 70, reserved: 50 });
    expect(t.get("daily:2026-12-06")).toEqual({ spent: 70, reserved: 50 });
    expect(t.get("agent:a")).toEqual({ spent: 70, reserved: 50 });
    expect(t.get("model:m")).toEqual({ spent: 70, reserved: 0 });
    await again.close();
  });

  it("a job that throws a bug fails alone; the others in its turn still count, once", async () => {
    const path = dbPath();
    const s = createSqliteStore(path);
    // `lines: null` makes the job throw a TypeError inside the batch, after the first charge has
    // changed the cached rows: the batch rolls back and each job runs again on its own.
    const broken = { ...charge(1), lines: null } as unknown as ChargeRequest;
    const [a, b, c] = await Promise.allSettled([charged(s, charge(30)), charged(s, broken), charged(s, charge(40))]);
    expect(a).toMatchObject({ status: "fulfilled", value: { ok: true, settled: [{ key: "total", spentBefore: 0, spentAfter: 30 }, {}, {}, {}] } });
    expect(b.status).toBe("rejected");
    expect(b.status === "rejected" ? b.reason : undefined).toBeInstanceOf(TypeError);
    expect(c).toMatchObject({ status: "fulfilled", value: { ok: true, settled: [{ key: "total", spentBefore: 30, spentAfter: 70 }, {}, {}, {}] } });
    expect((await s.read(["total", "model:m"], T)).get("model:m")).toEqual({ spent: 70, reserved: 0 });
    await s.close();
    const again = createSqliteStore(path);
    expect((await again.read(["total"], T)).get("total")).toEqual({ spent: 70, reserved: 0 });
    await again.close();
  });
});
