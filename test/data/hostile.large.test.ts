/**
 * The large hostile inputs (issue 13), at test scale: a 1 MB run of one letter, 100,000 keys on
 * one line, a line over 16 MiB, 200,000 levels of nesting, and the worker threads against the
 * calling thread on 3 MB. Separate from hostile.test.ts because each takes a second or more:
 * `npm run mutate` leaves `*.large.test.ts` out (stryker.config.js), `npm test` runs them.
 */
import { validateDataset, type ValidationReport } from "../../data";
import { defaultModel } from "../../config/models";
import { MAX_LINE_BYTES } from "../../data/rules";
import { tempFile, cleanup, chatLine, msg, goodChat, goodChats, found } from "./helpers";
import { llama3Raw } from "./reference";

afterAll(cleanup);

const model = defaultModel();
const check = (content: string | Buffer, countTokens = true, workers: number | "auto" = 0) => validateDataset({ trainingFile: tempFile(content), model, countTokens, workers });

test("a 1 MB run of one letter is counted exactly, and the lines after it are still checked", async () => {
  const run = "a".repeat(1 << 20);
  const r = await check(chatLine(msg("user", run), msg("assistant", "ok")) + "\n" + goodChats(60) + "not json\n");
  // Llama 3 encodes a long run of a's eight at a time: the count is the template's (with one
  // 8-letter user message, by the reference tokenizer) plus the rest of the run.
  const template = llama3Raw("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\naaaaaaaa<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nok<|eot_id|>");
  expect(found(r)).toEqual([[1, "EXAMPLE_TOO_LONG"], [62, "INVALID_JSON"]]);
  expect(r.errors[0].message).toMatch(new RegExp(`^${(template - 1 + (1 << 20) / 8).toLocaleString("en-US")} tokens \\(chat template included\\)`));
  expect(r.stats.training).toMatchObject({ lines: 62, examples: 62, validExamples: 60 });
});


test("100,000 unknown keys on one line: all counted, the first 100 kept, bounded", async () => {
  const keys = Array.from({ length: 100_000 }, (_, i) => `"k${i}": 1`).join(", ");
  const r = await check(`{"messages": [], ${keys}}\n`, false);
  expect(r.errorCount).toBe(100_001); // 100,000 unknown keys + EMPTY_MESSAGES
  expect(r.errors).toHaveLength(100);
  expect(r.errors[0]).toMatchObject({ line: 1, code: "UNKNOWN_KEY", message: 'unknown key "k0"; a chat example has only "messages": remove the key (or fix its spelling)' });
  expect(JSON.stringify(r).length).toBeLessThan(40_000);
});


test("a line over 16 MiB is LINE_TOO_LONG, skipped unread, and the next lines are checked", async () => {
  const big = `{"messages": [{"role": "user", "content": "${"x".repeat(MAX_LINE_BYTES)}"}]}`;
  const r = await check(goodChat(1) + "\n" + big + "\n" + "oops\n" + goodChats(60, 5), false);
  expect(found(r)).toEqual([[2, "LINE_TOO_LONG"], [3, "INVALID_JSON"]]);
  expect(r.errors[0].message).toBe("the line is longer than 16 MiB, far beyond any example the model can take; it was skipped unread (the file is probably missing line breaks between examples)");
  expect(r.stats.training).toMatchObject({ lines: 63, examples: 62, validExamples: 61 });
});


test("deep nesting is refused, not a stack overflow", async () => {
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  const r = await check(`${deep}\n{"messages": [${deep}]}\n{"messages": [{"role": "user", "content": "a", "meta": ${deep}}]}\n`, true);
  expect(found(r)).toEqual([[1, "NOT_AN_OBJECT"], [2, "MESSAGE_NOT_OBJECT"], [3, "UNKNOWN_KEY"], [3, "NO_ASSISTANT_MESSAGE"], [0, "TOO_FEW_EXAMPLES"]]);
});


test("worker threads give the same report as the calling thread (order, caps, duplicates across batches)", async () => {
  // About 3 MB: several 1 MiB batches, issues on both sides of batch boundaries, more issues than kept.
  const parts: string[] = [];
  for (let i = 0; i < 24_000; i++) {
    if (i % 1000 === 7) parts.push("broken");
    else if (i % 3000 === 11) parts.push(goodChat(5)); // a duplicate of line 6, across batches
    else if (i % 2000 === 13) parts.push("");
    else parts.push(goodChat(i));
  }
  const file = tempFile(parts.join("\n") + "\n");
  const inline = await validateDataset({ trainingFile: file, model, workers: 0 });
  const workers = await validateDataset({ trainingFile: file, model, workers: 2 });
  expect(inline.errorCount).toBe(24);
  expect(inline.warningCount).toBe(20);
  const strip = (r: ValidationReport) => ({ ...r, stats: { ...r.stats, durationMs: 0, workers: 0 } });
  expect(strip(workers)).toEqual(strip(inline));
});

