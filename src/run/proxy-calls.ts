// The calls the proxy metered, remembered for a short while so that an in-process integration
// recording the same call through POST /v1/record is not charged a second time. A record is the
// proxy's call when the usage is the same (same priced model, identical billed token counts) and,
// when the record carries a fingerprint, the fingerprint is the call's own (the request's, or the
// one an integration sent in `x-aegis-fingerprint`). Without a fingerprint the match is looser, so
// its window is tighter. Each proxy call absorbs at most one record.
import type { Usage } from "../core/usage.js";

/** A proxy call a record was matched to. */
export interface ProxyCallMatch {
  /** The call's ledger id. */
  callId: string;
  /** The agent it was charged to. */
  agentId: string;
  /** Its cost in nanos. */
  cost: number;
}

/** Options of the book. */
export interface ProxyCallBookOptions {
  clock: () => number;
  /** Whether two model ids price as the same model. */
  sameModel: (a: string, b: string) => boolean;
  /** How long a settled call can absorb a record carrying its fingerprint (default 60 s). */
  windowMs?: number;
  /** How long it can absorb a record without a fingerprint (default 10 s). */
  looseWindowMs?: number;
  /** Most calls remembered; the oldest go first (default 1000). */
  max?: number;
  /** Longest a record waits for a proxy call with its fingerprint still in flight (default 2 s). */
  waitMs?: number;
}

/** The proxy's calls, in flight and settled. */
export interface ProxyCallBook {
  /** A call was admitted and forwarded: `fingerprints` identify it. */
  admitted(reservationId: string, fingerprints: readonly string[]): void;
  /** Its real usage is known and it is being recorded (synchronously, before the ledger write). */
  settling(reservationId: string, usage: Usage): void;
  /** It was recorded under this ledger id. */
  settled(reservationId: string, match: ProxyCallMatch): void;
  /** It ended without a real usage (released, or billed at its estimate): no record can be it. */
  ended(reservationId: string): void;
  /** The unclaimed proxy call a record is a copy of, claimed; undefined when there is none. */
  claim(usage: Usage, fingerprint: string | undefined): Promise<ProxyCallMatch | undefined>;
}

// An entry holds plain data only. It outlives the proxied request by up to a minute, and a
// promise or closure made while that request was handled would keep the request alive with it:
// a promise carries the request's async context (the server's AsyncLocalStorage holds its
// ServerResponse, hence the IncomingMessage and, through its body reader, the whole request body).
// Measured: 1 MB prompts kept ~2 MB of RSS each, up to the book's 1000 calls. So the promise a
// record waits on is made by the record, when it waits.
interface Entry {
  fingerprints: readonly string[];
  usage?: Usage;
  at: number;
  claimed: boolean;
  /** Once it ended: the ledger facts when it was recorded, null when it ended without usage. */
  outcome?: ProxyCallMatch | null;
  /** Records waiting for the outcome. */
  waiters?: (() => void)[];
}

// Ends an entry (the first outcome stands) and wakes the records waiting for it.
function finish(e: Entry | undefined, match: ProxyCallMatch | undefined): void {
  if (e === undefined || e.outcome !== undefined) return;
  e.outcome = match ?? null;
  const waiters = e.waiters;
  delete e.waiters;
  for (const wake of waiters ?? []) wake();
}

// The entry's outcome once it has ended: the match, or undefined when it ended without usage.
function outcomeOf(e: Entry): Promise<ProxyCallMatch | undefined> {
  if (e.outcome !== undefined) return Promise.resolve(e.outcome ?? undefined);
  return new Promise((resolve) => (e.waiters ??= []).push(() => resolve(e.outcome ?? undefined)));
}

const BILLED: readonly (keyof Usage)[] = ["inputTokens", "cacheReadTokens", "cacheWrite5mTokens", "cacheWrite1hTokens", "outputTokens"];

/** Creates the book of one session. */
export function createProxyCallBook(o: ProxyCallBookOptions): ProxyCallBook {
  const windowMs = o.windowMs ?? 60_000;
  const looseMs = o.looseWindowMs ?? 10_000;
  const max = o.max ?? 1000;
  const waitMs = o.waitMs ?? 2_000;
  const entries = new Map<string, Entry>();
  // Entries by fingerprint, so that a record (every /v1/record of an integration under `aegis run`
  // asks) looks at the calls with its fingerprint only, not at up to 1000 others.
  const byFingerprint = new Map<string, Set<Entry>>();

  const sameUsage = (a: Usage, b: Usage): boolean => o.sameModel(a.model, b.model) && BILLED.every((k) => a[k] === b[k]);
  const drop = (id: string, e: Entry): void => {
    entries.delete(id);
    for (const f of e.fingerprints) {
      const set = byFingerprint.get(f);
      if (set === undefined) continue;
      set.delete(e);
      if (set.size === 0) byFingerprint.delete(f);
    }
  };
  // Runs on every admission, so it must not walk the whole book: the map is kept in order of `at`
  // for settled calls (settling moves a call to the end), so expired ones are at the front and
  // the walk stops at the first settled call still inside the window. Calls in flight are only
  // passed over; those ahead of a live settled call have been in flight longer than it has been
  // settled, so few. (Walking all of up to 1000 entries per call was the proxy's largest
  // allocation: ~40% of its bytes at c=64, one [key, value] pair per entry.)
  const prune = (now: number): void => {
    for (const id of entries.keys()) {
      const e = entries.get(id) as Entry;
      if (e.usage === undefined) continue;
      if (now - e.at <= windowMs) break;
      drop(id, e);
    }
    while (entries.size > max) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      const e = entries.get(oldest.value) as Entry;
      finish(e, undefined);
      drop(oldest.value, e);
    }
  };
  // The oldest unclaimed settled call the record can be a copy of, claimed at once (so that two
  // concurrent records cannot both claim it).
  const find = (usage: Usage, fingerprint: string | undefined): Entry | undefined => {
    const now = o.clock();
    const candidates = fingerprint === undefined ? entries.values() : (byFingerprint.get(fingerprint) ?? []);
    for (const e of candidates) {
      if (e.claimed || e.usage === undefined) continue;
      if (now - e.at > (fingerprint === undefined ? looseMs : windowMs)) continue;
      if (!sameUsage(e.usage, usage)) continue;
      e.claimed = true;
      return e;
    }
    return undefined;
  };
  const inFlight = (fingerprint: string): Entry[] => [...(byFingerprint.get(fingerprint) ?? [])].filter((e) => e.usage === undefined);

  return {
    admitted(reservationId, fingerprints) {
      const e: Entry = { fingerprints, at: o.clock(), claimed: false };
      entries.set(reservationId, e);
      for (const f of fingerprints) {
        const set = byFingerprint.get(f);
        if (set === undefined) byFingerprint.set(f, new Set([e]));
        else set.add(e);
      }
      prune(o.clock());
    },
    settling(reservationId, usage) {
      const e = entries.get(reservationId);
      if (e === undefined) return;
      e.usage = usage;
      e.at = o.clock();
      // To the end of the map, which prune relies on being in order of `at` for settled calls.
      entries.delete(reservationId);
      entries.set(reservationId, e);
    },
    settled(reservationId, match) {
      finish(entries.get(reservationId), match);
    },
    ended(reservationId) {
      const e = entries.get(reservationId);
      finish(e, undefined);
      if (e !== undefined) drop(reservationId, e);
    },
    async claim(usage, fingerprint) {
      let e = find(usage, fingerprint);
      let waiting = e === undefined && fingerprint !== undefined ? inFlight(fingerprint) : [];
      if (waiting.length > 0 && fingerprint !== undefined) {
        // The record may have overtaken the proxy's settlement of the same request: wait
        // (bounded) for the calls in flight with this fingerprint, looking again as each ends.
        let timedOut = false;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            timedOut = true;
            resolve();
          }, waitMs);
        });
        while (e === undefined && waiting.length > 0 && !timedOut) {
          await Promise.race([...waiting.map(outcomeOf), timeout]);
          e = find(usage, fingerprint);
          waiting = inFlight(fingerprint);
        }
        clearTimeout(timer);
      }
      return e === undefined ? undefined : await outcomeOf(e);
    },
  };
}
