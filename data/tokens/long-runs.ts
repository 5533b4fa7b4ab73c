/**
 * Exact BPE counts of pre-tokens of any length (a megabyte of "aaaa...", a long line of
 * Chinese without spaces, a run of spaces) in time linear in the length and memory bounded by
 * a chunk, where encoding the whole run at once needs tens of bytes per symbol and the
 * libraries' own encoders take quadratic time or overflow the stack.
 *
 * The run is encoded chunk by chunk. What makes that exact: a sequence of BPE tokens is the
 * BPE encoding of its text if and only if every pair of neighbouring tokens is, i.e. BPE
 * re-encodes the two tokens' text as those same two tokens (GitHub's rust-gems `bpe` crate,
 * https://github.com/github/rust-gems/tree/main/crates/bpe, "Novel Algorithm", shows this for
 * priority-ordered BPE: inside each token's span the merges are those of the token alone, so
 * the only merges that could differ are across the junction, and they would show in the pair).
 * So after encoding a chunk, only the pair at the junction with what is already committed needs
 * checking; if it fails, the last committed tokens are taken back and re-encoded together with
 * the chunk (1, 2, 4, ... tokens) until the junction holds. test/data/tokens.test.ts checks the
 * result against the reference encoders on long runs.
 *
 * A run of one repeated character or pattern (the usual adversarial input) gives the same
 * regions over and over, so the last few regions' encodings are kept and reused: such runs are
 * counted at the speed of hashing them.
 *
 * Faster still, a run whose chunks repeat exactly (one character, or a pattern whose period
 * divides the chunk) reaches a steady state that is skipped without filling the chunks at all
 * (`count`'s `repeat`). Why that is exact: say step s appended the tokens C of a cached region
 * R, and step s + 1, on chunk X, took back b tokens and encoded the same region R again. Then
 * b < |C| (the symbols of b ≥ |C| tokens, which would include all of C, plus X, are longer than
 * R), and the ring held at least |C| tokens (a cached region has at most RING symbols), so the
 * junction was found by the pair check, not by running out of history. Every choice step s + 1
 * made (each back it tried, the region it encoded, the pair it checked) read only X and the
 * last b + 1 tokens, which were the end of C. Before step s + 2 the ring ends with C again and
 * the history held can only have grown (each step adds |C| - b > 0 tokens), so on the same
 * chunk X step s + 2 makes the same choices and appends C again, and so on for every further
 * copy of X: each adds |C| - b tokens.
 */
import type { Bpe } from "./bpe";

/** Module-local (see `floor` in bpe.ts: a global lookup is slow under Jest's `vm` contexts). */
const { imul } = Math;
/** Symbols per chunk: short enough for the BPE buffers to stay small, long enough that junctions are rare. */
export const CHUNK_SYMBOLS = 2048;
/**
 * The most symbols one token may have (bytes for Llama 3, characters for Llama 2): the region
 * grows by this much before each token taken back is written into it, and the pair buffer holds
 * two. Both Llama vocabularies are far below it: their longest tokens have 128 bytes (Llama 3)
 * and 16 characters (Llama 2), as test/data/longRuns.test.ts measures; a vocabulary above it
 * would need larger buffers here.
 */
export const MAX_TOKEN_SYMBOLS = 1024;
/** Committed tokens kept for taking back; beyond this (never seen) the caller encodes the run whole. */
const RING = 4096; // a power of two: indexes wrap with & (RING - 1)
const WRAP = RING - 1;
const PAIR_CACHE_LIMIT = 100_000;
/** Regions whose encodings are kept (a repeated pattern cycles through a few chunk phases). */
const REGION_CACHE = 64;

interface CachedRegion {
  hash: number;
  symbols: Int32Array;
  tokens: Int32Array;
  /** The region asked for after this one, the last time. */
  next: CachedRegion | null;
}

function hashSymbols(a: Int32Array, n: number): number {
  let h = n | 0;
  for (let i = 0; i < n; i++) h = imul(h ^ a[i], 0x01000193);
  return h;
}

function sameSymbols(a: Int32Array, b: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class LongRunOverflow extends Error {}

/** Writes up to `max` symbols of the run's next part into out[at...]; returns how many (0 at the end). */
export type SymbolFill = (out: Int32Array, at: number, max: number) => number;

/**
 * If the run's next part is an exact copy of the part the last fill delivered (the fill would
 * write the same symbols), skips over it and returns true; else returns false and moves nothing.
 */
export type RepeatSkip = () => boolean;

/** True if s[pos, pos + (pos - from)) exists before `end` and is an exact copy of s[from, pos) (a fill's units). */
export function unitsRepeat(s: string, from: number, pos: number, end: number): boolean {
  const u = pos - from;
  return pos + u <= end && s.substring(pos, pos + u) === s.substring(from, pos);
}

export class LongRuns {
  private readonly ring = new Int32Array(RING);
  private readonly chunk = new Int32Array(CHUNK_SYMBOLS);
  private region = new Int32Array(CHUNK_SYMBOLS * 2);
  private readonly pairBuf = new Int32Array(2 * MAX_TOKEN_SYMBOLS);
  private readonly pairs = new Map<number, boolean>();
  private readonly regions: CachedRegion[] = [];
  private nextRegion = 0;
  /** The region found or encoded last. */
  private lastHit: CachedRegion | null = null;
  /** The cached region whose tokens the last encodeRegion returned (null: not cached). */
  private lastEncoded: CachedRegion | null = null;
  private tokens = new Int32Array(CHUNK_SYMBOLS * 2);

  /**
   * @param bpe encodes chunks
   * @param pairBpe a second engine for pair checks (so they do not clobber a chunk's result)
   * @param tokenSymbols writes the symbols of token t into out[at...], returns how many
   */
  constructor(
    private readonly bpe: Bpe,
    private readonly pairBpe: Bpe,
    private readonly tokenSymbols: (t: number, out: Int32Array, at: number) => number,
  ) {}

  /** True if BPE encodes the text of tokens a then b as exactly [a, b]. */
  validPair(a: number, b: number): boolean {
    const key = a * 262144 + b;
    let ok = this.pairs.get(key);
    if (ok === undefined) {
      let n = this.tokenSymbols(a, this.pairBuf, 0);
      n += this.tokenSymbols(b, this.pairBuf, n);
      ok = this.pairBpe.run(this.pairBuf, n) === 2 && this.pairBpe.tokenAt(0) === a;
      if (this.pairs.size >= PAIR_CACHE_LIMIT) this.pairs.clear();
      this.pairs.set(key, ok);
    }
    return ok;
  }

  /**
   * Counts the tokens of a run delivered by `fill`; `repeat`, if given, skips exact copies of the
   * last chunk once the steady state above is reached. Throws LongRunOverflow if the junction
   * search runs out of history.
   */
  count(fill: SymbolFill, repeat?: RepeatSkip): number {
    let committed = 0;
    /** Valid entries at the end of the ring (the last min(committed, RING) tokens). */
    let held = 0;
    let top = 0; // ring index one past the newest token
    /** The cached region the last step appended (null: none, or not cached). */
    let appended: CachedRegion | null = null;
    for (;;) {
      const m = fill(this.chunk, 0, CHUNK_SYMBOLS);
      if (m === 0) return committed;
      for (let back = 0; ; back = back === 0 ? 1 : Math.min(back * 2, held)) {
        // Region: the symbols of the last `back` committed tokens, then the chunk.
        let r = 0;
        for (let k = back; k >= 1; k--) {
          const t = this.ring[(top - k) & WRAP];
          if (r + MAX_TOKEN_SYMBOLS > this.region.length) this.grow(r + MAX_TOKEN_SYMBOLS);
          r += this.tokenSymbols(t, this.region, r);
        }
        if (r + m > this.region.length) this.grow(r + m);
        this.region.set(this.chunk.subarray(0, m), r);
        r += m;
        const tokens = this.encodeRegion(r);
        const count = tokens.length;
        const left = held - back;
        if (left === 0 && committed > held) throw new LongRunOverflow("junction search ran past the kept history");
        if (left === 0 || this.validPair(this.ring[(top - back - 1) & WRAP], tokens[0])) {
          const region = this.lastEncoded;
          // The steady state (see the top of the file): the same region C after C. Each copy of
          // the chunk skipped adds |C| - back.
          const steady = repeat !== undefined && region !== null && region === appended;
          let copies = 1;
          if (steady) while (repeat()) copies++;
          // Only the ring's last RING tokens matter: write no more copies than fill it (in the
          // steady state count > back; elsewhere, e.g. a last short chunk that merges what it
          // took back, count may be smaller, and the one step is written as it is).
          const written = steady ? Math.min(copies, Math.ceil(RING / (count - back)) + 1) : 1;
          for (let c = 0; c < written; c++) {
            top = (top - back) & WRAP;
            held -= back;
            for (let i = 0; i < count; i++) {
              this.ring[top] = tokens[i];
              top = (top + 1) & WRAP;
              if (held < RING) held++;
            }
          }
          committed += copies * (count - back);
          appended = region;
          break;
        }
      }
    }
  }

  /** The tokens of region[0, r), from the region cache or from BPE (then cached). */
  private encodeRegion(r: number): Int32Array {
    const region = this.region;
    // A run of one repeated pattern asks for the same few regions in the same order again and
    // again: try the one that followed the last region last time, then the last region itself,
    // each one comparison pass and no hashing.
    const last = this.lastHit;
    if (last !== null) {
      const next = last.next;
      if (next !== null && next.symbols.length === r && sameSymbols(next.symbols, region, r)) return this.hit(next);
      if (last.symbols.length === r && sameSymbols(last.symbols, region, r)) return this.hit(last);
    }
    const h = hashSymbols(region, r);
    for (const c of this.regions) {
      if (c.hash === h && c.symbols.length === r && sameSymbols(c.symbols, region, r)) return this.hit(c);
    }
    this.lastEncoded = null;
    const count = this.bpe.run(region, r);
    if (this.tokens.length < count) this.tokens = new Int32Array(count * 2);
    let k = 0;
    for (let i = 0; i < r; i = this.bpe.nextOf(i)) this.tokens[k++] = this.bpe.tokenAt(i);
    if (r <= CHUNK_SYMBOLS * 2) {
      const entry: CachedRegion = { hash: h, symbols: region.slice(0, r), tokens: this.tokens.slice(0, count), next: null };
      const old = this.regions[this.nextRegion];
      if (old !== undefined) for (const c of this.regions) if (c.next === old) c.next = null;
      this.regions[this.nextRegion] = entry;
      this.nextRegion = (this.nextRegion + 1) % REGION_CACHE;
      return this.hit(entry);
    }
    return this.tokens.subarray(0, count);
  }

  /** Records that `c` came after the last region, and returns its tokens. */
  private hit(c: CachedRegion): Int32Array {
    if (this.lastHit !== null) this.lastHit.next = c;
    this.lastHit = c;
    this.lastEncoded = c;
    return c.tokens;
  }

  private grow(n: number): void {
    let cap = this.region.length;
    while (cap < n) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.region);
    this.region = next;
  }

  /** Drops buffers a huge run grew. */
  release(): void {
    if (this.region.length > CHUNK_SYMBOLS * 4) this.region = new Int32Array(CHUNK_SYMBOLS * 2);
  }
}
