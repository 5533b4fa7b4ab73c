/**
 * Toy vocabularies for testing data/tokens/long-runs.ts on its own (longRuns.test.ts and
 * longRuns.large.test.ts): random merge tables over a few symbols, the chunked count with and
 * without skipping repeats, one whole BPE to compare with, and the random periodic-run cases.
 */
import { Bpe } from "../../data/tokens/bpe";
import { CHUNK_SYMBOLS, LongRuns, type RepeatSkip, type SymbolFill } from "../../data/tokens/long-runs";
import { MergeTable } from "../../data/tokens/merge-table";
import { rng } from "./texts";

export interface Toy {
  merges: MergeTable;
  /** Symbols of each token (tokens 0..symbols-1 are the symbols themselves). */
  spelling: number[][];
}

/**
 * A vocabulary over `symbols` symbols: merges of random pairs of existing tokens (at most
 * `maxLen` symbols long) with random priorities, plus (when `doubling`) the chain s+s, ss+ss,
 * ... up to 2^10 copies of symbol 0, so a run of it is a few tokens per chunk.
 */
export function toyVocab(rand: () => number, symbols: number, merges: number, doubling: boolean, maxLen = Infinity): Toy {
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

/** A BPE over the toy vocabulary (a merge's result is read straight from its slot). */
function bpe(toy: Toy): Bpe {
  return new Bpe(toy.merges, (slot) => toy.merges.slots[slot + 3]);
}

/** The chunked counter over the toy vocabulary, spelling tokens out from `spelling`. */
function longRuns(toy: Toy): LongRuns {
  return new LongRuns(bpe(toy), bpe(toy), (t, out, at) => {
    out.set(toy.spelling[t], at);
    return toy.spelling[t].length;
  });
}

/** Tokens of `seq` counted in chunks of the sizes `sizes` gives in turn (a fill may deliver fewer than asked), without skipping. */
export function unevenCount(toy: Toy, seq: Int32Array, sizes: () => number): number {
  const long = longRuns(toy);
  let pos = 0;
  return long.count((out, at, max) => {
    const n = Math.min(max, sizes(), seq.length - pos);
    out.set(seq.subarray(pos, pos + n), at);
    pos += n;
    return n;
  });
}

/** Tokens of `seq` by one whole BPE, by the chunked count skipping repeats, and (if asked) without skipping. */
export function counts(toy: Toy, seq: Int32Array, alsoWithoutSkipping = true): { chunked: number; skipping: number; whole: number } {
  const whole = bpe(toy).run(seq.slice(), seq.length);
  const run = (skip: boolean) => {
    const long = longRuns(toy);
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

/**
 * Case `seed`: a random vocabulary over 2-4 symbols, then a random prefix of up to 3,000
 * symbols and a random pattern (period 1-64) repeated over 3-6 chunks. The prefix makes the
 * first chunks' junctions differ from the steady state's, which is where a skip taken too early
 * (before the same region follows itself) miscounts: five of the first 1,000 cases.
 */
export function randomCase(seed: number): { toy: Toy; seq: Int32Array; period: number } {
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


/** The random cases among `seeds` whose count, skipping repeats, differs from one whole BPE. */
export function skippingMismatches(seeds: Iterable<number>): string[] {
  const wrong: string[] = [];
  for (const seed of seeds) {
    const { toy, seq, period } = randomCase(seed);
    const c = counts(toy, seq, false);
    if (c.skipping !== c.whole) wrong.push(`case ${seed}: period ${period}, ${seq.length} symbols: whole ${c.whole}, skipping ${c.skipping}`);
  }
  return wrong;
}

/** The random cases among `seeds` whose count, in chunks of random sizes (1 to a whole chunk), differs from one whole BPE. */
export function unevenMismatches(seeds: Iterable<number>): string[] {
  const wrong: string[] = [];
  for (const seed of seeds) {
    const { toy, seq } = randomCase(seed);
    const rand = rng(seed);
    const got = unevenCount(toy, seq, () => 1 + Math.floor(rand() * CHUNK_SYMBOLS));
    const want = counts(toy, seq, false).whole;
    if (got !== want) wrong.push(`case ${seed}: whole ${want}, uneven chunks ${got}`);
  }
  return wrong;
}

/** 1, 2, ..., n. */
export const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
