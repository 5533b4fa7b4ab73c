import { validateDataset, formatReport, type ValidationReport } from "../../data";
import { defaultModel, type LlamaModel } from "../../config/models";
import { TEXT_GENERATION_MODEL } from "../helpers/retiredModels";
import { tempFile, cleanup, chatLine, msg, goodChat, goodChats, goodCompletion } from "./helpers";

afterAll(cleanup);

const chatModel = defaultModel();
// No catalog model is text-generation since Llama 2's retirement (2025-06-30): a test-only stand-in.
const textModel = TEXT_GENERATION_MODEL;

/** Validates `content` (plus 60 good examples so that TOO_FEW_EXAMPLES stays out of the way). */
async function run(content: string | Buffer, opts: { model?: LlamaModel; pad?: boolean; countTokens?: boolean } = {}): Promise<ValidationReport> {
  const pad = opts.pad ?? true;
  const model = opts.model ?? chatModel;
  const padding = pad ? (model.task === "chat-completion" ? goodChats(60, 1000) : Array.from({ length: 60 }, (_, i) => goodCompletion(1000 + i) + "\n").join("")) : "";
  const file = tempFile(Buffer.concat([Buffer.from(content), Buffer.from(padding)]));
  return validateDataset({ trainingFile: file, model, countTokens: opts.countTokens ?? false });
}

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);
const only = (r: ValidationReport, code: string) => [...r.errors, ...r.warnings].filter((i) => i.code === code);

describe("valid files", () => {
  test("a clean chat file is valid with no issues", async () => {
    const r = await run(goodChats(3));
    expect(r.valid).toBe(true);
    expect(r.errorCount).toBe(0);
    expect(r.warningCount).toBe(0);
    expect(r.stats.training.examples).toBe(63);
    expect(r.stats.training.validExamples).toBe(63);
  });

  test("CRLF line endings are accepted", async () => {
    const r = await run(goodChat(1) + "\r\n" + goodChat(2) + "\r\n");
    expect(r.valid).toBe(true);
    expect(r.warningCount).toBe(0);
  });

  test("multi-turn conversations that alternate are valid", async () => {
    const r = await run(chatLine(msg("user", "a"), msg("assistant", "b"), msg("user", "c"), msg("assistant", "d")) + "\n");
    expect(r.valid).toBe(true);
    expect(r.stats.training.messagesPerExample?.max).toBe(4);
  });
});

describe("encoding and JSON", () => {
  test("NOT_UTF8 on the line with invalid bytes", async () => {
    const bad = Buffer.concat([Buffer.from('{"messages": [{"role": "user", "content": "caf'), Buffer.from([0xe9]), Buffer.from('"}]}\n')]);
    const r = await run(Buffer.concat([Buffer.from(goodChat(1) + "\n"), bad]));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatchObject({ line: 2, code: "NOT_UTF8", severity: "error" });
    expect(r.errors[0].message).toMatch(/UTF-8/);
  });

  test("BOM is reported on line 1 (a warning) and the line is still checked", async () => {
    const r = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(goodChat(1) + "\n")]));
    expect(r.valid).toBe(true);
    expect(only(r, "BOM")).toEqual([expect.objectContaining({ line: 1, severity: "warning" })]);
    expect(r.stats.training.validExamples).toBe(61);
  });

  test("INVALID_JSON gives the column and a fix", async () => {
    const r = await run(goodChat(1) + "\n" + '{"messages": [{"role": "user", "content": "hi"},]}\n');
    const e = only(r, "INVALID_JSON")[0];
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/column 49:/); // the "]" after the trailing comma
    expect(e.message).toMatch(/trailing comma/);
  });

  test("INVALID_JSON for single quotes and for a pretty-printed (multi-line) object", async () => {
    const r = await run("{'messages': []}\n{\n");
    const [a, b] = only(r, "INVALID_JSON");
    expect(a).toMatchObject({ line: 1 });
    expect(a.message).toMatch(/column 2.*double quotes/);
    expect(b).toMatchObject({ line: 2 });
    expect(b.message).toMatch(/single line/);
  });

  test("NOT_AN_OBJECT for arrays, strings, numbers", async () => {
    const r = await run('[1,2]\n"text"\n42\n');
    expect(only(r, "NOT_AN_OBJECT").map((e) => e.line)).toEqual([1, 2, 3]);
  });
});

describe("chat format", () => {
  test("MISSING_MESSAGES, with a hint when the line is prompt/completion", async () => {
    const r = await run('{"prompt": "a", "completion": "b"}\n{"conversation": []}\n{"messages": "hi"}\n');
    const e = only(r, "MISSING_MESSAGES");
    expect(e.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(e[0].message).toMatch(/text-generation/);
    expect(e[1].message).toMatch(/"conversation"/);
    expect(e[2].message).toMatch(/must be an array/);
  });

  test("EMPTY_MESSAGES", async () => {
    const r = await run('{"messages": []}\n');
    expect(codes(r.errors)).toEqual(["EMPTY_MESSAGES"]);
  });

  test("MESSAGE_NOT_OBJECT", async () => {
    const r = await run(chatLine("hello", msg("assistant", "x")) + "\n");
    expect(codes(r.errors)).toContain("MESSAGE_NOT_OBJECT");
    expect(only(r, "MESSAGE_NOT_OBJECT")[0].message).toMatch(/message 1/);
  });

  test("UNKNOWN_KEY at top level and in a message", async () => {
    const r = await run(JSON.stringify({ messages: [msg("user", "a"), msg("assistant", "b")], id: 3 }) + "\n" + chatLine({ role: "user", content: "a", name: "bob" }, msg("assistant", "b")) + "\n");
    const e = only(r, "UNKNOWN_KEY");
    expect(e.map((x) => x.line)).toEqual([1, 2]);
    expect(e[0].message).toMatch(/"id"/);
    expect(e[1].message).toMatch(/message 1 .*"name"/);
  });

  test("MISSING_ROLE and UNKNOWN_ROLE (with the usual synonym)", async () => {
    const r = await run(chatLine({ content: "a" }, msg("assistant", "b")) + "\n" + chatLine(msg("human", "a"), msg("assistant", "b")) + "\n");
    expect(only(r, "MISSING_ROLE")[0].line).toBe(1);
    const u = only(r, "UNKNOWN_ROLE")[0];
    expect(u.line).toBe(2);
    expect(u.message).toMatch(/use "user"/);
  });

  test("MISSING_CONTENT, CONTENT_NOT_STRING, EMPTY_CONTENT", async () => {
    const r = await run(
      [chatLine({ role: "user" }, msg("assistant", "b")), chatLine({ role: "user", content: [{ type: "text", text: "a" }] }, msg("assistant", "b")), chatLine(msg("user", "   "), msg("assistant", "b"))].join("\n") + "\n",
    );
    expect(only(r, "MISSING_CONTENT")[0].line).toBe(1);
    expect(only(r, "CONTENT_NOT_STRING")[0].line).toBe(2);
    expect(only(r, "EMPTY_CONTENT")[0].line).toBe(3);
  });

  test("SYSTEM_NOT_FIRST", async () => {
    const r = await run(chatLine(msg("user", "a"), msg("system", "s"), msg("assistant", "b")) + "\n");
    expect(codes(r.errors)).toContain("SYSTEM_NOT_FIRST");
    expect(only(r, "SYSTEM_NOT_FIRST")[0].message).toMatch(/message 2/);
  });

  test("CONSECUTIVE_SAME_ROLE", async () => {
    const r = await run(chatLine(msg("user", "a"), msg("user", "b"), msg("assistant", "c")) + "\n");
    expect(codes(r.errors)).toEqual(["CONSECUTIVE_SAME_ROLE"]);
    expect(r.errors[0].message).toMatch(/messages 1 and 2/);
  });

  test("FIRST_NOT_USER", async () => {
    const r = await run(chatLine(msg("system", "s"), msg("assistant", "hello"), msg("user", "a"), msg("assistant", "b")) + "\n");
    expect(codes(r.errors)).toEqual(["FIRST_NOT_USER"]);
  });

  test("NO_ASSISTANT_MESSAGE and LAST_NOT_ASSISTANT", async () => {
    const r = await run(chatLine(msg("system", "s"), msg("user", "a")) + "\n" + chatLine(msg("user", "a"), msg("assistant", "b"), msg("user", "c")) + "\n");
    expect(only(r, "NO_ASSISTANT_MESSAGE")[0].line).toBe(1);
    expect(only(r, "LAST_NOT_ASSISTANT")[0].line).toBe(2);
  });
});

describe("prompt/completion format (text-generation models)", () => {
  test("valid lines pass", async () => {
    const r = await run(goodCompletion(1) + "\n", { model: textModel });
    expect(r.valid).toBe(true);
    expect(r.stats.format).toBe("prompt-completion");
    expect(r.stats.training.roles).toBeNull();
  });

  test("chat lines are refused with a hint", async () => {
    const r = await run(goodChat(1) + "\n", { model: textModel });
    expect(r.errors[0]).toMatchObject({ line: 1, code: "MISSING_PROMPT" });
    expect(r.errors[0].message).toMatch(/chat models/);
  });

  test("MISSING_PROMPT, MISSING_COMPLETION, FIELD_NOT_STRING, EMPTY_COMPLETION, EMPTY_PROMPT, UNKNOWN_KEY", async () => {
    const lines = [{ completion: "x" }, { prompt: "x" }, { prompt: 1, completion: "x" }, { prompt: "x", completion: " " }, { prompt: "", completion: "x" }, { prompt: "a", completion: "b", label: 1 }];
    const r = await run(lines.map((l) => JSON.stringify(l)).join("\n") + "\n", { model: textModel });
    expect(only(r, "MISSING_PROMPT")[0].line).toBe(1);
    expect(only(r, "MISSING_COMPLETION")[0].line).toBe(2);
    expect(only(r, "FIELD_NOT_STRING")[0].line).toBe(3);
    expect(only(r, "EMPTY_COMPLETION")[0].line).toBe(4);
    expect(only(r, "EMPTY_PROMPT")[0]).toMatchObject({ line: 5, severity: "warning" });
    expect(only(r, "UNKNOWN_KEY")[0].line).toBe(6);
  });
});

describe("file-level checks", () => {
  test("EMPTY_LINE and NO_FINAL_NEWLINE are warnings", async () => {
    const file = tempFile(goodChats(60) + "\n   \n" + goodChat(99));
    const r = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
    expect(r.valid).toBe(true);
    expect(only(r, "EMPTY_LINE").map((w) => w.line)).toEqual([61, 62]);
    expect(only(r, "NO_FINAL_NEWLINE")).toEqual([expect.objectContaining({ line: 63, severity: "warning" })]);
    expect(r.stats.training.examples).toBe(61);
    expect(r.stats.training.emptyLines).toBe(2);
  });

  test("DUPLICATE_EXAMPLE points at the first copy", async () => {
    const r = await run(goodChat(1) + "\n" + goodChat(2) + "\n" + goodChat(1) + "\n");
    expect(r.valid).toBe(true);
    const d = only(r, "DUPLICATE_EXAMPLE");
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 3, severity: "warning" });
    expect(d[0].message).toMatch(/line 1/);
  });

  test("TRAIN_VALIDATION_OVERLAP in the validation file", async () => {
    const train = tempFile(goodChats(60));
    const validation = tempFile(goodChat(500) + "\n" + goodChat(7) + "\n");
    const r = await validateDataset({ trainingFile: train, validationFile: validation, model: chatModel, countTokens: false });
    expect(r.valid).toBe(true);
    expect(only(r, "TRAIN_VALIDATION_OVERLAP")).toEqual([expect.objectContaining({ file: validation, line: 2 })]);
    expect(only(r, "TRAIN_VALIDATION_OVERLAP")[0].message).toMatch(/line 8 of the training file/);
  });

  test("TOO_FEW_EXAMPLES is a warning; NO_EXAMPLES an error", async () => {
    const few = await run(goodChats(3), { pad: false });
    expect(few.valid).toBe(true);
    expect(only(few, "TOO_FEW_EXAMPLES")[0]).toMatchObject({ line: 0, severity: "warning" });
    const none = await run("\n", { pad: false });
    expect(none.valid).toBe(false);
    expect(codes(none.errors)).toEqual(["NO_EXAMPLES"]);
  });

  test("FILE_NOT_FOUND and NOT_A_FILE are issues, not exceptions; file is the path as given", async () => {
    const r = await validateDataset({ trainingFile: "no/such/file.jsonl", validationFile: __dirname, model: chatModel });
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      expect.objectContaining({ file: "no/such/file.jsonl", line: 0, code: "FILE_NOT_FOUND" }),
      expect.objectContaining({ file: __dirname, code: "NOT_A_FILE" }),
    ]);
  });

  test("errors are capped with the full count kept", async () => {
    const r = await validateDataset({ trainingFile: tempFile("x\n".repeat(30)), model: chatModel, maxIssues: 5, countTokens: false });
    expect(r.errors).toHaveLength(5);
    expect(r.errorCount).toBe(30);
    expect(formatReport(r)).toMatch(/and 25 more errors not shown/);
  });
});

describe("tokens", () => {
  test("EXAMPLE_TOO_LONG when the templated example exceeds the model's maximum", async () => {
    const long = "word ".repeat(9000);
    const r = await run(chatLine(msg("user", long), msg("assistant", "ok")) + "\n", { countTokens: true });
    const e = only(r, "EXAMPLE_TOO_LONG")[0];
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/^9\d{3} tokens .* at most 8192/);
  });

  test("summary: token distribution, tokens × epochs and cost from the given price", async () => {
    const file = tempFile(goodChats(20));
    const r = await validateDataset({ trainingFile: file, model: chatModel, epochs: 3, pricePer1kTokens: 0.25 });
    const t = r.stats.training.tokensPerExample!;
    expect(t.min).toBeGreaterThan(20);
    expect(t.min).toBeLessThanOrEqual(t.median);
    expect(t.median).toBeLessThanOrEqual(t.p95);
    expect(t.p95).toBeLessThanOrEqual(t.max);
    expect(r.stats.trainingTokensTimesEpochs).toBe(t.total * 3);
    expect(r.stats.estimatedTrainingCost).toBeCloseTo(((t.total * 3) / 1000) * 0.25, 4);
    expect(r.stats.training.roles).toEqual({ system: 20, user: 20, assistant: 20 });
    const text = formatReport(r);
    expect(text).toMatch(/tokens per example: min \d+, median \d+, p95 \d+, max \d+/);
    expect(text).toMatch(/× 3 =/);
  });

  test("without a price there is no cost, and --no-tokens leaves token stats out", async () => {
    const file = tempFile(goodChats(5));
    const r = await validateDataset({ trainingFile: file, model: chatModel });
    expect(r.stats.estimatedTrainingCost).toBeNull();
    const n = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
    expect(n.stats.tokensCounted).toBe(false);
    expect(n.stats.training.tokensPerExample).toBeNull();
    expect(n.stats.trainingTokensTimesEpochs).toBeNull();
  });
});

test("formatReport lists errors as <file>:<line> [CODE] message, then warnings, then the summary", async () => {
  const file = tempFile('{"messages": []}\n' + goodChat(1) + "\n" + goodChat(1) + "\n");
  const r = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
  const text = formatReport(r);
  const errorAt = text.indexOf(`${file}:1 [EMPTY_MESSAGES]`);
  const warningAt = text.indexOf(`${file}:3 [DUPLICATE_EXAMPLE]`);
  const summaryAt = text.indexOf("Summary for");
  expect(errorAt).toBeGreaterThanOrEqual(0);
  expect(warningAt).toBeGreaterThan(errorAt);
  expect(summaryAt).toBeGreaterThan(warningAt);
  expect(text).toMatch(/INVALID: 1 error/);
});
