/**
 * Token counts of recently seen pre-tokens, keyed by their UTF-16 code units: a hash computed
 * while scanning, then a comparison with the stored copy (so a hash collision can never give
 * a wrong count). Fixed-size typed arrays, one slot = 4 int32 (length, hash, pool offset,
 * count) so a probe touches one cache line; when the table is half full or its text pool is
 * used up, it starts over, so memory stays at about 3 MB whatever the input. Natural text
 * reuses a few thousand words, so almost every lookup hits.
 */

/** Module-local (see `floor` in bpe.ts: a global lookup is slow under Jest's `vm` contexts). */
const { imul } = Math;
const SLOTS = 1 << 16;
const POOL_UNITS = 1 << 20;
/** Longer pieces are counted without caching (they rarely repeat and would crowd the pool). */
export const MAX_CACHED_UNITS = 48;
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, as the scanners compute it. */
export function hashUnits(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Counts of short ASCII pieces (at most 8 characters: most pre-tokens of most text), keyed by the
 * characters themselves packed into two int32, so a lookup is one probe and two integer
 * comparisons, with nothing else to compare. Same clearing rule as PieceCache.
 */
const SMALL_SLOTS = 1 << 14;
export const SMALL_MAX_UNITS = 8;

export class SmallPieceCache {
  /** Per slot: length (0 = empty), first four characters, next four, count. */
  private readonly slots = new Int32Array(SMALL_SLOTS * 4);
  private entries = 0;

  private static slotOf(k1: number, k2: number, len: number): number {
    return (imul(k1 ^ imul(k2 ^ len, 0x9e3779b1), 0x85ebca77) >>> 18) * 4;
  }

  /** The cached count of the piece with this length and packed characters, or -1. */
  get(k1: number, k2: number, len: number): number {
    const t = this.slots;
    for (let slot = SmallPieceCache.slotOf(k1, k2, len); ; slot = (slot + 4) & (SMALL_SLOTS * 4 - 1)) {
      const l = t[slot];
      if (l === 0) return -1;
      if (l === len && t[slot + 1] === k1 && t[slot + 2] === k2) return t[slot + 3];
    }
  }

  set(k1: number, k2: number, len: number, count: number): void {
    if (this.entries * 2 >= SMALL_SLOTS) {
      this.slots.fill(0);
      this.entries = 0;
    }
    const t = this.slots;
    let slot = SmallPieceCache.slotOf(k1, k2, len);
    while (t[slot] !== 0) slot = (slot + 4) & (SMALL_SLOTS * 4 - 1);
    t[slot] = len;
    t[slot + 1] = k1;
    t[slot + 2] = k2;
    t[slot + 3] = count;
    this.entries++;
  }
}

export class PieceCache {
  /** Per slot: length (0 = empty; pieces are never empty), hash, pool offset, count. */
  private readonly slots = new Int32Array(SLOTS * 4);
  private readonly pool = new Uint16Array(POOL_UNITS);
  private used = 0;
  private entries = 0;

  /** The cached count of s[start, end) whose hash is `h`, or -1. */
  get(s: string, start: number, end: number, h: number): number {
    const n = end - start;
    const t = this.slots;
    let slot = (h & (SLOTS - 1)) * 4;
    for (;;) {
      const len = t[slot];
      if (len === 0) return -1;
      if (len === n && t[slot + 1] === h) {
        const o = t[slot + 2];
        let i = 0;
        while (i < n && this.pool[o + i] === s.charCodeAt(start + i)) i++;
        if (i === n) return t[slot + 3];
      }
      slot = (slot + 4) & (SLOTS * 4 - 1);
    }
  }

  set(s: string, start: number, end: number, h: number, count: number): void {
    const n = end - start;
    if (this.entries * 2 >= SLOTS || this.used + n > POOL_UNITS) this.clear();
    const t = this.slots;
    let slot = (h & (SLOTS - 1)) * 4;
    while (t[slot] !== 0) slot = (slot + 4) & (SLOTS * 4 - 1);
    t[slot] = n;
    t[slot + 1] = h;
    t[slot + 2] = this.used;
    t[slot + 3] = count;
    for (let i = 0; i < n; i++) this.pool[this.used + i] = s.charCodeAt(start + i);
    this.used += n;
    this.entries++;
  }

  clear(): void {
    this.slots.fill(0);
    this.used = 0;
    this.entries = 0;
  }
}
