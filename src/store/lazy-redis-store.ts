// The Redis store, loaded on its first use: ioredis costs ~20 MB of memory and ~100 ms of start-up,
// which only runs that name a redis:// store should pay (the default store is SQLite).

import type { ChargingStore } from "./types.js";
import { redactRedisUrl } from "./redis-url.js";

/** The Redis store for `url` (see createRedisStore), importing it and ioredis on first use. */
export function lazyRedisStore(url: string): ChargingStore {
  let loaded: Promise<ChargingStore> | undefined;
  const store = (): Promise<ChargingStore> => (loaded ??= import("./redis-store.js").then((m) => m.createRedisStore(url)));
  return {
    url: redactRedisUrl(url),
    ping: () => store().then((s) => s.ping()),
    read: (keys, now) => store().then((s) => s.read(keys, now)),
    reserve: (req) => store().then((s) => s.reserve(req)),
    settle: (req) => store().then((s) => s.settle(req)),
    charge: (req) => store().then((s) => s.charge(req)),
    release: (id) => store().then((s) => s.release(id)),
    renew: (ids, now, leaseMs) => store().then((s) => s.renew(ids, now, leaseMs)),
    // Never opened: nothing to close (and nothing to load).
    close: () => (loaded === undefined ? Promise.resolve() : loaded.then((s) => s.close())),
  };
}
