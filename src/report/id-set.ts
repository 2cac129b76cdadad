// A set of call ids in bounded memory: each id is kept as a 64-bit hash (two 32-bit halves) in an
// open-addressing table of typed arrays — 8 bytes a slot, about 16 MB for a million ids, instead
// of ~100 MB for a Set of strings. Two different ids collide with probability ~n²/2⁶⁵ (about
// 3·10⁻⁸ for a million ids), which would count one call as a duplicate: accepted for the memory.

const EMPTY_HI = 0;
const EMPTY_LO = 0;

// hashHalves() leaves its low half here instead of returning both halves in an array: one array
// per id is a million allocations in a report's scan. Read it right after the call.
let lastLo = 0;

// The 64-bit hash of `id`: returns the high half and leaves the low half in `lastLo`.
function hashHalves(id: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  lastLo = fmix(h2 ^ h1) >>> 0;
  return fmix(h1) >>> 0;
}

/** 64-bit hash of a string as two unsigned 32-bit halves (FNV-1a and a multiplicative hash, both finalised). */
export function hashId(id: string): [number, number] {
  const hi = hashHalves(id);
  return [hi, lastLo];
}

// murmur3's finaliser: spreads every input bit over the whole word.
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// Ledger decision lines are ~450–500 bytes: a set sized at one id per 512 bytes holds a real
// ledger's ids without growing (each growth re-inserts every id: ~130 ms of a 1M-line report).
const LEDGER_BYTES_PER_ID = 512;

/** An empty id set sized for the calls in `bytes` of ledger. */
export function idSetForLedgerBytes(bytes: number): IdSet {
  return new IdSet(Math.ceil(bytes / LEDGER_BYTES_PER_ID));
}

/** The set of ids seen so far. */
export class IdSet {
  // Slot i is the pair [2i] (hi), [2i + 1] (lo): both halves of a slot share a cache line, so a
  // probe into a table far larger than the CPU's caches misses once, not once per half.
  private slots: Uint32Array<ArrayBuffer>;
  private count = 0;

  constructor(capacity = 1 << 14) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Uint32Array(size * 2);
  }

  /** Number of ids in the set. */
  get size(): number {
    return this.count;
  }

  /** Number of slots in the table (it grows to keep at most half of them used). */
  get slotCount(): number {
    return this.slots.length / 2;
  }

  /** Adds an id; false when it was already there (a duplicate). */
  add(id: string): boolean {
    const hi = hashHalves(id);
    return this.addHash(hi, lastLo);
  }

  /** Adds a hash pair; false when it was already there. */
  addHash(hi: number, loIn: number): boolean {
    const lo = hi === EMPTY_HI && loIn === EMPTY_LO ? 1 : loIn;
    if ((this.count + 1) * 2 > this.slotCount) this.grow();
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const h = slots[2 * i] ?? 0;
      const l = slots[2 * i + 1] ?? 0;
      if (h === EMPTY_HI && l === EMPTY_LO) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        this.count++;
        return true;
      }
      if (h === hi && l === lo) return false;
      i = (i + 1) & mask;
    }
  }

  /** True when the hash pair is in the set. */
  hasHash(hi: number, loIn: number): boolean {
    const lo = hi === EMPTY_HI && loIn === EMPTY_LO ? 1 : loIn;
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const h = slots[2 * i] ?? 0;
      const l = slots[2 * i + 1] ?? 0;
      if (h === EMPTY_HI && l === EMPTY_LO) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & mask;
    }
  }

  /** The table as [hi, lo, hi, lo, …] pairs (empty slots are 0, 0), e.g. to send to another thread. */
  exportSlots(): Uint32Array<ArrayBuffer> {
    return this.slots;
  }

  /** True when any id of an exported table (exportSlots) is in this set. */
  sharesAnyOf(slots: Uint32Array): boolean {
    for (let i = 0; i < slots.length; i += 2) {
      const h = slots[i] ?? 0;
      const l = slots[i + 1] ?? 0;
      if ((h !== EMPTY_HI || l !== EMPTY_LO) && this.hasHash(h, l)) return true;
    }
    return false;
  }

  /** Adds every id of an exported table (exportSlots). */
  addAllOf(slots: Uint32Array): void {
    for (let i = 0; i < slots.length; i += 2) {
      const h = slots[i] ?? 0;
      const l = slots[i + 1] ?? 0;
      if (h !== EMPTY_HI || l !== EMPTY_LO) this.addHash(h, l);
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.count = 0;
    this.addAllOf(old);
  }
}
