// A persistent store as `aegis run` uses it: settlements that could not be written (the store was
// down after the call was admitted, or the call was admitted under store.fail_open) are kept and
// written as soon as the store answers again — money already spent is never dropped from the
// shared budgets while the run lives — and outages are announced once when they start and once
// when they end, not on every call. Whatever is still unwritten at close is reported.

import { formatUsd, type Nanos } from "../core/money.js";
import { StoreUnavailableError, type ChargeRequest, type SettleRequest } from "../core/policy/store.js";
import type { PersistentStore } from "./types.js";

/** A PersistentStore that keeps failed settlements and replays them. */
export interface ResilientStore extends PersistentStore {
  /** Settlements not yet written to the store. */
  pending(): { count: number; amount: Nanos };
}

/** Wraps `inner`; `notify` receives one stderr line per outage start, end and unwritten leftover. */
export function resilientStore(inner: PersistentStore, notify: (line: string) => void): ResilientStore {
  const queue: SettleRequest[] = [];
  const charge = inner.charge?.bind(inner);
  let down: string | undefined;
  let flushing: Promise<void> | undefined;

  const failed = (error: unknown): never => {
    if (error instanceof StoreUnavailableError && down === undefined) {
      down = error.message;
      notify(`aegis: ${error.message}`);
    }
    throw error;
  };
  const answered = (): void => {
    if (down === undefined) return;
    down = undefined;
    notify(`aegis: budget store ${inner.url} answers again`);
  };

  // Replays kept settlements in order; stops at the first failure (the store is still down).
  const flush = (): Promise<void> => {
    if (queue.length === 0) return Promise.resolve();
    flushing ??= (async () => {
      let written = 0;
      let amount = 0;
      try {
        while (queue[0] !== undefined) {
          await inner.settle(queue[0]);
          amount += queue[0].amount;
          queue.shift();
          written++;
        }
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
      } finally {
        if (written > 0) notify(`aegis: wrote ${written} delayed settlement${written === 1 ? "" : "s"} (${formatUsd(amount)}) to budget store ${inner.url}`);
        flushing = undefined;
      }
    })();
    return flushing;
  };

  const attempt = <T>(op: () => Promise<T>): Promise<T> => {
    let pending: Promise<T>;
    try {
      pending = op();
    } catch (error) {
      pending = Promise.reject(error as Error);
    }
    return pending.then((result) => {
      answered();
      return result;
    }, failed);
  };
  // Kept settlements go first. With none kept (the store answering, the usual case) the operation
  // is asked at once, in the caller's turn: no extra promise and async frame on every call.
  const guard = <T>(op: () => Promise<T>): Promise<T> => (queue.length === 0 && flushing === undefined ? attempt(op) : flush().then(() => attempt(op)));

  return {
    url: inner.url,
    ping: () => guard(() => inner.ping()),
    read: (keys, now) => guard(() => inner.read(keys, now)),
    reserve: (req) => guard(() => inner.reserve(req)),
    // A failed charge wrote nothing: the governor treats it as a failed reserve.
    ...(charge !== undefined ? { charge: (req: ChargeRequest) => guard(() => charge(req)) } : {}),
    release: (id) => guard(() => inner.release(id)),
    // A failed renewal is not kept: the next one (a third of a lease later) asks again.
    renew: (ids, now, leaseMs) => guard(() => inner.renew(ids, now, leaseMs)),
    settle: (req) =>
      guard(() => inner.settle(req)).catch((error: unknown) => {
        if (!(error instanceof StoreUnavailableError)) throw error;
        queue.push(req);
        throw new StoreUnavailableError(`${error.message}; the spend is in the ledger and will be written to the store when it answers`, { cause: error });
      }),
    pending: () => ({ count: queue.length, amount: queue.reduce((sum, r) => sum + r.amount, 0) }),
    async close() {
      await flush();
      if (queue.length > 0) {
        const amount = queue.reduce((sum, r) => sum + r.amount, 0);
        notify(
          `aegis: ${queue.length} settlement${queue.length === 1 ? "" : "s"} (${formatUsd(amount)}) could not be written to budget store ${inner.url}; they are recorded in this session's ledger`,
        );
      }
      await inner.close();
    },
  };
}
