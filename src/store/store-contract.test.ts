// One contract, three stores: the memory store, SQLite and Redis must answer every case alike, so
// the governor's decisions do not depend on where the budgets live.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore, SETTLED_ID_RETENTION_MS, type SharedBudgetStore } from "../core/policy/index.js";
import type { ChargeRequest, ChargeResult } from "../core/policy/store.js";
import { createSqliteStore } from "./sqlite-store.js";
import { createRedisStore } from "./redis-store.js";
import { redisUnavailableReason, startRedis, type TestRedis } from "../../test/helpers/redis-server.js";

const dir = mkdtempSync(join(tmpdir(), "aegis-store-"));
const redisSkip = redisUnavailableReason();
if (redisSkip !== undefined) console.warn(redisSkip);
let redis: TestRedis | undefined;
let seq = 0;

beforeAll(async () => {
  if (redisSkip === undefined) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Kind {
  name: string;
  persistent: boolean;
  skip?: string;
  /** A fresh, empty store; `again` opens another handle on the same state (a second process). */
  make(): { store: SharedBudgetStore; again: () => SharedBudgetStore; close: () => Promise<void> };
}

const handles: SharedBudgetStore[] = [];
const track = (s: SharedBudgetStore): SharedBudgetStore => (handles.push(s), s);
const closeAll = async (): Promise<void> => {
  for (const h of handles.splice(0)) await h.close?.();
};

const KINDS: Kind[] = [
  {
    name: "memory",
    persistent: false,
    make() {
      const store = createMemoryStore();
      return { store, again: () => store, close: () => Promise.resolve() };
    },
  },
  {
    name: "sqlite",
    persistent: true,
    make() {
      const path = join(dir, `b${++seq}`, "budget.db");
      return { store: track(createSqliteStore(path)), again: () => track(createSqliteStore(path)), close: closeAll };
    },
  },
  {
    name: "redis",
    persistent: true,
    ...(redisSkip !== undefined ? { skip: redisSkip } : {}),
    make() {
      const prefix = `aegis:{t${++seq}}:`;
      const url = redis?.url ?? "redis://127.0.0.1:1";
      return { store: track(createRedisStore(url, { prefix })), again: () => track(createRedisStore(url, { prefix })), close: closeAll };
    },
  },
];

const T = 1_000_000; // a clock value; stores have none of their own
const LEASE = 60_000;
const reserve = (s: SharedBudgetStore, id: string, amount: number, lines: { key: string; limit?: number }[], now = T, enforce = true) =>
  s.reserve({ id, lines, amount, enforce, now, leaseMs: LEASE });
// Every store here answers charge itself (reserve then settle is the governor's fallback for others).
const charge = (s: SharedBudgetStore, req: ChargeRequest): Promise<ChargeResult> => {
  if (s.charge === undefined) throw new Error("this store has no one-step charge");
  return s.charge(req);
};

describe.each(KINDS)("budget store contract: $name", (kind) => {
  const it_ = kind.skip !== undefined ? it.skip : it;
  let h: ReturnType<Kind["make"]>;
  const fresh = (): SharedBudgetStore => {
    h = kind.make();
    return h.store;
  };
  afterAll(async () => h?.close());

  it_("reserves all lines or none, and reports what each line had in use", async () => {
    const s = fresh();
    const lines = [{ key: "daily:2026-03-14", limit: 100 }, { key: "total", limit: 250 }, { key: "agent:w" }];
    expect(await reserve(s, "a", 60, lines)).toEqual({ ok: true, lines: [{ key: "daily:2026-03-14", used: 0, limit: 100 }, { key: "total", used: 0, limit: 250 }, { key: "agent:w", used: 0 }] });
    // 60 + 60 > 100 on the day: nothing is reserved on the total either.
    expect(await reserve(s, "b", 60, lines)).toMatchObject({ ok: false, lines: [{ used: 60 }, { used: 60 }, { used: 60 }] });
    expect(await reserve(s, "c", 40, lines)).toMatchObject({ ok: true }); // reaching a limit exactly is allowed
    const t = await s.read(["daily:2026-03-14", "total", "agent:w", "absent"], T);
    expect(Object.fromEntries(t)).toEqual({
      "daily:2026-03-14": { spent: 0, reserved: 100 },
      total: { spent: 0, reserved: 100 },
      "agent:w": { spent: 0, reserved: 100 },
      absent: { spent: 0, reserved: 0 },
    });
  });

  it_("operations asked for in the same turn keep their own all-or-nothing answers, in order", async () => {
    const s = fresh();
    const lines = [{ key: "daily:d", limit: 100 }, { key: "total", limit: 1000 }];
    // One event-loop turn: a group-committing store runs these in one transaction.
    const answers = await Promise.all([
      reserve(s, "a", 60, lines),
      reserve(s, "b", 60, lines), // 120 > 100 on the day: nothing reserved on either line
      reserve(s, "c", 40, lines),
      s.settle({ id: "a", keys: ["daily:d", "total"], amount: 50, now: T }),
      reserve(s, "d", 10, lines), // a's settle freed 10 of the day
      reserve(s, "e", 1, lines),
    ]);
    expect(answers.map((a) => (Array.isArray(a) ? "settled" : a.ok))).toEqual([true, false, true, "settled", true, false]);
    expect(Object.fromEntries(await s.read(["daily:d", "total"], T))).toEqual({ "daily:d": { spent: 50, reserved: 50 }, total: { spent: 50, reserved: 50 } });
  });

  it_("charge checks like reserve and spends like settle, in one step; a charge that does not fit writes nothing", async () => {
    const s = fresh();
    const lines = [{ key: "daily:d", limit: 100 }, { key: "total" }];
    await reserve(s, "open", 30, lines);
    expect(await charge(s, { lines, keys: ["daily:d", "total", "model:m"], amount: 70, enforce: true, now: T })).toEqual({
      ok: true,
      lines: [{ key: "daily:d", used: 30, limit: 100 }, { key: "total", used: 30 }],
      settled: [
        { key: "daily:d", spentBefore: 0, spentAfter: 70 },
        { key: "total", spentBefore: 0, spentAfter: 70 },
        { key: "model:m", spentBefore: 0, spentAfter: 70 },
      ],
    });
    expect(await charge(s, { lines, keys: ["daily:d", "total"], amount: 1, enforce: true, now: T })).toEqual({
      ok: false,
      lines: [{ key: "daily:d", used: 100, limit: 100 }, { key: "total", used: 100 }],
      settled: [],
    });
    expect(Object.fromEntries(await s.read(["daily:d", "total", "model:m"], T))).toEqual({
      "daily:d": { spent: 70, reserved: 30 },
      total: { spent: 70, reserved: 30 },
      "model:m": { spent: 70, reserved: 0 },
    });
  });

  it_("a charge over any one limit writes nothing on any key (all or nothing)", async () => {
    const s = fresh();
    const lines = [{ key: "daily:d", limit: 1000 }, { key: "total", limit: 100 }, { key: "agent:w" }];
    await charge(s, { lines, keys: ["daily:d", "total", "agent:w", "model:m"], amount: 60, enforce: true, now: T });
    // The day and the agent have room; the total does not: nothing moves anywhere.
    expect(await charge(s, { lines, keys: ["daily:d", "total", "agent:w", "model:m"], amount: 41, enforce: true, now: T })).toEqual({
      ok: false,
      lines: [{ key: "daily:d", used: 60, limit: 1000 }, { key: "total", used: 60, limit: 100 }, { key: "agent:w", used: 60 }],
      settled: [],
    });
    const untouched = { spent: 60, reserved: 0 };
    expect(Object.fromEntries(await s.read(["daily:d", "total", "agent:w", "model:m"], T))).toEqual({ "daily:d": untouched, total: untouched, "agent:w": untouched, "model:m": untouched });
    // Reaching the limit exactly is allowed, as for reserve.
    expect((await charge(s, { lines, keys: ["total"], amount: 40, enforce: true, now: T })).settled).toEqual([{ key: "total", spentBefore: 60, spentAfter: 100 }]);
  });

  it_("enforce false charges past the limit (warn and log modes) and reports what each line had in use", async () => {
    const s = fresh();
    const lines = [{ key: "daily:d", limit: 100 }, { key: "total", limit: 1000 }];
    await reserve(s, "open", 30, lines);
    await charge(s, { lines, keys: ["daily:d", "total"], amount: 60, enforce: true, now: T });
    expect(await charge(s, { lines, keys: ["daily:d", "total", "model:m"], amount: 50, enforce: false, now: T })).toEqual({
      ok: true,
      lines: [{ key: "daily:d", used: 90, limit: 100 }, { key: "total", used: 90, limit: 1000 }],
      settled: [
        { key: "daily:d", spentBefore: 60, spentAfter: 110 },
        { key: "total", spentBefore: 60, spentAfter: 110 },
        { key: "model:m", spentBefore: 0, spentAfter: 50 },
      ],
    });
    expect(Object.fromEntries(await s.read(["daily:d", "total"], T))).toEqual({ "daily:d": { spent: 110, reserved: 30 }, total: { spent: 110, reserved: 30 } });
  });

  it_("a lapsed lease holds no budget against a charge (purged first, as for reserve)", async () => {
    const s = fresh();
    const lines = [{ key: "total", limit: 100 }];
    await reserve(s, "crashed", 100, lines);
    expect((await charge(s, { lines, keys: ["total"], amount: 1, enforce: true, now: T + LEASE - 1 })).ok).toBe(false);
    expect(await charge(s, { lines, keys: ["total"], amount: 100, enforce: true, now: T + LEASE })).toMatchObject({ ok: true, lines: [{ key: "total", used: 0 }] });
    expect((await s.read(["total"], T + LEASE)).get("total")).toEqual({ spent: 100, reserved: 0 });
  });

  it_("two handles charging concurrently never pass the limit", async () => {
    const a = fresh();
    const b = h.again();
    const lines = [{ key: "daily:d", limit: 1000 }, { key: "total" }];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => charge(i % 2 === 0 ? a : b, { lines, keys: ["daily:d", "total"], amount: 100, enforce: true, now: T })));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    // Each admitted charge moved the spend by exactly its amount, one after another.
    const afters = results.flatMap((r) => r.settled.filter((l) => l.key === "daily:d").map((l) => [l.spentBefore, l.spentAfter]));
    expect(afters.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0))).toEqual(Array.from({ length: 10 }, (_, i) => [i * 100, i * 100 + 100]));
    expect(Object.fromEntries(await a.read(["daily:d", "total"], T))).toEqual({ "daily:d": { spent: 1000, reserved: 0 }, total: { spent: 1000, reserved: 0 } });
  });

  it_("charges and reserves racing from two handles share one limit and never pass it", async () => {
    const a = fresh();
    const b = h.again();
    const lines = [{ key: "total", limit: 1000 }];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const s = i % 2 === 0 ? a : b;
        return i % 4 < 2 ? charge(s, { lines, keys: ["total"], amount: 100, enforce: true, now: T }) : reserve(s, `r${i}`, 100, lines);
      }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const t = (await a.read(["total"], T)).get("total");
    expect((t?.spent ?? 0) + (t?.reserved ?? 0)).toBe(1000);
  });

  it_("enforce false always reserves (warn and log modes)", async () => {
    const s = fresh();
    await reserve(s, "a", 90, [{ key: "total", limit: 100 }]);
    expect(await reserve(s, "b", 90, [{ key: "total", limit: 100 }], T, false)).toEqual({ ok: true, lines: [{ key: "total", used: 90, limit: 100 }] });
    expect((await s.read(["total"], T)).get("total")).toEqual({ spent: 0, reserved: 180 });
  });

  it_("settle replaces the reservation by the spend, on every key given, with before and after", async () => {
    const s = fresh();
    await reserve(s, "a", 100, [{ key: "daily:d", limit: 500 }, { key: "total", limit: 500 }]);
    expect(await s.settle({ id: "a", keys: ["daily:d", "total", "model:gpt-4o"], amount: 30, now: T })).toEqual([
      { key: "daily:d", spentBefore: 0, spentAfter: 30 },
      { key: "total", spentBefore: 0, spentAfter: 30 },
      { key: "model:gpt-4o", spentBefore: 0, spentAfter: 30 },
    ]);
    expect(Object.fromEntries(await s.read(["daily:d", "total", "model:gpt-4o"], T))).toEqual({
      "daily:d": { spent: 30, reserved: 0 },
      total: { spent: 30, reserved: 0 },
      "model:gpt-4o": { spent: 30, reserved: 0 },
    });
    // Settling over the limit still commits: the money is spent.
    expect(await s.settle({ id: "unknown", keys: ["total"], amount: 600, now: T })).toEqual([{ key: "total", spentBefore: 30, spentAfter: 630 }]);
  });

  it_("release frees the reservation; unknown and repeated releases are ignored", async () => {
    const s = fresh();
    await reserve(s, "a", 100, [{ key: "total", limit: 100 }]);
    expect((await reserve(s, "b", 1, [{ key: "total", limit: 100 }])).ok).toBe(false);
    await s.release("a");
    await s.release("a");
    await s.release("never");
    expect((await reserve(s, "b", 100, [{ key: "total", limit: 100 }])).ok).toBe(true);
  });

  it_("a lapsed lease frees its budget; its late settle still commits the spend", async () => {
    const s = fresh();
    await reserve(s, "crashed", 100, [{ key: "total", limit: 100 }]);
    expect((await reserve(s, "b", 1, [{ key: "total", limit: 100 }], T + LEASE - 1)).ok).toBe(false);
    expect((await s.read(["total"], T + LEASE)).get("total")).toEqual({ spent: 0, reserved: 0 });
    expect((await reserve(s, "c", 100, [{ key: "total", limit: 100 }], T + LEASE)).ok).toBe(true);
    await s.release("c");
    await s.settle({ id: "crashed", keys: ["total"], amount: 70, now: T + LEASE + 1 });
    expect((await s.read(["total"], T + LEASE + 1)).get("total")).toEqual({ spent: 70, reserved: 0 });
  });

  it_("a renewed reservation is still counted after its original lease; an unrenewed one lapses", async () => {
    const s = fresh();
    const other = h.again(); // another process reads the renewed lease from the shared state
    const lines = [{ key: "total", limit: 100 }];
    await reserve(s, "long", 60, lines);
    await reserve(s, "crashed", 40, lines);
    // Renewed every third of a lease for three leases: "long" stays reserved throughout.
    for (let t = T + LEASE / 3; t <= T + 3 * LEASE; t += LEASE / 3) {
      await s.renew(["long"], t, LEASE);
      expect((await reserve(other, `probe${t}`, 41, lines, t)).ok).toBe(false);
    }
    expect((await other.read(["total"], T + 3 * LEASE)).get("total")).toEqual({ spent: 0, reserved: 60 });
    // Renewal never shortens a lease: a shorter one asked for later leaves the longer expiry.
    await s.renew(["long"], T + 3 * LEASE, 1);
    expect((await other.read(["total"], T + 3 * LEASE + 2)).get("total")).toEqual({ spent: 0, reserved: 60 });
    // Unrenewed, it lapses one lease after its last renewal.
    expect((await other.read(["total"], T + 4 * LEASE)).get("total")).toEqual({ spent: 0, reserved: 0 });
  });

  it_("renews in the same turn as reserves and settles keep their order", async () => {
    const s = fresh();
    const lines = [{ key: "total", limit: 100 }];
    await Promise.all([reserve(s, "a", 50, lines), s.renew(["a", "b"], T, 2 * LEASE), reserve(s, "b", 50, lines), s.settle({ id: "b", keys: ["total"], amount: 20, now: T })]);
    // a was renewed (it existed), b was not (reserved after the renew, then settled).
    expect((await s.read(["total"], T + LEASE)).get("total")).toEqual({ spent: 20, reserved: 50 });
    expect((await s.read(["total"], T + 2 * LEASE)).get("total")).toEqual({ spent: 20, reserved: 0 });
  });

  it_("renewing unknown, settled, released or lapsed ids is harmless; a lapsed lease is not revived", async () => {
    const s = fresh();
    const lines = [{ key: "total", limit: 100 }];
    await reserve(s, "settled", 10, lines);
    await s.settle({ id: "settled", keys: ["total"], amount: 10, now: T });
    await reserve(s, "released", 10, lines);
    await s.release("released");
    await reserve(s, "lapsed", 30, lines);
    await s.renew([], T, LEASE);
    await s.renew(["never", "settled", "released"], T, LEASE);
    expect((await s.read(["total"], T)).get("total")).toEqual({ spent: 10, reserved: 30 });
    // Its lease ran out before the renewal came (the machine slept): the budget stays free.
    await s.renew(["lapsed"], T + LEASE, LEASE);
    expect((await s.read(["total"], T + LEASE + 1)).get("total")).toEqual({ spent: 10, reserved: 0 });
    expect((await reserve(s, "next", 90, lines, T + LEASE + 1)).ok).toBe(true);
  });

  it_("a settle arriving after its lease lapsed commits the spend exactly once, purged or not", async () => {
    const s = fresh();
    const lines = [{ key: "total" }, { key: "daily:d" }];
    await reserve(s, "slept", 100, lines);
    await reserve(s, "purged", 100, lines);
    // "slept": nothing touched the store between the lapse and the settle (its row is still there).
    await s.settle({ id: "slept", keys: ["total", "daily:d"], amount: 70, now: T + 2 * LEASE });
    const lapsed = { spent: 70, reserved: 0 }; // "purged" lapsed too: gone from the read's purge
    expect(Object.fromEntries(await s.read(["total", "daily:d"], T + 2 * LEASE))).toEqual({ total: lapsed, "daily:d": lapsed });
    // "purged": its reservation was purged by that read before the settle arrived.
    await s.settle({ id: "purged", keys: ["total", "daily:d"], amount: 30, now: T + 2 * LEASE });
    await s.release("slept");
    await s.renew(["slept", "purged"], T + 2 * LEASE, LEASE);
    const after = { spent: 100, reserved: 0 };
    expect(Object.fromEntries(await s.read(["total", "daily:d"], T + 3 * LEASE))).toEqual({ total: after, "daily:d": after });
  });

  it_("settling the same id twice counts once; the repeat reports the spend unchanged (no second alert crossing)", async () => {
    const s = fresh();
    const lines = [{ key: "daily:d", limit: 100 }, { key: "total", limit: 100 }];
    await reserve(s, "a", 50, lines);
    expect(await s.settle({ id: "a", keys: ["daily:d", "total"], amount: 40, now: T })).toEqual([
      { key: "daily:d", spentBefore: 0, spentAfter: 40 },
      { key: "total", spentBefore: 0, spentAfter: 40 },
    ]);
    await s.settle({ id: "b", keys: ["total"], amount: 5, now: T });
    // The repeat moved nothing: before = after = the spend as it stands now (b's 5 included).
    expect(await s.settle({ id: "a", keys: ["daily:d", "total"], amount: 40, now: T + 1 })).toEqual([
      { key: "daily:d", spentBefore: 40, spentAfter: 40 },
      { key: "total", spentBefore: 45, spentAfter: 45 },
    ]);
    expect(Object.fromEntries(await s.read(["daily:d", "total"], T + 1))).toEqual({ "daily:d": { spent: 40, reserved: 0 }, total: { spent: 45, reserved: 0 } });
  });

  it_("a settle whose reply was lost and is sent again counts once, awaited apart or in the same turn", async () => {
    const s = fresh();
    const lines = [{ key: "total" }, { key: "daily:d" }];
    await reserve(s, "lost", 100, lines);
    await reserve(s, "twice", 100, lines);
    // "lost": the store ran it, the caller never saw the answer; the resilient store sends it again.
    void (await s.settle({ id: "lost", keys: ["total", "daily:d", "model:m"], amount: 30, now: T }));
    await s.settle({ id: "lost", keys: ["total", "daily:d", "model:m"], amount: 30, now: T + 5 });
    // "twice": both in one turn (one group-committed transaction for SQLite, pipelined for Redis).
    await Promise.all([1, 2].map(() => s.settle({ id: "twice", keys: ["total", "daily:d"], amount: 20, now: T })));
    expect(Object.fromEntries(await s.read(["total", "daily:d", "model:m"], T + 5))).toEqual({
      total: { spent: 50, reserved: 0 },
      "daily:d": { spent: 50, reserved: 0 },
      "model:m": { spent: 30, reserved: 0 },
    });
  });

  it_("a settle replayed after its lease lapsed and was purged counts once", async () => {
    const s = fresh();
    const lines = [{ key: "total", limit: 100 }];
    await reserve(s, "late", 100, lines);
    await reserve(s, "later", 100, lines, T + 2 * LEASE);
    // "late" lapsed, was purged by the reserve above, then settled — and that settle is replayed.
    await s.settle({ id: "late", keys: ["total"], amount: 60, now: T + 2 * LEASE });
    await s.release("later");
    expect((await s.read(["total"], T + 3 * LEASE)).get("total")).toEqual({ spent: 60, reserved: 0 });
    await s.settle({ id: "late", keys: ["total"], amount: 60, now: T + 3 * LEASE });
    // "again": settled while its lease was open, replayed after it would have lapsed and been purged.
    await reserve(s, "again", 10, lines, T + 3 * LEASE);
    await s.settle({ id: "again", keys: ["total"], amount: 10, now: T + 3 * LEASE });
    await s.renew(["again"], T + 5 * LEASE, LEASE);
    expect((await s.read(["total"], T + 5 * LEASE)).get("total")).toEqual({ spent: 70, reserved: 0 });
    await s.settle({ id: "again", keys: ["total"], amount: 10, now: T + 5 * LEASE });
    await s.release("again");
    expect((await reserve(s, "fits", 30, lines, T + 5 * LEASE)).ok).toBe(true);
    expect((await s.read(["total"], T + 5 * LEASE)).get("total")).toEqual({ spent: 70, reserved: 30 });
  });

  it_("settled ids are remembered for SETTLED_ID_RETENTION_MS, then forgotten by the purge (the store does not grow)", async () => {
    const s = fresh();
    await s.settle({ id: "old", keys: ["total"], amount: 1, now: T });
    await s.read(["total"], T + SETTLED_ID_RETENTION_MS - 1); // purges: still remembered
    await s.settle({ id: "old", keys: ["total"], amount: 1, now: T + SETTLED_ID_RETENTION_MS - 1 });
    expect((await s.read(["total"], T + SETTLED_ID_RETENTION_MS)).get("total")).toEqual({ spent: 1, reserved: 0 });
    // Past the retention the id is gone: the same id would now be a new settle (ids never repeat).
    await s.settle({ id: "old", keys: ["total"], amount: 1, now: T + SETTLED_ID_RETENTION_MS });
    expect((await s.read(["total"], T + SETTLED_ID_RETENTION_MS)).get("total")).toEqual({ spent: 2, reserved: 0 });
  });

  it_("amounts are exact integers up to 2^53 nanos", async () => {
    const s = fresh();
    const big = 2 ** 53 - 1 - 10; // ~$9 million, just below the largest exact double
    await reserve(s, "a", big, [{ key: "total", limit: big + 5 }]);
    expect((await reserve(s, "b", 6, [{ key: "total", limit: big + 5 }])).lines[0]?.used).toBe(big);
    await s.settle({ id: "a", keys: ["total"], amount: big, now: T });
    await s.settle({ id: "x", keys: ["total"], amount: 7, now: T });
    expect((await s.read(["total"], T)).get("total")).toEqual({ spent: big + 7, reserved: 0 });
    expect((await charge(s, { lines: [{ key: "total", limit: big + 9 }], keys: ["total"], amount: 2, enforce: true, now: T })).settled).toEqual([{ key: "total", spentBefore: big + 7, spentAfter: big + 9 }]);
    expect((await charge(s, { lines: [{ key: "total", limit: big + 9 }], keys: ["total"], amount: 1, enforce: true, now: T })).ok).toBe(false);
  });

  it_("two handles (two processes) share the budget: concurrent reserves never pass the limit", async () => {
    const a = fresh();
    const b = h.again();
    const lines = [{ key: "daily:d", limit: 1000 }, { key: "total" }];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => reserve(i % 2 === 0 ? a : b, `r${i}`, 100, lines)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    for (let i = 0; i < 40; i++) if (results[i]?.ok === true) await (i % 2 === 0 ? b : a).settle({ id: `r${i}`, keys: ["daily:d", "total"], amount: 100, now: T });
    expect((await a.read(["daily:d"], T)).get("daily:d")).toEqual({ spent: 1000, reserved: 0 });
  });

  (kind.persistent && kind.skip === undefined ? it : it.skip)("spend outlives the handle: a new one sees it", async () => {
    const s = fresh();
    await s.settle({ id: "a", keys: ["total", "daily:d"], amount: 123, now: T });
    await reserve(s, "open", 5, [{ key: "total" }]);
    await s.close?.();
    const again = h.again();
    expect(Object.fromEntries(await again.read(["total", "daily:d"], T))).toEqual({ total: { spent: 123, reserved: 5 }, "daily:d": { spent: 123, reserved: 0 } });
  });
});
