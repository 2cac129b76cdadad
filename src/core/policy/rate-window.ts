// The rolling per-minute token window (DESIGN §2 `per_minute_tokens`). Tokens of calls in flight
// are held under their reservation id so that concurrent admissions see each other; settling
// replaces the estimate by the real count, releasing removes it.

/** Length of the rolling window. */
export const RATE_WINDOW_MS = 60_000;

interface Entry {
  ts: number;
  tokens: number;
  reservationId?: string;
}

/** Tokens recorded or reserved in the last 60 s. */
export class RateWindow {
  private entries: Entry[] = [];

  /** Tokens in the window at `now`. An entry exactly 60 s old still counts (as in the reference). */
  tokensAt(now: number): number {
    this.prune(now);
    let sum = 0;
    for (const e of this.entries) sum += e.tokens;
    return sum;
  }

  /** Adds tokens at `now`, held under a reservation id when the call is still in flight. */
  add(now: number, tokens: number, reservationId?: string): void {
    this.entries.push(reservationId === undefined ? { ts: now, tokens } : { ts: now, tokens, reservationId });
  }

  /** Drops the tokens held for a reservation. */
  remove(reservationId: string): void {
    this.entries = this.entries.filter((e) => e.reservationId !== reservationId);
  }

  private prune(now: number): void {
    const cutoff = now - RATE_WINDOW_MS;
    // Entries are appended in clock order, so the stale ones are a prefix (reservations of long
    // calls may sit among them; they are dropped by time too — their tokens are a minute old).
    let i = 0;
    while (i < this.entries.length && (this.entries[i]?.ts ?? Infinity) < cutoff) i++;
    if (i > 0) this.entries = this.entries.slice(i);
  }
}
