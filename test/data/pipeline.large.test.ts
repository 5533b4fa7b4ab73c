/**
 * The read/check pipeline with lines of many megabytes (data/validate.ts, data/executor.ts,
 * data/lines.ts): such a batch is checked alone and always by the first worker, batches move to
 * the workers without copies when the reader owns their memory; none of that may change the
 * report. Separate (`*.large.test.ts`) because it reads 20 MB: `npm run mutate` leaves it out.
 */
import { validateDataset, type ValidationReport } from "../../data";
import { defaultModel } from "../../config/models";
import { tempFile, cleanup, chatLine, msg, goodChat } from "./helpers";

afterAll(cleanup);

const model = defaultModel();
const strip = (r: ValidationReport) => ({ ...r, stats: { ...r.stats, durationMs: 0, workers: 0 } });

test("lines of 5 MB among ordinary ones: worker threads give the same report as the calling thread", async () => {
  const words = "the quick brown fox jumps over the lazy dog and then some more words ".repeat(70_000); // ~5 MB
  const big = (i: number) => chatLine(msg("user", `question ${i}`), msg("assistant", `${words}${i}`));
  const parts: string[] = [];
  for (let i = 0; i < 3000; i++) {
    parts.push(goodChat(i));
    if (i % 1000 === 500) parts.push(big(i));
  }
  parts.push(big(500)); // a duplicate of a big line
  parts.push(`{"messages": [{"role": "${"r".repeat(5_000_000)}", "content": "hi"}]}`); // a 5 MB role
  const file = tempFile(parts.join("\n") + "\n");
  const inline = await validateDataset({ trainingFile: file, model, workers: 0 });
  const workers = await validateDataset({ trainingFile: file, model, workers: 2 });
  expect(inline.stats.training.lines).toBe(3005);
  expect(inline.errors.map((e) => [e.line, e.code])).toEqual([
    [502, "EXAMPLE_TOO_LONG"],
    [1503, "EXAMPLE_TOO_LONG"],
    [2504, "EXAMPLE_TOO_LONG"],
    [3004, "EXAMPLE_TOO_LONG"],
    [3005, "UNKNOWN_ROLE"],
  ]);
  expect(strip(workers)).toEqual(strip(inline));
});
