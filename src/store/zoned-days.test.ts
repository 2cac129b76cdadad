// Runs whose daily budgets reset in different zones share one persistent store (SQLite file, Redis
// server), under an injected clock: each run's daily budget counts only the spend of its own zone's
// day — a Berlin day and a New York day of the same date are different 24 hours — while the total
// budget counts everyone's. A UTC day row written by an earlier aegis (keyed by the date alone) still
// counts for UTC runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGovernor, dailyKey, TOTAL_KEY, type Governor, type Limits } from "../core/policy/index.js";
import { limits, manualClock, REFERENCE_PRICES, usage, type ManualClock } from "../core/policy/testing.js";
import { createSqliteStore } from "./sqlite-store.js";
import { createRedisStore } from "./redis-store.js";
import { formatStoreTotals, readStoreTotals } from "./totals.js";
import type { PersistentStore } from "./types.js";
import { redisUnavailableReason, startRedis, type TestRedis } from "../../test/helpers/redis-server.js";
import { writeSchema1File } from "../../test/helpers/sqlite-schema-1.js";
import { withDatabase } from "../../test/helpers/sqlite-file.js";

const dir = mkdtempSync(join(tmpdir(), "aegis-zoned-"));
const redisSkip = redisUnavailableReason();
let redis: TestRedis | undefined;
beforeAll(async () => {
  if (redisSkip === undefined) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// One shared store, seen the way each kind keeps it on disk or on the server.
interface Place {
  open: () => PersistentStore;
  /** Writes committed spend straight into the store, as an earlier aegis left it. */
  seed: (spend: Record<string, number>) => Promise<void>;
  /** The day rows the store holds, by their stored names. */
  dayRows: () => Promise<string[]>;
  /** Every server-side key (Redis) — they must stay the fixed ones of the {budget} slot. */
  serverKeys?: () => Promise<string[]>;
}

let seq = 0;
const KINDS: { name: string; skip?: string; place: () => Place }[] = [
  {
    name: "sqlite",
    place: () => {
      const path = join(dir, `z${++seq}.db`);
      return {
        open: () => createSqliteStore(path),
        // Spend an earlier aegis recorded: a schema-1 file, whose day rows were named by the bare date.
        seed(spend) {
          writeSchema1File(path, {
            spend: Object.entries(spend).map(([key, nanos]) =>
              key === TOTAL_KEY ? { table: "spend_total", name: "total", spent: nanos } : { table: "spend_daily", name: key.slice("daily:".length), spent: nanos },
            ),
          });
          return Promise.resolve();
        },
        dayRows: () => Promise.resolve(withDatabase(path, (db) => db.prepare<[], { key: string }>("SELECT key FROM spend WHERE key LIKE 'daily:%' ORDER BY key").all().map((r) => r.key))),
      };
    },
  },
  {
    name: "redis",
    ...(redisSkip !== undefined ? { skip: redisSkip } : {}),
    place: () => {
      const prefix = `aegis:{z${++seq}}:`;
      const raw = async <T>(fn: (r: Redis) => Promise<T>): Promise<T> => {
        const r = new Redis(redis?.url ?? "");
        try {
          return await fn(r);
        } finally {
          r.disconnect();
        }
      };
      return {
        open: () => createRedisStore(redis?.url ?? "", { prefix }),
        seed: (spend) => raw(async (r) => void (await r.hset(`${prefix}spent`, spend))),
        dayRows: () => raw(async (r) => (await r.hkeys(`${prefix}spent`)).filter((k) => k.startsWith("daily:")).sort()),
        serverKeys: () => raw(async (r) => (await r.keys(`${prefix}*`)).sort()),
      };
    },
  },
];

const TEN_K = usage("gpt-4o", 10_000, 10_000); // $0.125
const CALL = 125_000_000;
const inZone = (l: Limits, zone: string): Limits => ({ ...l, dailyResetTimezone: zone });

describe.each(KINDS)("days of several zones in one $name store", (kind) => {
  const it_ = kind.skip !== undefined ? it.skip : it;
  const opened: PersistentStore[] = [];
  let calls = 0;
  // One run: its own governor on its own handle of the shared store (a separate `aegis run`).
  const run = (place: Place, l: Limits, clock: ManualClock): Governor => {
    const store = place.open();
    opened.push(store);
    return createGovernor({ sessionId: `r${++calls}`, limits: l, agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store });
  };
  const spend = (g: Governor) => g.record({ usage: TEN_K, fingerprint: `f${++calls}` });
  afterAll(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it_("UTC, Berlin and New York runs each see only their own day against daily_budget_usd; budget_usd sees all", async () => {
    const place = kind.place();
    const clock = manualClock(Date.UTC(2026, 2, 14, 12, 0)); // 13:00 in Berlin, 08:00 in New York: 2026-03-14 everywhere
    const l = limits({ daily: 0.2, budget: 0.6, alertThreshold: 1 });
    const utc = run(place, l, clock);
    const berlin = run(place, inZone(l, "Europe/Berlin"), clock);
    const newYork = run(place, inZone(l, "America/New_York"), clock);
    // One $0.125 call each fits each daily budget of $0.20 (one shared day row would refuse the second).
    for (const g of [utc, berlin, newYork]) expect((await spend(g)).action).toBe("allow");
    for (const g of [utc, berlin, newYork]) expect((await g.report()).daily_spent).toBe(0.125);
    expect(await spend(berlin)).toMatchObject({
      action: "block",
      dimension: "daily",
      reason: "Daily spend $0.2500 would exceed daily budget $0.2000 (day 2026-03-14 Europe/Berlin, resets 2026-03-15T00:00 local)",
    });
    expect((await spend(newYork)).reason).toBe("Daily spend $0.2500 would exceed daily budget $0.2000 (day 2026-03-14 America/New_York, resets 2026-03-15T00:00 local)");
    expect((await spend(utc)).reason).toBe("Daily spend $0.2500 would exceed daily budget $0.2000 (day 2026-03-14 UTC, resets 2026-03-15T00:00Z)");
    // Both stores name a day's row by its budget key.
    expect(await place.dayRows()).toEqual(["daily:2026-03-14", "daily:2026-03-14@America/New_York", "daily:2026-03-14@Europe/Berlin"]);

    // 23:30 UTC is 00:30 on the 15th in Berlin: Berlin's new day is fresh; New York's and UTC's are not.
    clock.set(Date.UTC(2026, 2, 14, 23, 30));
    expect((await spend(berlin)).action).toBe("allow");
    expect((await spend(newYork)).dimension).toBe("daily");
    expect((await spend(utc)).dimension).toBe("daily");
    const store = place.open();
    opened.push(store);
    const read = await store.read([dailyKey("2026-03-14"), dailyKey("2026-03-14", "Europe/Berlin"), dailyKey("2026-03-15", "Europe/Berlin"), dailyKey("2026-03-14", "America/New_York"), TOTAL_KEY], clock.now());
    expect([...read.values()].map((t) => t.spent)).toEqual([CALL, CALL, CALL, CALL, 4 * CALL]);
    // The end-of-run summary and `aegis report --store` name each run's own day row and zone.
    const shown = await Promise.all(["UTC", "europe/berlin", "America/New_York"].map(async (zone) => formatStoreTotals(await readStoreTotals(store, "budget.db", zone, clock.now()))));
    expect(shown).toEqual([
      "aegis: budget store budget.db: today (2026-03-14 UTC) $0.1250, all time $0.5000",
      "aegis: budget store budget.db: today (2026-03-15 Europe/Berlin) $0.1250, all time $0.5000",
      "aegis: budget store budget.db: today (2026-03-14 America/New_York) $0.1250, all time $0.5000",
    ]);

    // Midnight UTC: the UTC day is fresh, but the total holds every zone's spend ($0.50 of $0.60).
    clock.set(Date.UTC(2026, 2, 15, 0, 0));
    expect(await spend(utc)).toMatchObject({ action: "block", dimension: "budget", reason: "Total spend $0.6250 would exceed budget $0.6000" });
    if (place.serverKeys !== undefined) {
      // Day keys are fields of the spent/reserved hashes: no Redis key outside the store's hash slot.
      const names = (await place.serverKeys()).map((k) => k.replace(/^aegis:\{z\d+\}:/, ""));
      expect(names).toContain("spent");
      for (const n of names) expect(["spent", "reserved", "leases", "resv", "settled"]).toContain(n);
    }
  });

  it_("a UTC day row of an earlier aegis (keyed by the date alone) still counts for UTC runs, not for a Berlin run", async () => {
    const place = kind.place();
    await place.seed({ "daily:2026-03-14": 100_000_000, [TOTAL_KEY]: 100_000_000 }); // $0.10 spent today, before this version
    const clock = manualClock(Date.UTC(2026, 2, 14, 12, 0));
    const l = limits({ daily: 0.2, alertThreshold: 1 });
    expect(await spend(run(place, l, clock))).toMatchObject({
      action: "block",
      dimension: "daily",
      reason: "Daily spend $0.2250 would exceed daily budget $0.2000 (day 2026-03-14 UTC, resets 2026-03-15T00:00Z)",
    });
    expect(await spend(run(place, inZone(l, "Etc/UTC"), clock))).toMatchObject({ action: "block", dimension: "daily" });
    expect((await spend(run(place, inZone(l, "Europe/Berlin"), clock))).action).toBe("allow");
    const store = place.open();
    opened.push(store);
    expect(await readStoreTotals(store, "s", "UTC", clock.now())).toEqual({ url: "s", day: "2026-03-14", zone: "UTC", today: 100_000_000, allTime: 225_000_000 });
  });
});
