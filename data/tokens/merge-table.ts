/**
 * The merge rules of a BPE vocabulary as an open-addressing hash table in one typed array:
 * (left token, right token) → (priority, merged token), four int32 per slot so that a probe
 * touches one cache line. Building it takes milliseconds and a few MB, where a Map keyed by
 * "left right" strings (what the tokenizer libraries build) takes about a second and over
 * 100 MB for Llama 3's 280,000 merges.
 */
/** Module-local (see `floor` in bpe.ts: a global lookup is slow under Jest's `vm` contexts). */
const { imul } = Math;

export class MergeTable {
  private readonly mask: number;
  /** Per slot: left token (-1 = empty), right token, rank, result. */
  readonly slots: Int32Array;

  /**
   * @param capacity merges it will hold, or the slots of a table built by another thread
   *   (data/tokens/vocab.ts hands it to the worker threads)
   * @param shared build the table in a SharedArrayBuffer (for handing it to other threads)
   */
  constructor(capacity: number | Int32Array, shared = false) {
    if (typeof capacity !== "number") {
      this.mask = capacity.length / 4 - 1;
      this.slots = capacity;
      return;
    }
    // Load factor between 0.35 and 0.7: short probe runs, and a table small enough to stay in cache.
    let size = 1024;
    while (size * 0.7 < capacity) size *= 2;
    this.mask = size - 1;
    this.slots = (shared ? new Int32Array(new SharedArrayBuffer(size * 16)) : new Int32Array(size * 4)).fill(-1);
  }

  private slotOf(a: number, b: number): number {
    return (imul(a, 0x9e3779b1) ^ imul(b + 0x7f4a7c15, 0x85ebca77)) & this.mask;
  }

  /**
   * Adds a merge. The libraries keep merges in a Map keyed by the pair, so a pair listed twice
   * keeps its last priority; the same here.
   */
  add(a: number, b: number, rank: number, result: number): void {
    const t = this.slots;
    let s = this.slotOf(a, b);
    while (t[s * 4] !== -1 && !(t[s * 4] === a && t[s * 4 + 1] === b)) s = (s + 1) & this.mask;
    t[s * 4] = a;
    t[s * 4 + 1] = b;
    t[s * 4 + 2] = rank;
    t[s * 4 + 3] = result;
  }

  /**
   * Index into `slots` of the merge of `a` then `b` (rank at +2, result at +3, -1 until the
   * owner resolves it), or -1 when the two never merge.
   */
  find(a: number, b: number): number {
    const t = this.slots;
    let s = this.slotOf(a, b);
    for (;;) {
      const i = s * 4;
      const l = t[i];
      if (l === -1) return -1;
      if (l === a && t[i + 1] === b) return i;
      s = (s + 1) & this.mask;
    }
  }
}
