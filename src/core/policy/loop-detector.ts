// Loop detection (DESIGN §6): the Nth identical call from one agent within the window is refused.
// "Identical" is the same agent, model and request fingerprint — different prompts to the same
// model are ordinary traffic, not a loop (the reference's defect, reference-semantics §9.1).
//
// Every attempt counts, including ones that end up blocked: an agent stuck in a loop keeps
// retrying, and it stays blocked until it has stopped repeating for a whole window.
// Pre-flight checks only peek; they never add to the window.
//
// Memory: at thousands of calls a second nearly every key is seen once, so that case allocates
// nothing beyond its key: the key maps to the sequence number of its attempt (a small integer)
// in the arrival queue, whose times sit in a Float64Array. Only a key seen again gets an array of
// times. Keys stay exact strings, not hashes: with loop_detection.threshold 2 a collision of two
// unrelated calls would stop the agent as a loop.

/** Key of "identical" calls: agent, model and fingerprint. */
export function loopKey(agentId: string, model: string, fingerprint: string): string {
  // join() builds one flat string; a template literal leaves a tree of three cons strings that
  // the detector would keep for a whole window (measured ~110 bytes more per key).
  return [agentId, model, fingerprint].join("\u0000");
}

const INITIAL_CAPACITY = 1024;

/** Counts identical attempts per key in a sliding window. */
export class LoopDetector {
  // Per key: the sequence number of its one attempt, or the times of its attempts.
  private readonly seen = new Map<string, number | number[]>();
  // Every attempt in arrival order (a queue read from `head`; index i is sequence number
  // `base + i`), so attempts leaving the window are forgotten in O(1) each. A periodic scan of
  // every key instead cost O(keys) per 1000 attempts: at thousands of distinct calls a second that
  // is hundreds of thousands of keys per scan.
  private queueKeys: (string | undefined)[] = [];
  private queueTimes = new Float64Array(INITIAL_CAPACITY);
  private head = 0;
  private base = 0;

  constructor(private readonly windowMs: number) {}

  /** Records an attempt at `now` and returns how many identical attempts the window now holds. */
  attempt(key: string, now: number): number {
    this.forget(now);
    const value = this.seen.get(key);
    const kept = value === undefined ? undefined : this.live(value, now);
    const seq = this.enqueue(key, now);
    if (kept === undefined || kept.length === 0) {
      this.seen.set(key, seq);
      return 1;
    }
    kept.push(now);
    this.seen.set(key, kept);
    return kept.length;
  }

  /** How many keys are remembered (attempts still in the window): bounded by the window's traffic. */
  get size(): number {
    return this.seen.size;
  }

  /** How many identical attempts the window would hold if one more were made at `now`. */
  peek(key: string, now: number): number {
    const value = this.seen.get(key);
    return (value === undefined ? 0 : this.live(value, now).length) + 1;
  }

  // Timestamps strictly inside the window (t > now - window), as the reference keeps them; the
  // array itself when all are (the caller may then append to it), else a new one.
  private live(value: number | number[], now: number): number[] {
    const cutoff = now - this.windowMs;
    if (typeof value === "number") {
      const t = this.timeOf(value);
      return t > cutoff ? [t] : [];
    }
    return value.every((t) => t > cutoff) ? value : value.filter((t) => t > cutoff);
  }

  // Drops the attempts that have left the window, and keys with none left, so long sessions do not
  // grow without bound. Times are filtered, not assumed sorted: the clock may step back.
  private forget(now: number): void {
    const cutoff = now - this.windowMs;
    const keys = this.queueKeys;
    while (this.head < keys.length && (this.queueTimes[this.head] ?? Infinity) <= cutoff) {
      const key = keys[this.head];
      keys[this.head] = undefined; // the queue no longer keeps the key alive
      this.head++;
      const value = key === undefined ? undefined : this.seen.get(key);
      if (key === undefined || value === undefined) continue;
      if (typeof value === "number") {
        // A key's one attempt is never behind `head`: its own entry leaving deletes it here.
        if (this.timeOf(value) <= cutoff) this.seen.delete(key);
        continue;
      }
      const kept = value.filter((t) => t > cutoff);
      if (kept.length === 0) this.seen.delete(key);
      else this.seen.set(key, kept);
    }
    if (this.head > 0 && this.head === keys.length) {
      // Empty: start again at the front, giving back what a burst made the queue grow to.
      this.base += this.head;
      this.head = 0;
      this.queueKeys = [];
      if (this.queueTimes.length > INITIAL_CAPACITY) this.queueTimes = new Float64Array(INITIAL_CAPACITY);
    }
  }

  private timeOf(seq: number): number {
    return this.queueTimes[seq - this.base] ?? Number.NEGATIVE_INFINITY;
  }

  // Appends an attempt to the queue and returns its sequence number.
  private enqueue(key: string, now: number): number {
    if (this.queueKeys.length === this.queueTimes.length) this.makeRoom();
    const index = this.queueKeys.length;
    this.queueKeys.push(key);
    this.queueTimes[index] = now;
    return this.base + index;
  }

  // Full: drop the dead prefix, and grow ×2 unless that freed at least half. O(1) amortised.
  private makeRoom(): void {
    const length = this.queueKeys.length;
    if (this.head * 2 >= length) this.queueTimes.copyWithin(0, this.head, length);
    else {
      const times = new Float64Array(this.queueTimes.length * 2);
      times.set(this.queueTimes.subarray(this.head, length));
      this.queueTimes = times;
    }
    this.queueKeys.splice(0, this.head);
    this.base += this.head;
    this.head = 0;
  }
}
