/** The data gate's file-level checks: empty lines, duplicates, overlap, example counts, unopenable paths, progress, merging and caps. */
import { validateDataset, formatReport } from "../../data";
import { defaultModel } from "../../config/models";
import { tempFile, cleanup, goodChat, goodChats, found, validatePadded as run, messagesOf as message } from "./helpers";

afterAll(cleanup);

const chatModel = defaultModel();

describe("file-level checks", () => {
  test("EMPTY_LINE and NO_FINAL_NEWLINE are warnings", async () => {
    const file = tempFile(goodChats(60) + "\n   \n" + goodChat(99));
    const r = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
    expect(found(r)).toEqual([[61, "EMPTY_LINE"], [62, "EMPTY_LINE"], [63, "NO_FINAL_NEWLINE"]]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      "empty line (skipped); remove it so that every line is one example",
      "empty line (skipped); remove it so that every line is one example",
      "the last line does not end with a newline; add one (some tools drop or merge an unterminated last line)",
    ]);
    expect(r.valid).toBe(true);
    expect(r.stats.training).toMatchObject({ examples: 61, emptyLines: 2, lines: 63, validExamples: 61 });
  });

  test("DUPLICATE_EXAMPLE points at the first copy", async () => {
    const r = await run(goodChat(1) + "\n" + goodChat(2) + "\n" + goodChat(1) + "\n" + goodChat(1) + "\n");
    expect(found(r)).toEqual([[3, "DUPLICATE_EXAMPLE"], [4, "DUPLICATE_EXAMPLE"]]);
    expect(message(r, "DUPLICATE_EXAMPLE")).toEqual(["duplicate of line 1; remove the copy (duplicates weigh that example more in training)", "duplicate of line 1; remove the copy (duplicates weigh that example more in training)"]);
    expect(r.valid).toBe(true);
  });

  test("TRAIN_VALIDATION_OVERLAP in the validation file, and duplicates within it", async () => {
    const train = tempFile(goodChats(60));
    const validation = tempFile(goodChat(500) + "\n" + goodChat(7) + "\n" + goodChat(500) + "\n");
    const r = await validateDataset({ trainingFile: train, validationFile: validation, model: chatModel, countTokens: false });
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => [w.file, w.line, w.code, w.message])).toEqual([
      [validation, 2, "TRAIN_VALIDATION_OVERLAP", "the same example is line 8 of the training file; remove it from one of the two files so validation measures unseen data"],
      [validation, 3, "DUPLICATE_EXAMPLE", "duplicate of line 1; remove the copy (duplicates weigh that example more in training)"],
    ]);
    expect(r.stats.validation).toMatchObject({ examples: 3, validExamples: 3 });
  });

  test("TOO_FEW_EXAMPLES is a warning (with Azure OpenAI's minimum below 10); NO_EXAMPLES an error", async () => {
    const few = await run(goodChats(3), { pad: false });
    expect(found(few)).toEqual([[0, "TOO_FEW_EXAMPLES"]]);
    expect(few.valid).toBe(true);
    expect(few.warnings[0].message).toBe(
      "only 3 training example(s); Learn recommends starting with 50 well-crafted examples and hundreds for a noticeable effect (Azure OpenAI refuses fewer than 10; the Llama page sets no minimum): add more varied examples (https://learn.microsoft.com/azure/ai-services/openai/how-to/fine-tuning)",
    );
    const twelve = await run(goodChats(12), { pad: false });
    expect(twelve.warnings[0].message).toMatch(/^only 12 training example\(s\); Learn recommends starting with 50 well-crafted examples and hundreds for a noticeable effect: add more/);
    // Azure OpenAI's minimum is 10 ("fewer than 10" refused): 9 gets the note, 10 does not.
    const nine = await run(goodChats(9), { pad: false });
    const ten = await run(goodChats(10), { pad: false });
    expect([nine, ten].map((r) => r.warnings.map((w) => w.message.includes("(Azure OpenAI refuses fewer than 10; the Llama page sets no minimum)")))).toEqual([[true], [false]]);
    expect(ten.warnings[0].message).toMatch(/^only 10 training example\(s\);/);
    const fortyNine = await run(goodChats(49), { pad: false });
    expect(found(fortyNine)).toEqual([[0, "TOO_FEW_EXAMPLES"]]);
    const fifty = await run(goodChats(50), { pad: false });
    expect(found(fifty)).toEqual([]);
    const none = await run("\n", { pad: false });
    expect(found(none)).toEqual([[0, "NO_EXAMPLES"], [1, "EMPTY_LINE"]]);
    expect(none.errors[0].message).toBe("the training file has no examples; add one JSON object per line");
    expect(none.valid).toBe(false);
  });

  test("an empty validation file is NO_EXAMPLES for that file", async () => {
    const validation = tempFile("");
    const r = await validateDataset({ trainingFile: tempFile(goodChats(60)), validationFile: validation, model: chatModel, countTokens: false });
    expect(r.errors.map((e) => [e.file, e.line, e.code, e.message])).toEqual([[validation, 0, "NO_EXAMPLES", "the validation file has no examples; add examples or leave the validation file out"]]);
    expect(r.valid).toBe(false);
  });

  test("FILE_NOT_FOUND and NOT_A_FILE are issues, not exceptions; file is the path as given", async () => {
    const r = await validateDataset({ trainingFile: "no/such/file.jsonl", validationFile: __dirname, model: chatModel });
    expect(r.errors.map((e) => [e.file, e.line, e.code])).toEqual([
      ["no/such/file.jsonl", 0, "FILE_NOT_FOUND"],
      [__dirname, 0, "NOT_A_FILE"],
    ]);
    expect(r.errors[1].message).toBe(`${__dirname} is not a regular file (a directory); pass the path of a .jsonl file`);
    expect(r.valid).toBe(false);
  });

  test("every way a path fails to open has its own code and message", async () => {
    const missing = "no/such/dir/train.jsonl";
    const underFile = `${tempFile(goodChats(1))}/train.jsonl`; // ENOTDIR: a path through a regular file
    const tooLong = "n".repeat(300) + ".jsonl"; // longer than a file name may be (255 bytes): ENAMETOOLONG
    const r = await validateDataset({ trainingFile: missing, validationFile: "/dev/null", model: chatModel });
    const s = await validateDataset({ trainingFile: underFile, validationFile: tooLong, model: chatModel });
    expect([...r.errors, ...s.errors].map((e) => [e.file, e.line, e.code, e.message])).toEqual([
      [missing, 0, "FILE_NOT_FOUND", `${missing} does not exist; check the path (relative paths are resolved from ${process.cwd()})`],
      ["/dev/null", 0, "NOT_A_FILE", "/dev/null is not a regular file (a device, socket or pipe); pass the path of a .jsonl file"],
      [underFile, 0, "FILE_NOT_FOUND", `${underFile} does not exist; check the path (relative paths are resolved from ${process.cwd()})`],
      [tooLong, 0, "FILE_UNREADABLE", `${tooLong} cannot be read (ENAMETOOLONG: name too long); shorten the path (each name in it at most 255 bytes)`],
    ]);
    // Nothing was read, so there are no other issues (no NO_EXAMPLES for an unopened file) and no figures.
    expect([r.warnings, s.warnings]).toEqual([[], []]);
    expect(r.stats.training).toMatchObject({ file: missing, bytes: 0, lines: 0, examples: 0 });
    expect(r.stats.validation).toMatchObject({ file: "/dev/null", bytes: 0, lines: 0, examples: 0 });
  });

  test("progress counts the bytes of both files against their sum", async () => {
    const training = goodChats(60);
    const validation = goodChats(2, 500);
    const [a, b] = [Buffer.byteLength(training), Buffer.byteLength(validation)];
    const calls: [number, number][] = [];
    await validateDataset({ trainingFile: tempFile(training), validationFile: tempFile(validation), model: chatModel, countTokens: false, onProgress: (read, total) => calls.push([read, total]) });
    // Each file is one chunk (under 1 MiB): one call after it, the validation file's counted after the training file's.
    expect(calls).toEqual([
      [a, a + b],
      [a + b, a + b],
    ]);
  });

  test("batches are merged in line order: a line's own warnings, then its duplicate, with line numbers running on across batches", async () => {
    const { Readable } = await import("node:stream");
    const dupKey = '{"messages": [{"role": "user", "content": "a", "content": "b"}, {"role": "assistant", "content": "c"}]}';
    // Each chunk of a stream that ends a line is its own batch.
    const chunks = [goodChats(60) + dupKey + "\n\n", dupKey + "\n" + goodChat(3) + "\n", "\n" + goodChat(3) + "\n"];
    const r = await validateDataset({ trainingFile: "-", model: chatModel, countTokens: false, stdin: Readable.from(chunks.map((c) => Buffer.from(c))) });
    expect(found(r)).toEqual([
      [61, "DUPLICATE_KEY"],
      [62, "EMPTY_LINE"],
      [63, "DUPLICATE_KEY"],
      [63, "DUPLICATE_EXAMPLE"],
      [64, "DUPLICATE_EXAMPLE"],
      [65, "EMPTY_LINE"],
      [66, "DUPLICATE_EXAMPLE"],
    ]);
    expect(message(r, "DUPLICATE_EXAMPLE")).toEqual([61, 4, 4].map((l) => `duplicate of line ${l}; remove the copy (duplicates weigh that example more in training)`));
    expect(r.stats.training).toMatchObject({ lines: 66, emptyLines: 2, examples: 64, validExamples: 64 });
  });

  test("issues past the cap in each batch are still counted", async () => {
    const { Readable } = await import("node:stream");
    const chunks = ["x\n\n".repeat(3), "y\n\n".repeat(3), "z\n\n".repeat(3)];
    const r = await validateDataset({ trainingFile: "-", model: chatModel, countTokens: false, maxIssues: 2, stdin: Readable.from(chunks.map((c) => Buffer.from(c))) });
    expect([r.errors.map((e) => e.line), r.errorCount, r.warnings.map((w) => w.line), r.warningCount]).toEqual([[1, 3], 9, [2, 4], 10]); // 9 empty lines and TOO_FEW_EXAMPLES (9 examples)
  });

  test("errors are capped with the full count kept", async () => {
    const r = await validateDataset({ trainingFile: tempFile("x\n".repeat(30)), model: chatModel, maxIssues: 5, countTokens: false });
    expect(r.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
    expect(r.errorCount).toBe(30);
    expect(formatReport(r)).toMatch(/\n… and 25 more errors not shown\n/);
  });
});
