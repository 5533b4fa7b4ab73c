/**
 * data/tokens/long-runs.ts on its own: the chunked count, with and without skipping the chunks
 * that repeat (`repeat`), equals byte-pair encoding the whole run at once, on toy vocabularies
 * whose tokens and junctions behave in ways the Llama vocabularies rarely show on a long run
 * (tokens hundreds of symbols long, junctions that take back many tokens, runs whose first
 * chunks differ from the rest). tokens.test.ts checks the same code through the Llama counters
 * against the reference tokenizers.
 */
import { Bpe } from "../../data/tokens/bpe";
import { CHUNK_SYMBOLS, LongRuns, type RepeatSkip, type SymbolFill } from "../../data/tokens/long-runs";
import { MergeTable } from "../../data/tokens/merge-table";
import { rng } from "./texts";

interface Toy {
  merges: MergeTable;
  /** Symbols of each token (tokens 0..symbols-1 are the symbols themselves). */
  spelling: number[][];
}

/**
 * A vocabulary over `symbols` symbols: merges of random pairs of existing tokens (at most
 * `maxLen` symbols long) with random priorities, plus (when `doubling`) the chain s+s, ss+ss,
 * ... up to 2^10 copies of symbol 0, so a run of it is a few tokens per chunk.
 */
function toyVocab(rand: () => number, symbols: number, merges: number, doubling: boolean, maxLen = Infinity): Toy {
  const spelling: number[][] = Array.from({ length: symbols }, (_, s) => [s]);
  const rules: [number, number, number][] = [];
  const seen = new Set<string>();
  const addRule = (a: number, b: number, rank: number) => {
    const key = `${a} ${b}`;
    if (seen.has(key) || spelling[a].length + spelling[b].length > maxLen) return;
    seen.add(key);
    spelling.push([...spelling[a], ...spelling[b]]);
    rules.push([a, b, rank]);
  };
  if (doubling) {
    let t = 0;
    for (let k = 0; k < 10; k++) {
      addRule(t, t, k);
      t = spelling.length - 1;
    }
  }
  for (let i = 0; i < merges; i++) addRule(Math.floor(rand() * spelling.length), Math.floor(rand() * spelling.length), Math.floor(rand() * 1000));
  const table = new MergeTable(rules.length);
  rules.forEach(([a, b, rank], i) => table.add(a, b, rank, symbols + i));
  return { merges: table, spelling };
}

/** Tokens of `seq` counted in chunks of the sizes `sizes` gives in turn (a fill may deliver fewer than asked), without skipping. */
function unevenCount(toy: Toy, seq: Int32Array, sizes: () => number): number {
  const resolve = (slot: number) => toy.merges.slots[slot + 3];
  const long = new LongRuns(new Bpe(toy.merges, resolve), new Bpe(toy.merges, resolve), (t, out, at) => {
    out.set(toy.spelling[t], at);
    return toy.spelling[t].length;
  });
  let pos = 0;
  return long.count((out, at, max) => {
    const n = Math.min(max, sizes(), seq.length - pos);
    out.set(seq.subarray(pos, pos + n), at);
    pos += n;
    return n;
  });
}

/** Tokens of `seq` by one whole BPE, by the chunked count skipping repeats, and (if asked) without skipping. */
function counts(toy: Toy, seq: Int32Array, alsoWithoutSkipping = true): { chunked: number; skipping: number; whole: number } {
  const resolve = (slot: number) => toy.merges.slots[slot + 3];
  const whole = new Bpe(toy.merges, resolve).run(seq.slice(), seq.length);
  const run = (skip: boolean) => {
    const long = new LongRuns(new Bpe(toy.merges, resolve), new Bpe(toy.merges, resolve), (t, out, at) => {
      out.set(toy.spelling[t], at);
      return toy.spelling[t].length;
    });
    let pos = 0;
    let from = 0;
    const fill: SymbolFill = (out, at, max) => {
      from = pos;
      const n = Math.min(max, seq.length - pos);
      out.set(seq.subarray(pos, pos + n), at);
      pos += n;
      return n;
    };
    // The contract the Llama counters keep: skip only an exact copy of the last full fill.
    const repeat: RepeatSkip = () => {
      const u = pos - from;
      if (u !== CHUNK_SYMBOLS || pos + u > seq.length) return false;
      for (let i = 0; i < u; i++) if (seq[pos + i] !== seq[from + i]) return false;
      from = pos;
      pos += u;
      return true;
    };
    return long.count(fill, skip ? repeat : undefined);
  };
  const skipping = run(true);
  return { chunked: alsoWithoutSkipping ? run(false) : whole, skipping, whole };
}

test("a run of one symbol whose tokens are 1,024 symbols long, after a prefix that shifts every junction", () => {
  // Such tokens never join up after a shifted start: every junction takes back the whole run
  // so far (quadratic, but exact), and no region repeats, so nothing is skipped either.
  const toy = toyVocab(rng(1), 3, 0, true);
  for (const prefix of [[], [1], [1, 0, 0], [2, 1], Array(1023).fill(0).concat([1])]) {
    const seq = Int32Array.from([...prefix, ...Array<number>(5 * CHUNK_SYMBOLS + 77).fill(0), 2, 1]);
    const c = counts(toy, seq);
    expect([prefix.length, c.chunked, c.skipping]).toEqual([prefix.length, c.whole, c.whole]);
  }
});

/**
 * Case `seed`: a random vocabulary over 2-4 symbols, then a random prefix of up to 3,000
 * symbols and a random pattern (period 1-64) repeated over 3-6 chunks. The prefix makes the
 * first chunks' junctions differ from the steady state's, which is where a skip taken too early
 * (before the same region follows itself) miscounts: five of the first 1,000 cases.
 */
function randomCase(seed: number): { toy: Toy; seq: Int32Array; period: number } {
  const rand = rng(seed * 7919);
  const symbols = 2 + Math.floor(rand() * 3);
  const toy = toyVocab(rand, symbols, 20 + Math.floor(rand() * 400), rand() < 0.5, [8, 32, 128, 1024][Math.floor(rand() * 4)]);
  const period = [1, 2, 4, 8, 16, 32, 64][Math.floor(rand() * 7)];
  const pick = () => Math.floor(rand() * symbols);
  const prefix = Array.from({ length: Math.floor(rand() * 3000) }, pick);
  const pattern = Array.from({ length: period }, pick);
  const body = (3 + Math.floor(rand() * 3)) * CHUNK_SYMBOLS + Math.floor(rand() * CHUNK_SYMBOLS);
  const seq = new Int32Array(prefix.length + body + Math.floor(rand() * 40));
  seq.set(prefix);
  for (let i = 0; i < body; i++) seq[prefix.length + i] = pattern[i % period];
  for (let i = prefix.length + body; i < seq.length; i++) seq[i] = pick();
  return { toy, seq, period };
}

test("random vocabularies and periodic runs (1,000 cases): the chunked count, skipping repeats, equals one whole BPE", () => {
  const wrong: string[] = [];
  for (let seed = 1; seed <= 1000; seed++) {
    const { toy, seq, period } = randomCase(seed);
    const c = counts(toy, seq, false);
    if (c.skipping !== c.whole) wrong.push(`case ${seed}: period ${period}, ${seq.length} symbols: whole ${c.whole}, skipping ${c.skipping}`);
  }
  expect(wrong).toEqual([]);
});

test("chunks of any size the fill delivers, down to one symbol that merges everything taken back, count exactly", () => {
  // After 1,023 symbols (ten tokens, 512 + 256 + ... + 1), one more symbol makes one token of
  // 1,024: the step takes back ten tokens and leaves one, and the run goes on after it.
  const toy = toyVocab(rng(1), 3, 0, true);
  const run = Int32Array.from({ length: 6 * CHUNK_SYMBOLS + 5 }, (_, i) => (i % 2051 === 2050 ? 1 : 0));
  const whole = counts(toy, run, false).whole;
  for (const sizes of [[1023, 1], [1023, 1, 2048], [7, 1016, 1, 1024]]) {
    let k = 0;
    expect([sizes, unevenCount(toy, run, () => sizes[k++ % sizes.length])]).toEqual([sizes, whole]);
  }
  const wrong: string[] = [];
  for (let seed = 1; seed <= 100; seed++) {
    const { toy: t, seq } = randomCase(seed);
    const rand = rng(seed);
    const got = unevenCount(t, seq, () => 1 + Math.floor(rand() * CHUNK_SYMBOLS));
    const want = counts(t, seq, false).whole;
    if (got !== want) wrong.push(`case ${seed}: whole ${want}, uneven chunks ${got}`);
  }
  expect(wrong).toEqual([]);
});
