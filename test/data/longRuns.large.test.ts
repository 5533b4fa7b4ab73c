/**
 * The random long-run cases of longRuns.test.ts by the thousand (a few seconds; see that file for
 * what they check, and why `npm run mutate` leaves this file out).
 */
import { skippingMismatches, unevenMismatches, upTo } from "./toyVocab";

test("random vocabularies and periodic runs (1,000 cases): the chunked count, skipping repeats, equals one whole BPE", () => {
  expect(skippingMismatches(upTo(1000))).toEqual([]);
});

test("chunks of random sizes (100 cases) count exactly", () => {
  expect(unevenMismatches(upTo(100))).toEqual([]);
});
