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
  private attemptsSinceSweep = 0;

  constructor(private readonly windowMs: number) {}

  /** Records an attempt at `now` and returns how many identical attempts the window now holds. */
  attempt(key: string, now: number): number {
    const kept = this.live(key, now);
    kept.push(now);
    this.seen.set(key, kept);
    if (++this.attemptsSinceSweep >= 1000) this.sweep(now);
    return kept.length;
  }

  /** How many identical attempts the window would hold if one more were made at `now`. */
  peek(key: string, now: number): number {
    return this.live(key, now).length + 1;
  }

  // Timestamps strictly inside the window (t > now - window), as the reference keeps them.
  private live(key: string, now: number): number[] {
    const cutoff = now - this.windowMs;
    return (this.seen.get(key) ?? []).filter((t) => t > cutoff);
  }

  // Forget keys with no attempt left in the window, so long sessions do not grow without bound.
  private sweep(now: number): void {
    this.attemptsSinceSweep = 0;
    for (const key of [...this.seen.keys()]) {
      if (this.live(key, now).length === 0) this.seen.delete(key);
    }
  }
}
