/**
 * data/tokens/bpe.ts on its own, on vocabularies small enough to check by hand: which pair merges
 * first (the lowest rank, the leftmost among equal ranks), queue entries made stale by an earlier
 * merge, every rule of a table wherever the hash table stored it, the walk of the result after a
 * run of any length on an engine reused from a longer run, and the buffers `release` frees.
 * A plain quadratic BPE written here (the definition, step by step) is the oracle for random
 * vocabularies with many equal ranks.
 */
import { Bpe } from "../../data/tokens/bpe";
import { MergeTable } from "../../data/tokens/merge-table";
import { rng } from "./texts";

/** A vocabulary whose tokens are named by their text: one letter per symbol, then one token per rule. */
class Letters {
  readonly names: string[];
  readonly merges: MergeTable;
  readonly bpe: Bpe;

  /** @param rules [left, right, rank]; the result is the token spelled left + right */
  constructor(letters: string, rules: [string, string, number][]) {
    this.names = [...letters];
    this.merges = new MergeTable(rules.length);
    for (const [a, b, rank] of rules) {
      this.names.push(a + b);
      this.merges.add(this.id(a), this.id(b), rank, this.names.length - 1);
    }
    this.bpe = new Bpe(this.merges, (slot) => this.merges.slots[slot + 3]);
  }

  id(name: string): number {
    const t = this.names.indexOf(name);
    if (t < 0) throw new Error(`no token ${name}`);
    return t;
  }

  /** The tokens of `text` (one letter per symbol), by walking the result from position 0. */
  encode(text: string): string[] {
    const sym = Int32Array.from([...text], (c) => this.id(c));
    const count = this.bpe.run(sym, sym.length);
    const out = walk(this.bpe, sym.length).map((t) => this.names[t]);
    expect(out).toHaveLength(count);
    return out;
  }
}

/** The tokens of the last run of `bpe` over n symbols: tokenAt(0), tokenAt(nextOf(0)), ... */
function walk(bpe: Bpe, n: number): number[] {
  const out: number[] = [];
  // At most n tokens: a walk that goes on (a broken link) ends the test instead of looping.
  for (let i = 0; i < n && out.length <= n; i = bpe.nextOf(i)) out.push(bpe.tokenAt(i));
  return out;
}

// Letter b is token 1, the first token after a; c, d, ... follow.
const toy = () =>
  new Letters("abcd", [
    ["b", "c", 0],
    ["a", "b", 1],
    ["a", "a", 2],
    ["bc", "d", 3],
    ["a", "bc", 4],
  ]);

test("the pair with the lowest rank merges first, the leftmost first among equal ranks", () => {
  const v = toy();
  expect(v.encode("ab")).toEqual(["ab"]);
  expect(v.encode("bc")).toEqual(["bc"]);
  // b c (rank 0) before a b (rank 1), then a + bc (rank 4).
  expect(v.encode("abc")).toEqual(["abc"]);
  // Three a: the left pair merges, the right a is left over; four make two pairs.
  expect(v.encode("aaa")).toEqual(["aa", "a"]);
  expect(v.encode("aaaa")).toEqual(["aa", "aa"]);
  expect(v.encode("aaab")).toEqual(["aa", "ab"]);
  expect(v.encode("dcba")).toEqual(["d", "c", "b", "a"]);
  expect(v.encode("d")).toEqual(["d"]);
  expect(v.encode("")).toEqual([]);
});

test("a queued pair that an earlier merge changed is not merged at its old rank", () => {
  const v = toy();
  // a b (rank 1) is queued, but b c (rank 0) merges first: the pair at a is now a + bc (rank 4),
  // so bc + d (rank 3) goes before it, and a + bcd is no rule.
  expect(v.encode("abcd")).toEqual(["a", "bcd"]);
  expect(v.encode("aabcd")).toEqual(["aa", "bcd"]);
  expect(v.encode("abcabc")).toEqual(["abc", "abc"]);
});

test("an engine reused after longer runs encodes each run as on a fresh one: nothing left in its buffers joins in", () => {
  const v = toy();
  expect(v.encode("abcd")).toEqual(["a", "bcd"]);
  expect(v.encode("d")).toEqual(["d"]);
  expect(v.encode("aaaa")).toEqual(["aa", "aa"]);
  expect(v.encode("c")).toEqual(["c"]);
  // a b (rank 5) is queued, b c (rank 0) and a + bc (rank 1) merge first: the entry for a b is
  // stale and its position now ends the run. Past the end the buffers hold the x of "dddx", and
  // abc + x is a rule of the same rank 5: it must not apply to a run that has no x.
  const w = new Letters("abcdx", [
    ["b", "c", 0],
    ["a", "bc", 1],
    ["a", "b", 5],
    ["abc", "x", 5],
  ]);
  expect(w.encode("dddx")).toEqual(["d", "d", "d", "x"]);
  expect(w.encode("abc")).toEqual(["abc"]);
  expect(w.encode("abcx")).toEqual(["abcx"]);
});

test("every rule of a table applies to its own pair, wherever the hash table stored it (its first slot too)", () => {
  // All 576 ordered pairs of 24 symbols, each merging into a token of its own.
  const N = 24;
  const merges = new MergeTable(N * N);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) merges.add(a, b, a * N + b, N + a * N + b);
  expect(merges.slots[0]).not.toBe(-1); // the first slot holds a rule (find answers 0 for it)
  const bpe = new Bpe(merges, (slot) => merges.slots[slot + 3]);
  const wrong: string[] = [];
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      const n = bpe.run(Int32Array.of(a, b), 2);
      if (n !== 1 || bpe.tokenAt(0) !== N + a * N + b) wrong.push(`${a} ${b}: ${walk(bpe, 2).join(" ")}`);
    }
  }
  expect(wrong).toEqual([]);
});

/** A merge rule's pair as one number (left × 1024 + right), its rank and its result. */
type Rules = Map<number, { rank: number; result: number }>;

/**
 * BPE by its definition: while some neighbouring pair has a rule, merge the one with the lowest
 * rank, the leftmost among equal ranks. Quadratic, so for short runs only.
 */
function plainBpe(rules: Rules, symbols: number[]): number[] {
  const t = [...symbols];
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < t.length; i++) {
      const r = rules.get(t[i] * 1024 + t[i + 1]);
      if (r !== undefined && r.rank < bestRank) [best, bestRank] = [i, r.rank];
    }
    if (best < 0) return t;
    t.splice(best, 2, rules.get(t[best] * 1024 + t[best + 1])!.result);
  }
}

test("random vocabularies with many equal ranks: each run, on one engine reused across lengths, equals BPE by its definition", () => {
  const { floor } = Math;
  const wrong: string[] = [];
  // 100 vocabularies of 30 rules over 2-4 symbols, 40 runs each.
  for (let seed = 1; seed <= 100; seed++) {
    const rand = rng(seed * 104729);
    const symbols = 2 + floor(rand() * 3);
    const rules: Rules = new Map();
    const merges = new MergeTable(30);
    // Ranks 0-2 only: most rules share their rank with others.
    for (let i = 0, tokens = symbols; i < 30; i++) {
      const [a, b, rank] = [floor(rand() * tokens), floor(rand() * tokens), floor(rand() * 3)];
      if (rules.has(a * 1024 + b)) continue;
      rules.set(a * 1024 + b, { rank, result: tokens });
      merges.add(a, b, rank, tokens++);
    }
    const bpe = new Bpe(merges, (slot) => merges.slots[slot + 3]);
    for (let k = 0; k < 40; k++) {
      const seq = Array.from({ length: floor(rand() * 30) }, () => floor(rand() * symbols));
      const want = plainBpe(rules, seq);
      const count = bpe.run(Int32Array.from(seq), seq.length);
      const got = walk(bpe, seq.length);
      if (count !== want.length || got.join(" ") !== want.join(" ")) wrong.push(`seed ${seed}, [${seq.join(" ")}]: ${count} [${got.join(" ")}], by definition [${want.join(" ")}]`);
    }
  }
  expect(wrong).toEqual([]);
});

test("release() frees the buffers a run of more than 65,536 symbols grew (its result is gone), and keeps smaller ones for the next run", () => {
  const merges = new MergeTable(1);
  merges.add(0, 1, 0, 2);
  const bpe = new Bpe(merges, (slot) => merges.slots[slot + 3]);
  const run = (n: number) => {
    const sym = new Int32Array(n).fill(1);
    sym[0] = 0;
    return bpe.run(sym, n);
  };
  // 65,536 symbols: 0 1 merges into 2, the other 65,534 symbols stay.
  expect(run(65_536)).toBe(65_535);
  bpe.release();
  expect([bpe.tokenAt(0), bpe.nextOf(0), bpe.tokenAt(2)]).toEqual([2, 2, 1]);
  expect(run(65_537)).toBe(65_536);
  bpe.release();
  expect([bpe.tokenAt(0), bpe.nextOf(0)]).toEqual([undefined, undefined]);
  // The engine works as before after a release.
  expect(run(3)).toBe(2);
  expect(walk(bpe, 3)).toEqual([2, 1]);
});
