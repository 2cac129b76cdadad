// The rolling per-minute token window (DESIGN §2 `per_minute_tokens`). Tokens of calls in flight
// are held under their reservation id so that concurrent admissions see each other; settling
// replaces the estimate by the real count, releasing removes it.
//
// Every admission asks for the window's total, so the total is kept as a running sum and entries
// leave from the front of a queue: each call costs O(1) amortised, not O(calls in the last minute)
// (at a few thousand calls per second a scan of the whole window dominated the metering path).

/** Length of the rolling window. */
export const RATE_WINDOW_MS = 60_000;

interface Entry {
  ts: number;
  tokens: number;
}

/** Tokens recorded or reserved in the last 60 s. */
export class RateWindow {
  // Entries in clock order; those before `head` have left the window.
  private entries: Entry[] = [];
  private head = 0;
  private sum = 0;
  private readonly held = new Map<string, Entry>();

  /** Tokens in the window at `now`. An entry exactly 60 s old still counts (as in the reference). */
  tokensAt(now: number): number {
    this.prune(now);
    return this.sum;
  }

  /** Adds tokens at `now`, held under a reservation id when the call is still in flight. */
  add(now: number, tokens: number, reservationId?: string): void {
    const entry = { ts: now, tokens };
    this.entries.push(entry);
    this.sum += tokens;
    if (reservationId !== undefined) this.held.set(reservationId, entry);
  }

  /** Drops the tokens held for a reservation. */
  remove(reservationId: string): void {
    const entry = this.held.get(reservationId);
    if (entry === undefined) return;
    this.held.delete(reservationId);
    // The entry stays queued with no tokens; it leaves with its time.
    this.sum -= entry.tokens;
    entry.tokens = 0;
  }

  private prune(now: number): void {
    const cutoff = now - RATE_WINDOW_MS;
    // Entries are appended in clock order, so the stale ones are a prefix (reservations of long
    // calls may sit among them; they are dropped by time too — their tokens are a minute old).
    const { entries } = this;
    let i = this.head;
    while (i < entries.length && (entries[i] as Entry).ts < cutoff) {
      const entry = entries[i] as Entry;
      // Zeroed as it leaves, so a later remove() of its reservation subtracts nothing twice.
      this.sum -= entry.tokens;
      entry.tokens = 0;
      i++;
    }
    if (i === this.head) return;
    this.head = i;
    // Forget reservations that left the window (held in insertion, i.e. clock, order).
    for (const [id, entry] of this.held) {
      if (entry.ts >= cutoff) break;
      this.held.delete(id);
    }
    // Compact once the dead prefix is at least half the array: O(1) amortised per entry.
    if (this.head >= 1024 && this.head * 2 >= entries.length) {
      this.entries = entries.slice(this.head);
      this.head = 0;
    }
  }
}
