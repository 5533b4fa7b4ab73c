/**
 * data/tokens/long-runs.ts on its own: the chunked count, with and without skipping the chunks
 * that repeat (`repeat`), equals byte-pair encoding the whole run at once, on toy vocabularies
 * (toyVocab.ts) whose tokens and junctions behave in ways the Llama vocabularies rarely show on
 * a long run (tokens hundreds of symbols long, junctions that take back many tokens, runs whose
 * first chunks differ from the rest). tokens.test.ts checks the same code through the Llama
 * counters against the reference tokenizers; longRuns.large.test.ts runs the random cases by
 * the thousand (`npm test` runs it; `npm run mutate` leaves `*.large.test.ts` out, because under
 * Stryker's instrumentation those cases alone took 100 s for every mutant they cover).
 *
 * Also its parts and promises on hand-built vocabularies: `unitsRepeat` and `validPair` exactly,
 * the junction search at the end of the 4,096 tokens it keeps (LongRunOverflow), and the work a
 * run costs as the file's comments promise it (each distinct region encoded once, each distinct
 * pair checked once, copies of a chunk skipped without being filled), counted through the
 * public API: the fill's calls and the runs of the two Bpe engines.
 */
import { Bpe } from "../../data/tokens/bpe";
import { CHUNK_SYMBOLS, LongRunOverflow, LongRuns, MAX_TOKEN_SYMBOLS, type SymbolFill, unitsRepeat } from "../../data/tokens/long-runs";
import { MergeTable } from "../../data/tokens/merge-table";
import { llama2Vocab, llama3Vocab } from "../../data/tokens/vocab";
import { rng } from "./texts";
import { counts, skippingMismatches, type Toy, toyVocab, unevenCount, unevenMismatches, upTo } from "./toyVocab";

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

test("random vocabularies and periodic runs: the chunked count, skipping repeats, equals one whole BPE", () => {
  // The first 60 cases, and the five of the first 1,000 where a skip taken before the same
  // region follows itself (dropping `region === appended` in long-runs.ts) miscounts: 587, 615,
  // 822, 853 and 878 (by one or two tokens each).
  expect(skippingMismatches([...upTo(60), 587, 615, 822, 853, 878])).toEqual([]);
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
  expect(unevenMismatches(upTo(20))).toEqual([]);
});

test("a junction may take back more symbols than a region holds: four tokens of 1,024 and the ten after them", () => {
  // 4,096 zeros are four tokens of 1,024, the next 1,023 are ten (512 + ... + 1); one zero more
  // merges the ten into one 1,024, so the junction takes back all 14 tokens (5,119 symbols).
  const toy = toyVocab(rng(1), 3, 0, true);
  const run = new Int32Array(5 * 1024);
  for (const sizes of [[2048, 2048, 1023, 1], [1024, 3072, 1023, 1]]) {
    let k = 0;
    expect([sizes, unevenCount(toy, run, () => sizes[k++ % sizes.length])]).toEqual([sizes, 5]);
  }
  expect(counts(toy, run, false).whole).toBe(5);
});

/** Bpe that records each run's symbols (to count how often the counter encodes a region or checks a pair). */
class RecordingBpe extends Bpe {
  readonly runs: string[] = [];
  override run(sym: Int32Array, n: number): number {
    this.runs.push(sym.subarray(0, n).join(","));
    return super.run(sym, n);
  }
}

type TokenSymbols = (t: number, out: Int32Array, at: number) => number;

/** Spells a toy vocabulary's tokens out from its `spelling`. */
const spelledBy =
  (toy: Toy): TokenSymbols =>
  (t, out, at) => {
    out.set(toy.spelling[t], at);
    return toy.spelling[t].length;
  };

/** The chunked counter over a merge table, with both its engines recording, and the pairs it checked. */
function recording(merges: MergeTable, tokenSymbols: TokenSymbols) {
  const resolve = (slot: number) => merges.slots[slot + 3];
  const chunks = new RecordingBpe(merges, resolve);
  const pairBpe = new RecordingBpe(merges, resolve);
  const asked: string[] = [];
  const long = new (class extends LongRuns {
    override validPair(a: number, b: number): boolean {
      asked.push(`${a} ${b}`);
      return super.validPair(a, b);
    }
  })(chunks, pairBpe, tokenSymbols);
  return { long, chunks, pairBpe, asked };
}

/** A fill over `seq` in chunks of at most `max`, and the number of times it was called. */
function filler(seq: Int32Array): { fill: SymbolFill; calls: () => number; at: () => number; skip: (u: number) => void } {
  let pos = 0;
  let calls = 0;
  return {
    fill: (out, at, max) => {
      calls++;
      const n = Math.min(max, seq.length - pos);
      out.set(seq.subarray(pos, pos + n), at);
      pos += n;
      return n;
    },
    calls: () => calls,
    at: () => pos,
    skip: (u) => (pos += u),
  };
}

const distinct = (xs: string[]) => new Set(xs).size;

describe("unitsRepeat: whether the next units of a string copy the last fill's", () => {
  test("a copy of s[from, pos) right after it, ending at or before `end`", () => {
    expect(unitsRepeat("abcabcabx", 0, 3, 9)).toBe(true);
    expect(unitsRepeat("xxabcabc", 2, 5, 8)).toBe(true);
    // The copy may end exactly at `end`, not past it (a slice of a longer string).
    expect(unitsRepeat("abcabc", 0, 3, 6)).toBe(true);
    expect(unitsRepeat("abcabc", 0, 3, 5)).toBe(false);
    expect(unitsRepeat("xxabcabc", 2, 5, 7)).toBe(false);
  });

  test("units that differ anywhere, or a shorter rest, are no copy", () => {
    expect(unitsRepeat("abcabcabx", 3, 6, 9)).toBe(false);
    expect(unitsRepeat("abcxbc", 0, 3, 6)).toBe(false);
    expect(unitsRepeat("xxabcabd", 2, 5, 8)).toBe(false);
    expect(unitsRepeat("abcab", 0, 3, 5)).toBe(false);
  });
});

test("validPair: whether BPE encodes the two tokens' text as exactly those two tokens", () => {
  // Symbols 0 1 2; rules 1 2 -> 3 (rank 0), 0 1 -> 4 (rank 1).
  const merges = new MergeTable(2);
  merges.add(1, 2, 0, 3);
  merges.add(0, 1, 1, 4);
  const spelling = [[0], [1], [2], [1, 2], [0, 1]];
  const { long } = recording(merges, spelledBy({ merges, spelling }));
  expect(long.validPair(0, 0)).toBe(true);
  // They merge into one token.
  expect(long.validPair(0, 1)).toBe(false);
  expect(long.validPair(0, 0)).toBe(true);
  expect(long.validPair(2, 1)).toBe(true);
  // "0 1 2" is 0 + [1 2]: two tokens, but not [0 1] then 2.
  expect(long.validPair(4, 2)).toBe(false);
  expect(long.validPair(0, 3)).toBe(true);
  expect(long.validPair(3, 0)).toBe(true);
});

describe("a junction that needs more than the 4,096 committed tokens kept", () => {
  // Symbol 0 never merges with itself; 0^k 1 is one token (id k + 1) for every k up to 4,096
  // (rules 0 1, 0 + [0 1], 0 + [0 0 1], ...), so a 1 after a run of zeros takes back every zero.
  const K = 4096;
  const merges = new MergeTable(K);
  for (let k = 1; k <= K; k++) merges.add(0, k, k - 1, k + 1);
  const spell: TokenSymbols = (t, out, at) => {
    if (t < 2) {
      out[at] = t;
      return 1;
    }
    out.fill(0, at, at + t - 1);
    out[at + t - 1] = 1;
    return t;
  };
  /** `zeros` zeros then a 1, in chunks of the sizes given in turn. */
  const run = (zeros: number, sizes: number[]) => {
    const seq = new Int32Array(zeros + 1);
    seq[zeros] = 1;
    const f = filler(seq);
    let k = 0;
    return recording(merges, spell).long.count((out, at, max) => f.fill(out, at, Math.min(max, sizes[k++ % sizes.length])));
  };

  test("4,096 zeros then a 1: the junction takes back all of them and counts one token", () => {
    expect(run(4096, [2048])).toBe(1);
    expect(run(4095, [2048])).toBe(1);
  });

  test("one zero more is past the kept history: LongRunOverflow (the Llama counters then encode the run whole)", () => {
    expect(() => run(4097, [2048, 2048, 1])).toThrow(new LongRunOverflow("junction search ran past the kept history"));
    expect(() => run(6000, [1000])).toThrow(LongRunOverflow);
  });
});

describe("the work a long run costs", () => {
  test("a run repeating a pattern after a prefix encodes each distinct region once and checks each distinct pair once (the caches), and counts exactly", () => {
    for (const period of [3, 5, 7]) {
      const toy = toyVocab(rng(period), 3, 60, true, 32);
      const pattern = [0, 1, 0, 2, 1, 0, 0].slice(0, period);
      const seq = Int32Array.from({ length: 20 * CHUNK_SYMBOLS + 300 }, (_, i) => (i < 300 ? i % 3 : pattern[i % period]));
      const { long, chunks, pairBpe, asked } = recording(toy.merges, spelledBy(toy));
      const got = long.count(filler(seq).fill);
      // 21 chunks, 6 to 12 distinct regions (the chunk phases of the pattern, and the prefix's).
      expect([period, got, chunks.runs.length, pairBpe.runs.length]).toEqual([period, counts(toy, seq, false).whole, distinct(chunks.runs), distinct(asked)]);
      expect(chunks.runs.length).toBeLessThan(13);
    }
  });

  test("a run of one symbol is filled only until its chunks repeat; the copies after that are skipped, not filled or encoded", () => {
    const toy = toyVocab(rng(1), 3, 0, true);
    const seq = new Int32Array(50 * CHUNK_SYMBOLS + 77);
    const f = filler(seq);
    let skipped = 0;
    const repeat = () => {
      // The contract of RepeatSkip: skip only an exact copy of the last full fill (here every full chunk is one).
      if (seq.length - f.at() < CHUNK_SYMBOLS || f.at() % CHUNK_SYMBOLS !== 0) return false;
      f.skip(CHUNK_SYMBOLS);
      skipped++;
      return true;
    };
    const { long, chunks } = recording(toy.merges, spelledBy(toy));
    // 50 chunks of 2,048 zeros are 100 tokens of 1,024; the last 77 zeros are 64 + 8 + 4 + 1.
    expect(long.count(f.fill, repeat)).toBe(104);
    // Two chunks (the second finds the first's region after itself: the steady state), 48
    // skipped, the last 77 symbols, and the empty fill that ends the run.
    expect([f.calls(), skipped]).toEqual([4, 48]);
    expect(chunks.runs.length).toBe(distinct(chunks.runs));
  });
});

test("a steady state left after one chunk, or after skipping copies, keeps the history a later junction takes back", () => {
  // 0 1 is a token, and a 2 after k of them is one token (01)^k 2, for k up to 64: a 2 takes
  // back every 0 1 before it. Chunks of 6 symbols: the second finds the first's region after
  // itself (the steady state); copies after it are skipped while the run repeats exactly.
  const merges = new MergeTable(66);
  const spelling = [[0], [1], [2], [0, 1], [0, 1, 2]];
  merges.add(0, 1, 0, 3);
  merges.add(3, 2, 1, 4);
  for (let k = 2; k <= 64; k++) {
    merges.add(3, spelling.length - 1, k, spelling.length);
    spelling.push([0, 1, ...spelling[spelling.length - 1]]);
  }
  const toy: Toy = { merges, spelling };
  for (const pairs of [6, 12, 30, 31, 64]) {
    const seq = Int32Array.from({ length: 2 * pairs + 1 }, (_, i) => (i === 2 * pairs ? 2 : i % 2));
    const f = filler(seq);
    let last = 0;
    const fill: SymbolFill = (out, at) => {
      last = f.at();
      return f.fill(out, at, 6);
    };
    const repeat = () => {
      const u = f.at() - last;
      if (u !== 6 || f.at() + u > seq.length || seq.subarray(f.at(), f.at() + u).join() !== seq.subarray(last, f.at()).join()) return false;
      last = f.at();
      f.skip(u);
      return true;
    };
    const { long } = recording(merges, spelledBy(toy));
    // One token, (01)^pairs 2. Four fills: two chunks, the rest (after any skipped copies), the end.
    expect([pairs, long.count(fill, repeat), f.calls()]).toEqual([pairs, 1, 4]);
  }
});

test("the longest token of each Llama vocabulary fits the buffers LongRuns sizes by MAX_TOKEN_SYMBOLS", () => {
  // LongRuns writes a token taken back into its region after growing it by MAX_TOKEN_SYMBOLS,
  // and two tokens into its pair buffer: a longer token would be cut short there, silently.
  const { offset } = llama3Vocab().tokens;
  let bytes = 0;
  for (let t = 0; t + 1 < offset.length; t++) bytes = Math.max(bytes, offset[t + 1] - offset[t]);
  const chars = llama2Vocab().text.reduce((most, t) => Math.max(most, [...t].length), 0);
  expect({ llama3Bytes: bytes, llama2Chars: chars }).toEqual({ llama3Bytes: 128, llama2Chars: 16 });
  expect(Math.max(bytes, chars)).toBeLessThanOrEqual(MAX_TOKEN_SYMBOLS);
});
