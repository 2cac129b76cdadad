// Successive sessions (a new governor and a new store handle each, as successive `aegis run`s)
// over the persistent stores, under an injected clock: earlier spend counts against the total and
// daily budgets, and a new day — UTC, or a zone's across a DST change — starts fresh.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGovernor, type Limits } from "../core/policy/index.js";
import { limits, manualClock, REFERENCE_PRICES, usage, type ManualClock } from "../core/policy/testing.js";
import { createSqliteStore } from "./sqlite-store.js";
import { createRedisStore } from "./redis-store.js";
import type { PersistentStore } from "./types.js";
import { redisUnavailableReason, startRedis, type TestRedis } from "../../test/helpers/redis-server.js";

const dir = mkdtempSync(join(tmpdir(), "aegis-sessions-"));
const redisSkip = redisUnavailableReason();
let redis: TestRedis | undefined;
beforeAll(async () => {
  if (redisSkip === undefined) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const KINDS: { name: string; skip?: string; place: () => () => PersistentStore }[] = [
  { name: "sqlite", place: () => { const path = join(dir, `s${++seq}.db`); return () => createSqliteStore(path); } },
  {
    name: "redis",
    ...(redisSkip !== undefined ? { skip: redisSkip } : {}),
    place: () => { const prefix = `aegis:{s${++seq}}:`; return () => createRedisStore(redis?.url ?? "", { prefix }); },
  },
];

const TEN_K = usage("gpt-4o", 10_000, 10_000); // $0.125
let calls = 0;
// One call in a fresh session: a new governor on a new handle of the same store, closed afterwards.
async function callInNewSession(open: () => PersistentStore, l: Limits, clock: ManualClock) {
  const store = open();
  const g = createGovernor({ sessionId: `s${++calls}`, limits: l, agents: [], pricing: REFERENCE_PRICES, clock: clock.now, store });
  try {
    return await g.record({ usage: TEN_K, fingerprint: `f${calls}` });
  } finally {
    await store.close();
  }
}

describe.each(KINDS)("sessions over the $name store", (kind) => {
  const it_ = kind.skip !== undefined ? it.skip : it;

  it_("earlier sessions count against budget_usd and daily_budget_usd; a new UTC day starts fresh", async () => {
    const open = kind.place();
    const clock = manualClock(Date.UTC(2026, 2, 14, 23, 0));
    const l = limits({ budget: 0.45, daily: 0.3, alertThreshold: 1 });
    expect((await callInNewSession(open, l, clock)).action).not.toBe("block");
    expect((await callInNewSession(open, l, clock)).action).not.toBe("block");
    expect(await callInNewSession(open, l, clock)).toMatchObject({
      action: "block",
      dimension: "daily",
      reason: "Daily spend $0.3750 would exceed daily budget $0.3000 (day 2026-03-14 UTC, resets 2026-03-15T00:00Z)",
    });
    clock.set(Date.UTC(2026, 2, 14, 23, 59, 59, 999));
    expect((await callInNewSession(open, l, clock)).dimension).toBe("daily");
    clock.set(Date.UTC(2026, 2, 15, 0, 0)); // midnight UTC: the day is fresh, the total is not
    expect((await callInNewSession(open, l, clock)).action).not.toBe("block");
    // Today's $0.25 would fit the daily budget; the $0.25 of the earlier day still counts in the total.
    expect(await callInNewSession(open, l, clock)).toMatchObject({ action: "block", dimension: "budget", reason: "Total spend $0.5000 would exceed budget $0.4500" });
  });

  it_.each([
    // [what, first instant of the local day, its length in hours, day, next day]
    ["spring forward (23-hour day)", Date.UTC(2026, 2, 28, 23), 23, "2026-03-29", "2026-03-30"],
    ["fall back (25-hour day)", Date.UTC(2026, 9, 24, 22), 25, "2026-10-25", "2026-10-26"],
  ])("Europe/Berlin %s: the daily budget resets at local midnight", async (_what, start, hours, day, next) => {
    const open = kind.place();
    const l: Limits = { ...limits({ daily: 0.125, alertThreshold: 1 }), dailyResetTimezone: "Europe/Berlin" };
    const clock = manualClock(start - 1);
    expect((await callInNewSession(open, l, clock)).action).not.toBe("block"); // the last instant of the day before
    clock.set(start);
    expect((await callInNewSession(open, l, clock)).action).not.toBe("block");
    clock.set(start + hours * 3_600_000 - 1); // the day's last millisecond: still the same day
    expect(await callInNewSession(open, l, clock)).toMatchObject({
      action: "block",
      dimension: "daily",
      reason: `Daily spend $0.2500 would exceed daily budget $0.1250 (day ${day} Europe/Berlin, resets ${next}T00:00 local)`,
    });
    clock.set(start + hours * 3_600_000);
    expect((await callInNewSession(open, l, clock)).action).not.toBe("block");
  });
});
