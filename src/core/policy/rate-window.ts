// The rolling per-minute token window (DESIGN §2 `per_minute_tokens`). Tokens of calls in flight
// are held under their reservation id so that concurrent admissions see each other; settling
// replaces the estimate by the real count, releasing removes it.
//
// Every admission asks for the window's total, so the total is kept as a running sum and entries
// leave from the front of a queue: each call costs O(1) amortised, not O(calls in the last minute)
// (at a few thousand calls per second a scan of the whole window dominated the metering path).
//
// Memory: entries are (time, tokens) pairs in two typed arrays, and an entry made at the same
// millisecond as the last one is added into it. Entries leave by time, so two entries of the same
// millisecond always leave together and merging them changes no total. With a clock that does not
// step back the window holds at most one entry per millisecond (60,000, ~1 MB) however many calls
// a second arrive; one object per call kept for a minute measured ~120 bytes a call instead.

/** Length of the rolling window. */
export const RATE_WINDOW_MS = 60_000;

// Where a reservation's tokens went: the entry (by sequence number) and how many.
interface Held {
  seq: number;
  tokens: number;
}

const INITIAL_CAPACITY = 1024;

/** Tokens recorded or reserved in the last 60 s. */
export class RateWindow {
  // Entries in arrival (clock) order: index i holds sequence number `base + i`; those before
  // `head` have left the window.
  private times = new Float64Array(INITIAL_CAPACITY);
  private tokens = new Float64Array(INITIAL_CAPACITY);
  private length = 0;
  private head = 0;
  private base = 0;
  private sum = 0;
  // In-flight reservations, in insertion (clock) order.
  private readonly held = new Map<string, Held>();

  /** Tokens in the window at `now`. An entry exactly 60 s old still counts (as in the reference). */
  tokensAt(now: number): number {
    this.prune(now);
    return this.sum;
  }

  /** Adds tokens at `now`, held under a reservation id when the call is still in flight. */
  add(now: number, tokens: number, reservationId?: string): void {
    const last = this.length - 1;
    let index: number;
    if (last >= this.head && this.times[last] === now) {
      index = last;
      this.tokens[index] = (this.tokens[index] ?? 0) + tokens;
    } else {
      if (this.length === this.times.length) this.makeRoom();
      index = this.length++;
      this.times[index] = now;
      this.tokens[index] = tokens;
    }
    this.sum += tokens;
    if (reservationId !== undefined) this.held.set(reservationId, { seq: this.base + index, tokens });
  }

  /** Drops the tokens held for a reservation. */
  remove(reservationId: string): void {
    const held = this.held.get(reservationId);
    if (held === undefined) return;
    this.held.delete(reservationId);
    const index = held.seq - this.base;
    // An entry that already left the window took its tokens with it: nothing to subtract twice.
    if (index < this.head) return;
    this.tokens[index] = (this.tokens[index] ?? 0) - held.tokens;
    this.sum -= held.tokens;
  }

  /** How many entries the window holds (for tests of the merge: at most one per millisecond). */
  get entryCount(): number {
    return this.length - this.head;
  }

  private prune(now: number): void {
    const cutoff = now - RATE_WINDOW_MS;
    // Entries are appended in clock order, so the stale ones are a prefix (reservations of long
    // calls may sit among them; they are dropped by time too — their tokens are a minute old).
    let i = this.head;
    while (i < this.length && (this.times[i] ?? Infinity) < cutoff) {
      this.sum -= this.tokens[i] ?? 0;
      i++;
    }
    if (i === this.head) return;
    this.head = i;
    // Forget reservations that left the window (held in insertion, i.e. clock, order).
    const firstLive = this.base + i;
    for (const [id, held] of this.held) {
      if (held.seq >= firstLive) break;
      this.held.delete(id);
    }
    if (i === this.length) {
      // Empty: start again at the front (sequence numbers go on, so held ids stay valid), and
      // give back what a burst made the arrays grow to.
      this.base += i;
      this.head = 0;
      this.length = 0;
      if (this.times.length > INITIAL_CAPACITY) {
        this.times = new Float64Array(INITIAL_CAPACITY);
        this.tokens = new Float64Array(INITIAL_CAPACITY);
      }
    }
  }

  // Full: move the live entries to the front if at least half the array is dead, else grow ×2.
  // Either way O(1) amortised per entry.
  private makeRoom(): void {
    const live = this.length - this.head;
    if (this.head * 2 >= this.length) {
      this.times.copyWithin(0, this.head, this.length);
      this.tokens.copyWithin(0, this.head, this.length);
    } else {
      const times = new Float64Array(this.times.length * 2);
      const tokens = new Float64Array(this.tokens.length * 2);
      times.set(this.times.subarray(this.head, this.length));
      tokens.set(this.tokens.subarray(this.head, this.length));
      this.times = times;
      this.tokens = tokens;
    }
    this.base += this.head;
    this.head = 0;
    this.length = live;
  }
}
