// What the governor does when the shared budget store cannot answer (StoreUnavailableError):
// fail closed by default — no call is admitted that cannot be accounted for — or, under
// `store.fail_open`, admit with a warning the meter writes to stderr and the ledger.

import type { Nanos } from "../money.js";
import { StoreUnavailableError } from "./store.js";
import type { Decision } from "./types.js";

/** The decision for a call the store could not account for (dimension "store", never fatal). */
export function storeDownDecision(failOpen: boolean, cause: string, cost: Nanos, sessionSpent: Nanos): Decision {
  const base = { dimension: "store" as const, cost, fatal: false, alerts: [] };
  if (failOpen) {
    return {
      action: "warn",
      reason: `${cause}; call admitted without accounting (store.fail_open: true)`,
      cumulative: sessionSpent + cost,
      log: true,
      ...base,
    };
  }
  return {
    action: "block",
    reason: `${cause}; call refused: it cannot be accounted for (store.fail_open: false)`,
    cumulative: sessionSpent,
    ...base,
  };
}

/** The StoreUnavailableError behind a rejection, or undefined for anything else. */
export function isUnavailable(error: unknown): StoreUnavailableError | undefined {
  return error instanceof StoreUnavailableError ? error : undefined;
}

/** A rejection the governor absorbs (StoreUnavailableError); anything else is a bug and is rethrown. */
export function unavailable(error: unknown): StoreUnavailableError {
  const down = isUnavailable(error);
  if (down === undefined) throw error;
  return down;
}
