// Which budget store a URL names, opened the way `aegis run` uses it: redis:// or rediss:// is the
// fleet store, anything else a SQLite file path. The store is probed once at start so an outage is
// announced before the agent's first call, with what will happen to its calls.

import { isAbsolute, relative, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { StoreUnavailableError } from "../core/policy/store.js";
import { lazyRedisStore } from "./lazy-redis-store.js";
import { resilientStore, type ResilientStore } from "./resilient-store.js";
import { createSqliteStore } from "./sqlite-store.js";
import type { PersistentStore } from "./types.js";

/** True for the URLs of the Redis store. */
export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\//i.test(url);
}

/** `--store` as given on the command line: Redis URLs as they are, paths resolved against `cwd`. */
export function resolveStoreUrl(url: string, cwd: string): string {
  if (url.trim() === "" || (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !isRedisUrl(url))) {
    throw new UsageError(`--store: expected a SQLite file path or a redis://host:port/db URL, received "${url}"`);
  }
  return isRedisUrl(url) || isAbsolute(url) ? url : resolve(cwd, url);
}

/** The store a URL names (not yet connected or opened: both happen on first use); paths are shown relative to `cwd`. */
export function createStore(url: string, cwd?: string): PersistentStore {
  if (isRedisUrl(url)) return lazyRedisStore(url);
  const rel = cwd === undefined ? "" : relative(cwd, url);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return createSqliteStore(url, inside ? { shownAs: rel } : {});
}

/** Options of openBudgetStore. */
export interface OpenBudgetStoreOptions {
  /** An absolute SQLite path or a Redis URL (see resolveStoreUrl). */
  url: string;
  failOpen: boolean;
  /** One line to stderr. */
  notify: (line: string) => void;
  /** Where SQLite paths are shown relative to. */
  cwd?: string;
}

/** Opens the session's budget store and probes it; an unavailable store is announced, not fatal. */
export async function openBudgetStore(o: OpenBudgetStoreOptions): Promise<ResilientStore> {
  const store = resilientStore(createStore(o.url, o.cwd), o.notify);
  try {
    await store.ping();
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    // The outage line itself was printed by the resilient store; say what it means for the run.
    o.notify(
      o.failOpen
        ? "aegis: store.fail_open is true: calls are admitted without the shared budgets until the store answers, and written to it then"
        : "aegis: calls are refused until the store answers: no call is admitted that cannot be accounted for (set store.fail_open: true to admit them)",
    );
  }
  return store;
}
