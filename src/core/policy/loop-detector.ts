// Loop detection (DESIGN §6): the Nth identical call from one agent within the window is refused.
// "Identical" is the same agent, model and request fingerprint — different prompts to the same
// model are ordinary traffic, not a loop (the reference's defect, reference-semantics §9.1).
//
// Every attempt counts, including ones that end up blocked: an agent stuck in a loop keeps
// retrying, and it stays blocked until it has stopped repeating for a whole window.
// Pre-flight checks only peek; they never add to the window.

/** Key of "identical" calls: agent, model and fingerprint. */
export function loopKey(agentId: string, model: string, fingerprint: string): string {
  return `${agentId}\u0000${model}\u0000${fingerprint}`;
}

/** Counts identical attempts per key in a sliding window. */
export class LoopDetector {
  private readonly seen = new Map<string, number[]>();
  // Every attempt in arrival order (a queue read from `head`), so attempts leaving the window are
  // forgotten in O(1) each. A periodic scan of every key instead cost O(keys) per 1000 attempts:
  // at thousands of distinct calls a second that is hundreds of thousands of keys per scan.
  private queueKeys: string[] = [];
  private queueTimes: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** Records an attempt at `now` and returns how many identical attempts the window now holds. */
  attempt(key: string, now: number): number {
    this.forget(now);
    const kept = this.live(key, now);
    kept.push(now);
    this.seen.set(key, kept);
    this.queueKeys.push(key);
    this.queueTimes.push(now);
    return kept.length;
  }

  /** How many keys are remembered (attempts still in the window): bounded by the window's traffic. */
  get size(): number {
    return this.seen.size;
  }

  /** How many identical attempts the window would hold if one more were made at `now`. */
  peek(key: string, now: number): number {
    return this.live(key, now).length + 1;
  }

  // Timestamps strictly inside the window (t > now - window), as the reference keeps them.
  private live(key: string, now: number): number[] {
    const cutoff = now - this.windowMs;
    const times = this.seen.get(key);
    if (times === undefined) return [];
    return times.every((t) => t > cutoff) ? times : times.filter((t) => t > cutoff);
  }

  // Drops the attempts that have left the window, and keys with none left, so long sessions do not
  // grow without bound. Times are filtered, not assumed sorted: the clock may step back.
  private forget(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.queueTimes.length && (this.queueTimes[this.head] ?? Infinity) <= cutoff) {
      const key = this.queueKeys[this.head] ?? "";
      this.head++;
      const times = this.seen.get(key);
      if (times === undefined) continue;
      const kept = times.filter((t) => t > cutoff);
      if (kept.length === 0) this.seen.delete(key);
      else this.seen.set(key, kept);
    }
    if (this.head > 1024 && this.head * 2 > this.queueTimes.length) {
      this.queueKeys = this.queueKeys.slice(this.head);
      this.queueTimes = this.queueTimes.slice(this.head);
      this.head = 0;
    }
  }
}
