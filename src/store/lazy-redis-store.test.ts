import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../core/policy/index.js";
import { lazyRedisStore } from "./lazy-redis-store.js";
import { freePort } from "../../test/helpers/redis-server.js";

describe("lazyRedisStore", () => {
  it("names the store (password hidden) and closes without ever loading or connecting", async () => {
    const s = lazyRedisStore("redis://:secret@127.0.0.1:1/0");
    expect(s.url).toBe("redis://:***@127.0.0.1:1/0");
    await expect(s.close()).resolves.toBeUndefined();
  });

  it("loads the Redis store on first use and answers as it does", async () => {
    const port = await freePort();
    const s = lazyRedisStore(`redis://127.0.0.1:${port}/0`);
    const e: unknown = await s.ping().then(() => undefined, (error: unknown) => error);
    expect(e).toBeInstanceOf(StoreUnavailableError);
    expect(e instanceof Error ? e.message : "").toMatch(new RegExp(`^Budget store redis://127\\.0\\.0\\.1:${port}/0 is unreachable`));
    await s.close();
  });
});
