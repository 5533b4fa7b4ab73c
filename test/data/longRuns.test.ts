/**
 * data/tokens/long-runs.ts on its own: the chunked count, with and without skipping the chunks
 * that repeat (`repeat`), equals byte-pair encoding the whole run at once, on toy vocabularies
 * (toyVocab.ts) whose tokens and junctions behave in ways the Llama vocabularies rarely show on
 * a long run (tokens hundreds of symbols long, junctions that take back many tokens, runs whose
 * first chunks differ from the rest). tokens.test.ts checks the same code through the Llama
 * counters against the reference tokenizers; longRuns.large.test.ts runs the random cases by
 * the thousand (`npm test` runs it; `npm run mutate` leaves `*.large.test.ts` out, because under
 * Stryker's instrumentation those cases alone took 100 s for every mutant they cover).
 */
import { CHUNK_SYMBOLS } from "../../data/tokens/long-runs";
import { rng } from "./texts";
import { counts, skippingMismatches, toyVocab, unevenCount, unevenMismatches, upTo } from "./toyVocab";

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
