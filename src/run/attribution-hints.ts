// Attribution hints: an in-process integration's pre-flight check names the agent of a call and
// the fingerprint of its request; when the same request then reaches the proxy without an
// `x-aegis-agent` header, the proxy charges it to that agent. A hint is not spend: it only says
// who is about to make which call, lasts a short while, and serves one call.

/** Options of the hint book. */
export interface HintBookOptions {
  clock: () => number;
  /** How long a hint waits for its call (default 30 s). */
  ttlMs?: number;
  /** Most hints held at once; the oldest go first (default 1000). */
  max?: number;
}

/** Fingerprint → agent hints, each used once. */
export interface HintBook {
  /** Remembers that a call with this fingerprint is about to be made by `agentId`. */
  remember(fingerprint: string, agentId: string): void;
  /** The agent of the oldest live hint for this fingerprint, consumed; undefined when there is none. */
  take(fingerprint: string): string | undefined;
}

interface Hint {
  agentId: string;
  at: number;
}

/** Creates an empty hint book. */
export function createHintBook(o: HintBookOptions): HintBook {
  const ttl = o.ttlMs ?? 30_000;
  const max = o.max ?? 1000;
  // Per fingerprint, hints in arrival order (two agents may check the same prompt at once).
  const byFingerprint = new Map<string, Hint[]>();
  let size = 0;

  const drop = (fingerprint: string, list: Hint[], count: number): void => {
    list.splice(0, count);
    size -= count;
    if (list.length === 0) byFingerprint.delete(fingerprint);
  };
  // Drops expired hints of one fingerprint (they are in arrival order, so from the front).
  const expire = (fingerprint: string, list: Hint[], now: number): void => {
    let stale = 0;
    while (stale < list.length && now - (list[stale]?.at ?? 0) > ttl) stale++;
    if (stale > 0) drop(fingerprint, list, stale);
  };

  return {
    remember(fingerprint, agentId) {
      const now = o.clock();
      while (size >= max) {
        // Map iteration order is insertion order: drop from the longest-known fingerprint first.
        const first = byFingerprint.entries().next();
        if (first.done === true) break;
        drop(first.value[0], first.value[1], 1);
      }
      const list = byFingerprint.get(fingerprint);
      if (list === undefined) byFingerprint.set(fingerprint, [{ agentId, at: now }]);
      else list.push({ agentId, at: now });
      size++;
    },
    take(fingerprint) {
      const list = byFingerprint.get(fingerprint);
      if (list === undefined) return undefined;
      expire(fingerprint, list, o.clock());
      const hint = list[0];
      if (hint === undefined) return undefined;
      drop(fingerprint, list, 1);
      return hint.agentId;
    },
  };
}
