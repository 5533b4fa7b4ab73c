/** The data gate's token checks and figures, and the text report (formatReport). */
import { validateDataset, formatReport, type ValidationReport } from "../../data";
import { defaultModel } from "../../config/models";
import { TEXT_GENERATION_MODEL } from "../helpers/retiredModels";
import { llama3Raw, reference } from "./reference";
import { tempFile, cleanup, chatLine, msg, goodChat, goodChats, goodCompletion, found, validatePadded as run } from "./helpers";

afterAll(cleanup);

const chatModel = defaultModel();
// No catalog model is text-generation since Llama 2's retirement (2025-06-30): a test-only stand-in.
const textModel = TEXT_GENERATION_MODEL;

describe("tokens", () => {
  test("EXAMPLE_TOO_LONG gives the exact templated count", async () => {
    const long = "word ".repeat(9000);
    const r = await run(chatLine(msg("user", long), msg("assistant", "ok")) + "\n", { countTokens: true });
    const templated =
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>" +
      `<|start_header_id|>user<|end_header_id|>\n\n${long.trim()}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nok<|eot_id|>`;
    const exact = llama3Raw(templated);
    expect(found(r)).toEqual([[1, "EXAMPLE_TOO_LONG"]]);
    expect(r.errors[0].message).toBe(`${exact.toLocaleString("en-US")} tokens (chat template included) but Meta-Llama-3.1-8B-Instruct is fine-tuned with at most 8,192; shorten the example or split the conversation into several examples`);
  });

  test("an example of exactly the model's limit is valid; one token more is EXAMPLE_TOO_LONG", async () => {
    const long = "word ".repeat(9000);
    const line = chatLine(msg("user", long), msg("assistant", "ok")) + "\n";
    const first = await run(line, { countTokens: true });
    const exact = Number(/^([\d,]+) tokens/.exec(first.errors[0].message)![1].replace(/,/g, ""));
    for (const countTokens of [true, false]) {
      const atLimit = await run(line, { countTokens, model: { ...chatModel, maxSequenceLength: exact } });
      const below = await run(line, { countTokens, model: { ...chatModel, maxSequenceLength: exact - 1 } });
      // Without token counting the example is still counted (it could be too long), but the
      // statistics say tokens were not counted rather than show one example's count.
      const longest = atLimit.stats.training.tokensPerExample?.max ?? "not counted";
      expect([countTokens, found(atLimit), found(below), longest]).toEqual([countTokens, [], [[1, "EXAMPLE_TOO_LONG"]], countTokens ? exact : "not counted"]);
    }
  });

  test("without token counting, an example that could be too long is still counted for the limit", async () => {
    const r = await run(chatLine(msg("user", "word ".repeat(9000)), msg("assistant", "ok")) + "\n" + chatLine(msg("user", "short"), msg("assistant", "ok")) + "\n", { countTokens: false });
    expect(found(r)).toEqual([[1, "EXAMPLE_TOO_LONG"]]);
    expect(r.stats.training.tokensPerExample).toBeNull();
  });

  test("summary: token distribution, tokens × epochs and cost from the given price", async () => {
    const file = tempFile(goodChats(20));
    const r = await validateDataset({ trainingFile: file, model: chatModel, epochs: 3, pricePer1kTokens: 0.25 });
    // Each example: the templated text of goodChat(i), counted by the reference tokenizer.
    const perExample = (i: number) =>
      llama3Raw("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a helpful support agent.<|eot_id|>" +
          `<|start_header_id|>user<|end_header_id|>\n\nQuestion number ${i}?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nAnswer number ${i}.<|eot_id|>`);
    const counts = Array.from({ length: 20 }, (_, i) => perExample(i)).sort((a, b) => a - b);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(r.stats.training.tokensPerExample).toEqual({ min: counts[0], median: counts[9], p95: counts[18], max: counts[19], total });
    expect(r.stats.trainingTokensTimesEpochs).toBe(total * 3);
    expect(r.stats.estimatedTrainingCost).toBe(Math.round(((total * 3) / 1000) * 0.25 * 10000) / 10000);
    expect(r.stats.training.roles).toEqual({ system: 20, user: 20, assistant: 20 });
    const text = formatReport(r);
    expect(text).toContain(`  tokens per example: min ${counts[0]}, median ${counts[9]}, p95 ${counts[18]}, max ${counts[19]}; total ${total.toLocaleString("en-US")}`);
    expect(text).toContain(`training tokens × epochs: ${total.toLocaleString("en-US")} × 3 = ${(total * 3).toLocaleString("en-US")}`);
    expect(text).toContain(`estimated training cost: ${r.stats.estimatedTrainingCost!.toFixed(2)} at 0.25 per 1K tokens (the price you gave; check the current Azure Marketplace price)`);
  });

  test("without a price there is no cost, and without counting no token statistics", async () => {
    const file = tempFile(goodChats(5));
    const r = await validateDataset({ trainingFile: file, model: chatModel });
    expect(r.stats.estimatedTrainingCost).toBeNull();
    expect(formatReport(r)).toContain("estimated training cost: give the current price per 1K training tokens (--price-per-1k) to estimate it");
    const n = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
    expect(n.stats.tokensCounted).toBe(false);
    expect(n.stats.training.tokensPerExample).toBeNull();
    expect(n.stats.trainingTokensTimesEpochs).toBeNull();
    expect(formatReport(n)).toContain("\ntokens were not counted\n");
    // A price without counted tokens gives no cost (not a cost of 0).
    const priced = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false, pricePer1kTokens: 0.25, epochs: 2 });
    expect(priced.stats).toMatchObject({ pricePer1kTokens: 0.25, epochs: 2, trainingTokensTimesEpochs: null, estimatedTrainingCost: null });
  });

  test("the report says how long the run took", async () => {
    const before = Date.now();
    const r = await validateDataset({ trainingFile: tempFile(goodChats(60)), model: chatModel, countTokens: false });
    const elapsed = Date.now() - before;
    expect(r.stats.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.stats.durationMs).toBeLessThanOrEqual(elapsed);
  });

  test("prompt/completion: BOS + prompt + completion + EOS", async () => {
    const file = tempFile(goodCompletion(1) + "\n");
    const r = await validateDataset({ trainingFile: file, model: textModel });
    expect(r.stats.training.tokensPerExample?.total).toBe(2 + reference.llama2("Prompt 1 -> answer 1"));
  });
});

test("formatReport lists errors as <file>:<line> [CODE] message, then warnings, then the summary", async () => {
  const file = tempFile('{"messages": []}\n' + goodChat(1) + "\n" + goodChat(1) + "\n");
  const r = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
  expect(formatReport(r).split("\n")).toEqual([
    "Errors (1):",
    `${file}:1 [EMPTY_MESSAGES] "messages" is empty; add at least a user message and the assistant's answer`,
    "",
    "Warnings (2):",
    `${file}:3 [DUPLICATE_EXAMPLE] duplicate of line 2; remove the copy (duplicates weigh that example more in training)`,
    `${file}:0 [TOO_FEW_EXAMPLES] ${r.warnings[1].message}`,
    "",
    "Summary for Meta-Llama-3.1-8B-Instruct (chat format, llama3 tokenizer, max 8,192 tokens per example):",
    `training: ${file} — 3 examples (2 valid), 3 lines, 0.00 MiB`,
    "  messages per example: min 3, mean 3, max 3",
    "  roles: system 2 (33.3%), user 2 (33.3%), assistant 2 (33.3%)",
    "tokens were not counted",
    "INVALID: 1 error; fix them before uploading",
  ]);
});

test("VALID with warnings, singular and plural", async () => {
  const one = await validateDataset({ trainingFile: tempFile(goodChats(60) + goodChat(0) + "\n"), model: chatModel, countTokens: false });
  expect(formatReport(one).split("\n").pop()).toBe("VALID (with 1 warning)");
  const noneFile = tempFile(goodChats(60));
  const none = await validateDataset({ trainingFile: noneFile, model: chatModel, countTokens: false });
  // Nothing to list: no "Errors"/"Warnings" headings, the summary alone.
  expect(formatReport(none).split("\n")).toEqual([
    "Summary for Meta-Llama-3.1-8B-Instruct (chat format, llama3 tokenizer, max 8,192 tokens per example):",
    `training: ${noneFile} — 60 examples (60 valid), 60 lines, ${(none.stats.training.bytes / 1024 / 1024).toFixed(2)} MiB`,
    "  messages per example: min 3, mean 3, max 3",
    "  roles: system 60 (33.3%), user 60 (33.3%), assistant 60 (33.3%)",
    "tokens were not counted",
    "VALID",
  ]);
  const two = await validateDataset({ trainingFile: tempFile(goodChats(60) + goodChat(0) + "\n" + goodChat(1) + "\n"), model: chatModel, countTokens: false });
  expect(formatReport(two).split("\n").pop()).toBe("VALID (with 2 warnings)");
});

test("formatReport of a given report: counts with separators, what is not shown, shares of roles, both files, tokens × epochs", () => {
  const issue = (line: number, code: string, severity: "error" | "warning") => ({ file: "t.jsonl", line, code, message: `m${line}`, severity });
  const file = (name: string, bytes: number) => ({ file: name, bytes, lines: 12_400, emptyLines: 55, examples: 12_345, validExamples: 12_000 });
  const report: ValidationReport = {
    valid: false,
    errors: [issue(3, "INVALID_JSON", "error"), issue(9, "EMPTY_MESSAGES", "error")],
    errorCount: 5,
    warnings: [issue(4, "EMPTY_LINE", "warning")],
    warningCount: 1_234,
    stats: {
      model: "Llama-3.3-70B-Instruct",
      format: "chat",
      tokenizer: "llama3",
      maxSequenceLength: 131_072,
      tokensCounted: true,
      training: { ...file("t.jsonl", 3.5 * 1024 * 1024), messagesPerExample: { min: 2, mean: 3.25, max: 9 }, roles: { system: 0, user: 1, assistant: 2 }, tokensPerExample: { min: 1_000, median: 2_000, p95: 5_000, max: 8_000, total: 1_234_567 } },
      validation: { ...file("v.jsonl", 1024 * 1024 * 0.004), messagesPerExample: null, roles: { system: 0, user: 0, assistant: 0 }, tokensPerExample: null },
      epochs: 2,
      trainingTokensTimesEpochs: 2_469_134,
      pricePer1kTokens: 0.5,
      estimatedTrainingCost: 1234.567,
      durationMs: 1,
      workers: 0,
    },
  };
  expect(formatReport(report).split("\n")).toEqual([
    "Errors (5):",
    "t.jsonl:3 [INVALID_JSON] m3",
    "t.jsonl:9 [EMPTY_MESSAGES] m9",
    "… and 3 more errors not shown",
    "",
    "Warnings (1,234):",
    "t.jsonl:4 [EMPTY_LINE] m4",
    "… and 1,233 more warnings not shown",
    "",
    "Summary for Llama-3.3-70B-Instruct (chat format, llama3 tokenizer, max 131,072 tokens per example):",
    "training: t.jsonl — 12,345 examples (12,000 valid), 12,400 lines, 3.50 MiB",
    "  messages per example: min 2, mean 3.25, max 9",
    "  roles: system 0 (0.0%), user 1 (33.3%), assistant 2 (66.7%)",
    "  tokens per example: min 1,000, median 2,000, p95 5,000, max 8,000; total 1,234,567",
    "validation: v.jsonl — 12,345 examples (12,000 valid), 12,400 lines, 0.00 MiB",
    "  roles: system 0 (0%), user 0 (0%), assistant 0 (0%)",
    "training tokens × epochs: 1,234,567 × 2 = 2,469,134",
    "estimated training cost: 1,234.57 at 0.5 per 1K tokens (the price you gave; check the current Azure Marketplace price)",
    "INVALID: 5 errors; fix them before uploading",
  ]);
  // Every issue shown: no "not shown" lines; one error is singular.
  const shown = formatReport({ ...report, errors: report.errors.slice(0, 1), errorCount: 1, warningCount: 1 }).split("\n");
  expect(shown.filter((l) => l.includes("not shown") || l.startsWith("INVALID") || l.startsWith("Errors") || l.startsWith("Warnings"))).toEqual(["Errors (1):", "Warnings (1):", "INVALID: 1 error; fix them before uploading"]);
});

test("tokens counted but no valid example: the summary says 0 tokens, not that tokens were not counted", async () => {
  const r = await validateDataset({ trainingFile: tempFile('{"messages": []}\n'), model: chatModel, countTokens: true, pricePer1kTokens: 1 });
  expect(r.stats).toMatchObject({ trainingTokensTimesEpochs: 0, estimatedTrainingCost: 0 });
  expect(r.stats.training.tokensPerExample).toBeNull();
  expect(formatReport(r).split("\n").slice(-3)).toEqual([
    "training tokens × epochs: 0 × 1 = 0",
    "estimated training cost: 0.00 at 1 per 1K tokens (the price you gave; check the current Azure Marketplace price)",
    "INVALID: 1 error; fix them before uploading",
  ]);
});

test("formatReport of a prompt/completion file: no messages or roles lines (the format has neither), tokens when counted", async () => {
  const file = tempFile([1, 2, 3].map((i) => goodCompletion(i) + "\n").join("") + '{"prompt": "a"}\n');
  const r = await validateDataset({ trainingFile: file, model: textModel, countTokens: false });
  expect(r.stats.training).toMatchObject({ messagesPerExample: null, roles: null });
  expect(formatReport(r).split("\n")).toEqual([
    "Errors (1):",
    `${file}:4 [MISSING_COMPLETION] no "completion"; add the text the model should generate after the prompt`,
    "",
    "Warnings (1):",
    `${file}:0 [TOO_FEW_EXAMPLES] ${r.warnings[0].message}`,
    "",
    `Summary for ${textModel.name} (prompt-completion format, llama2 tokenizer, max 4,096 tokens per example):`,
    `training: ${file} — 4 examples (3 valid), 4 lines, 0.00 MiB`,
    "tokens were not counted",
    "INVALID: 1 error; fix them before uploading",
  ]);
  const counted = await validateDataset({ trainingFile: file, model: textModel, epochs: 2 });
  // Each example: BOS + "Prompt i -> answer i" + EOS.
  const counts = [1, 2, 3].map((i) => 2 + reference.llama2(`Prompt ${i} -> answer ${i}`)).sort((a, b) => a - b);
  const total = counts[0] + counts[1] + counts[2];
  expect(formatReport(counted).split("\n").slice(7, -1)).toEqual([
    `training: ${file} — 4 examples (3 valid), 4 lines, 0.00 MiB`,
    `  tokens per example: min ${counts[0]}, median ${counts[1]}, p95 ${counts[2]}, max ${counts[2]}; total ${total}`,
    `training tokens × epochs: ${total} × 2 = ${total * 2}`,
    "estimated training cost: give the current price per 1K training tokens (--price-per-1k) to estimate it",
  ]);
});
