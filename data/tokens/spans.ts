/**
 * Llama 3 token counts of text by "spans": the text is cut at every space that follows a
 * printable ASCII character, and each span's count is looked up in a cache keyed by its UTF-8
 * bytes; only a span not seen recently is counted pre-token by pre-token (llama3.ts). Natural
 * text reuses its words, so almost every span (a word with its leading space and attached
 * punctuation) is one lookup.
 *
 * Why the cut is exact: BPE never crosses a pre-token boundary, so a text's count is the sum of
 * its pieces' counts if every cut is a pre-token boundary whose pieces do not depend on the
 * other side. At a space (U+0020) at q after a printable ASCII character at q - 1 (U+0021 to
 * U+007F: a letter, digit or other, never whitespace), every alternative of the split pattern
 * (llama3.ts) ends the pre-token that holds q - 1 at q: letter runs, `\p{N}{1,3}`, contractions
 * and ` ?[^\s\p{L}\p{N}]+[\r\n]*` cannot take a space, and no whitespace run holds q - 1. The
 * pattern has no look-behind, so the pre-tokens from q on do not depend on what is before q;
 * and the last pre-token before q needs only "a space follows" (or the end) to end at q, so a
 * span counted on its own has the same pre-tokens as in the text. Other cut points exist but
 * are not needed: fewer cuts are still exact.
 *
 * Why bytes, and four at a time: in JavaScript a loop costs about twenty instructions per
 * iteration whatever it does, and UTF-16 scanning took most of the counting time. The text is
 * encoded into a reused buffer (native, a few instructions per byte), then read four bytes per
 * step with a bit trick that finds space bytes in a 32-bit word, hashing the same words. On
 * 16 MB of the bench file this took 990 M instructions against 1,860 M for the pre-token scan
 * (callgrind). A lone surrogate becomes U+FFFD in the bytes, which is what the count does too
 * (both are "other" characters, and encoded as EF BF BD).
 *
 * Why short spans have a table of their own: a span of at most eight bytes (most words with
 * their space) is its own key, two int32 and its length in one 16-byte slot, so a lookup is one
 * memory access and three comparisons. Through a hash and a separate byte pool, each lookup
 * touched two random places in 2 MB (about a third of the counting time went to that, measured
 * by leaving the lookup out); the scan no longer hashes as it goes either. Counting the bench
 * file's messages went from 7.4 to 6.0 ms per MB.
 */

/** Module-local (see `floor` in bpe.ts: a global lookup is slow under Jest's `vm` contexts). */
const { clz32, imul } = Math;
/** Texts up to this many UTF-16 units are counted by spans (the buffer holds 3 bytes per unit); longer ones piece by piece. */
export const SPAN_TEXT_MAX = 1 << 16;
/** Spans up to this many bytes are cached; longer ones (rare) are counted each time. */
const SPAN_CACHED_BYTES = 64;
const SLOTS = 1 << 15;
const POOL_BYTES = 1 << 20;
/** Spans up to this many bytes are keyed by their bytes themselves (two int32). */
const SHORT_BYTES = 8;
const SHORT_SLOTS = 1 << 16;

function mix(h: number, w: number): number {
  return imul(((h << 5) | (h >>> 27)) ^ w, 0x9e3779b1);
}

/** Index (in int32) of the home slot of a short span. */
function shortSlot(w0: number, w1: number, len: number): number {
  return (imul(w0 ^ imul(w1 ^ len, 0x9e3779b1), 0x85ebca77) >>> (32 - 16)) * 4;
}

export class SpanCounter {
  private readonly buf = Buffer.alloc(SPAN_TEXT_MAX * 3 + 8);
  private readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  /** Per slot: length in bytes (0 = empty), hash, pool offset, count. */
  private readonly slots = new Int32Array(SLOTS * 4);
  private readonly pool = new Uint8Array(POOL_BYTES + 8);
  private readonly poolView = new DataView(this.pool.buffer);
  private used = 0;
  private entries = 0;
  /** Per slot: length in bytes (0 = empty), first four bytes, next four (zero-padded), count. */
  private readonly short = new Int32Array(SHORT_SLOTS * 4);
  private shortEntries = 0;

  /**
   * @param countText counts a span that is not cached (at most SPAN_TEXT_MAX units, no
   * special token in it), pre-token by pre-token
   */
  constructor(private readonly countText: (text: string) => number) {}

  /** Tokens of `text` (at most SPAN_TEXT_MAX UTF-16 units, no special token in it). */
  count(text: string): number {
    const { buf, view } = this;
    const m = buf.write(text, 0, "utf8");
    view.setInt32(m, 0); // bytes past the text are read as part of the last word: never spaces
    view.setInt32(m + 4, 0);
    let n = 0;
    for (let i = 0; i < m; ) {
      let q = i;
      let end = m;
      // The span's first byte is never a cut (a span is at least one byte).
      let first = ~0x80;
      scan: for (;;) {
        const x = view.getInt32(q, true) ^ 0x20202020;
        // The lowest flagged byte is a space; higher ones may be false (a borrow), so each is checked.
        let t = (x - 0x01010101) & ~x & 0x80808080 & first;
        first = -1;
        while (t !== 0) {
          const at = q + ((31 - clz32(t & -t)) >> 3);
          if (at >= m) break scan;
          const prev = buf[at - 1];
          if (buf[at] === 0x20 && prev > 0x20 && prev < 0x80) {
            end = at;
            break scan;
          }
          t &= t - 1;
        }
        q += 4;
        if (q >= m) break;
      }
      const len = end - i;
      let count: number;
      if (len <= SHORT_BYTES) {
        // Short spans (most words with their space) are their own key: two words, no hash to compare, one probe.
        const w0 = len >= 4 ? view.getInt32(i, true) : view.getInt32(i, true) & ((1 << (len * 8)) - 1);
        const w1 = len <= 4 ? 0 : len === 8 ? view.getInt32(i + 4, true) : view.getInt32(i + 4, true) & ((1 << ((len - 4) * 8)) - 1);
        count = this.getShort(w0, w1, len);
        if (count < 0) {
          count = this.countText(buf.toString("utf8", i, end));
          this.setShort(w0, w1, len, count);
        }
      } else if (len <= SPAN_CACHED_BYTES) {
        let h = len;
        let k = i;
        for (; k + 4 <= end; k += 4) h = mix(h, view.getInt32(k, true));
        if (k < end) h = mix(h, view.getInt32(k, true) & ((1 << ((end - k) * 8)) - 1));
        h = imul(h ^ (h >>> 16), 0x85ebca6b);
        h ^= h >>> 13;
        count = this.get(i, len, h);
        if (count < 0) {
          count = this.countText(buf.toString("utf8", i, end));
          this.set(i, len, h, count);
        }
      } else {
        count = this.countText(buf.toString("utf8", i, end));
      }
      n += count;
      i = end;
    }
    return n;
  }

  /** The cached count of the short span with these words and length, or -1. */
  private getShort(w0: number, w1: number, len: number): number {
    const t = this.short;
    for (let slot = shortSlot(w0, w1, len); ; slot = (slot + 4) & (SHORT_SLOTS * 4 - 1)) {
      const l = t[slot];
      if (l === 0) return -1;
      if (l === len && t[slot + 1] === w0 && t[slot + 2] === w1) return t[slot + 3];
    }
  }

  private setShort(w0: number, w1: number, len: number, count: number): void {
    if (this.shortEntries * 2 >= SHORT_SLOTS) {
      this.short.fill(0);
      this.shortEntries = 0;
    }
    const t = this.short;
    let slot = shortSlot(w0, w1, len);
    while (t[slot] !== 0) slot = (slot + 4) & (SHORT_SLOTS * 4 - 1);
    t[slot] = len;
    t[slot + 1] = w0;
    t[slot + 2] = w1;
    t[slot + 3] = count;
    this.shortEntries++;
  }

  /** The cached count of buf[at, at + len) with hash h, or -1. */
  private get(at: number, len: number, h: number): number {
    const { slots, view, poolView, buf, pool } = this;
    for (let slot = (h & (SLOTS - 1)) * 4; ; slot = (slot + 4) & (SLOTS * 4 - 1)) {
      const l = slots[slot];
      if (l === 0) return -1;
      if (l !== len || slots[slot + 1] !== h) continue;
      const o = slots[slot + 2];
      let k = 0;
      while (k + 4 <= len && view.getInt32(at + k, true) === poolView.getInt32(o + k, true)) k += 4;
      if (k + 4 <= len) continue;
      while (k < len && buf[at + k] === pool[o + k]) k++;
      if (k === len) return slots[slot + 3];
    }
  }

  private set(at: number, len: number, h: number, count: number): void {
    // Half full, or the pool used up: start over (memory stays fixed, about 2 MB).
    if (this.entries * 2 >= SLOTS || this.used + len > POOL_BYTES) {
      this.slots.fill(0);
      this.used = 0;
      this.entries = 0;
    }
    const slots = this.slots;
    let slot = (h & (SLOTS - 1)) * 4;
    while (slots[slot] !== 0) slot = (slot + 4) & (SLOTS * 4 - 1);
    slots[slot] = len;
    slots[slot + 1] = h;
    slots[slot + 2] = this.used;
    slots[slot + 3] = count;
    this.pool.set(this.buf.subarray(at, at + len), this.used);
    this.used += len;
    this.entries++;
  }
}
