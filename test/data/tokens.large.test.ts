/**
 * Long runs counted exactly at megabyte scale (see tokens.test.ts for the rest). Separate because
 * it takes seconds: `npm run mutate` leaves `*.large.test.ts` out, `npm test` runs it.
 */
import { textCounter } from "../../data/tokens";
import { reference } from "./reference";

test("long runs of one character are counted exactly at any length (1 MB and 2 MB of 'a')", () => {
  const counter = textCounter("llama3");
  // Llama 3 has a token for eight a's ("aaaaaaaa"), and BPE of a long run of a's uses it throughout.
  expect(counter.count("a".repeat(1 << 20))).toBe((1 << 20) / 8);
  expect(counter.count("a".repeat(2 << 20))).toBe((2 << 20) / 8);
  expect(counter.count("a".repeat(6000))).toBe(reference.llama3("a".repeat(6000)));
});
