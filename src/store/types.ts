// What a persistent budget store adds to the governor's SharedBudgetStore seam: where it is (for
// messages), a cheap reachability probe, and close().

import type { SharedBudgetStore } from "../core/policy/store.js";

/** A SQLite- or Redis-backed SharedBudgetStore. */
export interface PersistentStore extends SharedBudgetStore {
  /** The store as users name it: the SQLite path, or the Redis URL without its password. */
  readonly url: string;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A persistent store that also charges a record in one atomic step (SharedBudgetStore.charge). */
export type ChargingStore = PersistentStore & Required<Pick<SharedBudgetStore, "charge">>;
