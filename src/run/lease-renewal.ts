// Keeps the store leases of a run's calls in flight alive (issue 6): every third of the lease the
// governor renews its open reservations, so a proxied call that streams for longer than the lease
// keeps its worst case reserved against other runs. A run that dies stops renewing and its
// reservations lapse one lease later. The timer is unref'd: it never keeps a finished run alive.

/** Options of startLeaseRenewal. */
export interface LeaseRenewalOptions {
  /** Renews every open reservation (Governor.renewLeases). */
  renew: () => Promise<void>;
  leaseMs: number;
  /** A renewal that failed with anything but an unavailable store (a bug): said once per failure. */
  onError: (error: unknown) => void;
}

// A floor on the period, so an absurdly short lease cannot turn the timer into a busy loop.
const MIN_PERIOD_MS = 10;

/** Starts renewing; stop() ends it (call it before the store is closed). */
export function startLeaseRenewal(o: LeaseRenewalOptions): { stop: () => void } {
  let running = false;
  const timer = setInterval(
    () => {
      // A renewal still waiting on a slow store is not doubled: the next tick asks again.
      if (running) return;
      running = true;
      o.renew()
        .catch(o.onError)
        .finally(() => (running = false));
    },
    Math.max(MIN_PERIOD_MS, o.leaseMs / 3),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
