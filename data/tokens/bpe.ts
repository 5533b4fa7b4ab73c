/**
 * Byte-pair encoding of one run of symbols (bytes for Llama 3, characters for Llama 2), as
 * both tokenizer libraries do it: repeatedly merge the adjacent pair with the lowest merge
 * priority, the leftmost first among equals (a priority queue over a linked list), until no
 * pair merges. O(n log n) in typed arrays reused from call to call, so nothing is allocated
 * per piece. Positions must stay below 2^24 (the heap key below): callers cut longer runs into
 * chunks (long-runs.ts); only its fallback for LongRunOverflow, which no text has reached, passes
 * a whole run.
 *
 * The libraries break ties with `origPos / prompt.length` added to the priority, which equals
 * "leftmost first" whenever a pre-token's length in symbols is under twice the prompt's length
 * in UTF-16 units (always, in practice; test/data/tokens.test.ts pads its reference prompts so
 * it holds there too); this engine always takes the leftmost, as Hugging Face's BPE does.
 */
import type { MergeTable } from "./merge-table";

/** key = rank × 2^24 + position: the heap's order is priority first, then leftmost. */
const POS = 16_777_216;
/**
 * Module-local: under Jest each module runs in a `vm` context, where every lookup of a global
 * such as `Math` goes through an interceptor; in this loop and the merge table's hash that made
 * the token tests (and every mutant Stryker runs through them) many times slower. Plain Node is
 * unaffected either way.
 */
const { floor } = Math;

export class Bpe {
  private tok = new Int32Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private heap = new Float64Array(0);
  private size = 0;

  /**
   * @param resolve the token merge `slot` produces (Llama 3 resolves them lazily)
   */
  constructor(
    private readonly merges: MergeTable,
    private readonly resolve: (slot: number) => number,
  ) {}

  private ensure(n: number): void {
    if (this.tok.length >= n) return;
    let cap = 64;
    while (cap < n) cap *= 2;
    this.tok = new Int32Array(cap);
    this.next = new Int32Array(cap);
    this.prev = new Int32Array(cap);
    this.heap = new Float64Array(cap * 3);
  }

  /** Shrinks the buffers after a long run, so one huge piece does not pin memory for the rest of the file. */
  release(): void {
    if (this.tok.length > 1 << 16) {
      this.tok = new Int32Array(0);
      this.next = new Int32Array(0);
      this.prev = new Int32Array(0);
      this.heap = new Float64Array(0);
    }
  }

  private push(key: number): void {
    const h = this.heap;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p] <= key) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = key;
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0];
    const last = h[--this.size];
    const n = this.size;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1] < h[c]) c++;
      if (h[c] >= last) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }

  private offer(left: number): void {
    const s = this.merges.find(this.tok[left], this.tok[this.next[left]]);
    if (s >= 0) this.push(this.merges.slots[s + 2] * POS + left);
  }

  /**
   * Encodes sym[0, n) and returns the number of tokens. Afterwards `tokenAt`/`nextOf` walk the
   * result from position 0 (long-runs.ts reads the tokens and their lengths that way).
   */
  run(sym: Int32Array, n: number): number {
    if (n <= 1) {
      if (n === 1) {
        this.ensure(1);
        this.tok[0] = sym[0];
        this.next[0] = 1;
      }
      return n;
    }
    this.ensure(n);
    const { tok, next, prev } = this;
    const slots = this.merges.slots;
    for (let i = 0; i < n; i++) {
      tok[i] = sym[i];
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    this.size = 0;
    for (let i = 0; i + 1 < n; i++) this.offer(i);
    let count = n;
    while (this.size > 0) {
      const key = this.pop();
      const rank = floor(key / POS);
      const pos = key - rank * POS;
      const right = next[pos];
      if (tok[pos] === -1 || right >= n) continue;
      const s = this.merges.find(tok[pos], tok[right]);
      if (s < 0 || slots[s + 2] !== rank) continue; // stale: one of the two has merged since
      tok[pos] = this.resolve(s);
      tok[right] = -1;
      const after = next[right];
      next[pos] = after;
      if (after < n) prev[after] = pos;
      count--;
      if (prev[pos] >= 0) this.offer(prev[pos]);
      if (after < n) this.offer(pos);
    }
    return count;
  }

  /** After `run`: the token starting at position `i` of a walk (0, nextOf(0), ...). */
  tokenAt(i: number): number {
    return this.tok[i];
  }

  nextOf(i: number): number {
    return this.next[i];
  }
}
