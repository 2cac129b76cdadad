// A store that cannot answer says so in words (StoreUnavailableError naming the store and the
// cause), never hangs, and recovers when the cause goes away.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../core/policy/index.js";
import { createSqliteStore } from "./sqlite-store.js";
import { createRedisStore } from "./redis-store.js";
import { freePort, redisUnavailableReason, startRedis } from "../../test/helpers/redis-server.js";

const dir = mkdtempSync(join(tmpdir(), "aegis-unavail-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const redisSkip = redisUnavailableReason();
const itRedis = redisSkip === undefined ? it : it.skip;

const failure = async (p: Promise<unknown>): Promise<StoreUnavailableError> => {
  const e: unknown = await p.then(() => undefined, (error: unknown) => error);
  expect(e).toBeInstanceOf(StoreUnavailableError);
  return e as StoreUnavailableError;
};

describe("SQLite store that cannot be used", () => {
  it("a new store file is owner-only (mode 0600), like the ledger", async () => {
    const path = join(dir, "private.db");
    const s = createSqliteStore(path);
    await s.ping();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await s.close();
  });

  it("a garbage file: every operation fails with the path and what to do; fixing the file recovers", async () => {
    const path = join(dir, "garbage.db");
    writeFileSync(path, "this is not a database, it is a shopping list\n".repeat(200));
    const s = createSqliteStore(path);
    const e = await failure(s.reserve({ id: "a", lines: [{ key: "total", limit: 5 }], amount: 1, enforce: true, now: 1, leaseMs: 10 }));
    expect(e.message).toBe(`Budget store ${path} is not a usable SQLite database (file is not a database); move it aside or point store: at another file`);
    await failure(s.read(["total"], 1));
    await failure(s.settle({ id: "a", keys: ["total"], amount: 1, now: 1 }));
    rmSync(path);
    await s.ping();
    expect((await s.read(["total"], 1)).get("total")).toEqual({ spent: 0, reserved: 0 });
    await s.close();
  });

  it("a path that cannot be created names the cause", async () => {
    writeFileSync(join(dir, "file"), "");
    const e = await failure(createSqliteStore(join(dir, "file", "budget.db")).ping());
    expect(e.message).toMatch(/^Budget store .*file\/budget\.db cannot be opened \((EEXIST|ENOTDIR): .*\)$/);
  });

  it("a lock held past the busy timeout fails instead of waiting forever", async () => {
    const path = join(dir, "locked.db");
    const holder = createSqliteStore(path);
    await holder.ping();
    const Database = (await import("better-sqlite3")).default;
    const raw = new Database(path);
    raw.exec("BEGIN IMMEDIATE");
    const s = createSqliteStore(path, { busyTimeoutMs: 50 });
    const e = await failure(s.read(["total"], 1));
    expect(e.message).toMatch(/^Budget store .* is busy: another process held its lock past the busy timeout/);
    raw.exec("ROLLBACK");
    raw.close();
    expect((await s.read(["total"], 1)).get("total")).toEqual({ spent: 0, reserved: 0 });
    await s.close();
    await holder.close();
  });
});

describe("Redis store that cannot be reached", () => {
  itRedis("a closed port: fails fast with the URL and the cause", async () => {
    const port = await freePort();
    const s = createRedisStore(`redis://:secret@127.0.0.1:${port}/0`, { timeoutMs: 500 });
    const e = await failure(s.reserve({ id: "a", lines: [{ key: "total" }], amount: 1, enforce: true, now: 1, leaseMs: 10 }));
    expect(e.message).toBe(`Budget store redis://:***@127.0.0.1:${port}/0 is unreachable (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(e.message).not.toContain("secret");
    await failure(s.read(["total"], 1));
    await s.close();
  });

  itRedis("a server that dies and comes back: calls fail meanwhile, then work again", async () => {
    const r = await startRedis();
    const s = createRedisStore(r.url, { timeoutMs: 500 });
    await s.settle({ id: "a", keys: ["total"], amount: 5, now: 1 });
    await r.stop();
    const e = await failure(s.read(["total"], 1));
    expect(e.message).toMatch(new RegExp(`^Budget store redis://127\\.0\\.0\\.1:${r.port}/0 is unreachable \\(`));
    const back = await startRedis(r.port); // an empty server: ioredis reconnects by itself
    await expect.poll(() => s.ping().then(() => true, () => false), { timeout: 5000, interval: 50 }).toBe(true);
    expect((await s.read(["total"], 1)).get("total")).toEqual({ spent: 0, reserved: 0 });
    await s.close();
    await back.stop();
  });
});
