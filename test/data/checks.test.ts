/** Each check of the data gate: the exact verdict, code, line and message or figure. */
import llama3 from "llama3-tokenizer-js";
import { validateDataset, formatReport, type ValidationReport } from "../../data";
import { defaultModel, type LlamaModel } from "../../config/models";
import { TEXT_GENERATION_MODEL } from "../helpers/retiredModels";
import { reference } from "./reference";
import { tempFile, cleanup, chatLine, msg, goodChat, goodChats, goodCompletion, found, only } from "./helpers";

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

const message = (r: ValidationReport, code: string) => only(r, code).map((i) => i.message);

describe("valid files", () => {
  test("a clean chat file is valid with no issues", async () => {
    const r = await run(goodChats(3));
    expect(found(r)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.stats.training).toMatchObject({ examples: 63, validExamples: 63, lines: 63, emptyLines: 0, messagesPerExample: { min: 3, mean: 3, max: 3 }, roles: { system: 63, user: 63, assistant: 63 } });
  });

  test("CRLF line endings are accepted", async () => {
    const r = await run(goodChat(1) + "\r\n" + goodChat(2) + "\r\n");
    expect(found(r)).toEqual([]);
  });

  test("multi-turn conversations that alternate are valid; messages per example are counted", async () => {
    const r = await run(chatLine(msg("user", "a"), msg("assistant", "b"), msg("user", "c"), msg("assistant", "d")) + "\n");
    expect(found(r)).toEqual([]);
    expect(r.stats.training.messagesPerExample).toEqual({ min: 3, mean: 3.02, max: 4 });
  });
});

describe("encoding and JSON", () => {
  test("NOT_UTF8 on the line with invalid bytes, with the column", async () => {
    const bad = Buffer.concat([Buffer.from('{"messages": [{"role": "user", "content": "caf'), Buffer.from([0xe9]), Buffer.from('"}]}\n')]);
    const r = await run(Buffer.concat([Buffer.from(goodChat(1) + "\n"), bad]));
    expect(found(r)).toEqual([[2, "NOT_UTF8"]]);
    expect(r.errors[0]).toMatchObject({ severity: "error", message: "the line is not valid UTF-8 (first bad byte sequence at column 47); re-save the file with UTF-8 encoding" });
    expect(r.valid).toBe(false);
  });

  test("BOM is reported on line 1 (a warning) and the line is still checked", async () => {
    const r = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(goodChat(1) + "\n")]));
    expect(found(r)).toEqual([[1, "BOM"]]);
    expect(r.warnings[0].severity).toBe("warning");
    expect(r.stats.training.validExamples).toBe(61);
  });

  test("a BOM-like start of a later line is not a BOM", async () => {
    const r = await run(Buffer.concat([Buffer.from(goodChat(1) + "\n"), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(goodChat(2) + "\n")]));
    expect(found(r)).toEqual([[2, "INVALID_JSON"]]);
  });

  test("INVALID_JSON gives the column and a fix", async () => {
    const r = await run(goodChat(1) + "\n" + '{"messages": [{"role": "user", "content": "hi"},]}\n');
    expect(found(r)).toEqual([[2, "INVALID_JSON"]]);
    expect(r.errors[0].message).toBe("invalid JSON at column 49: unexpected \"]\" where a value (object, array, string, number, true, false or null) was expected; remove the trailing comma before it");
  });

  test("INVALID_JSON for single quotes and for a pretty-printed (multi-line) object", async () => {
    const r = await run("{'messages': []}\n{\n");
    expect(found(r)).toEqual([[1, "INVALID_JSON"], [2, "INVALID_JSON"]]);
    expect(message(r, "INVALID_JSON")).toEqual([
      `invalid JSON at column 2: unexpected "'" where a key in double quotes was expected; JSON strings and keys need double quotes, not single quotes`,
      "invalid JSON at column 2: the line ends where a key in double quotes was expected; each example must be one complete JSON object on a single line (no line breaks inside it, nothing cut off)",
    ]);
  });

  test("NOT_AN_OBJECT for arrays, strings, numbers and null", async () => {
    const r = await run('[1,2]\n"text"\n42\nnull\n');
    expect(found(r)).toEqual([[1, "NOT_AN_OBJECT"], [2, "NOT_AN_OBJECT"], [3, "NOT_AN_OBJECT"], [4, "NOT_AN_OBJECT"]]);
    expect(message(r, "NOT_AN_OBJECT").map((m) => m.split(",")[0])).toEqual(["the line is an array", "the line is a string", "the line is a number", "the line is null"]);
  });
});

describe("chat format", () => {
  test("MISSING_MESSAGES, with a hint when the line is prompt/completion", async () => {
    const r = await run('{"prompt": "a", "completion": "b"}\n{"conversation": []}\n{"messages": "hi"}\n{}\n{"completion": "b"}\n{"prompt": "a"}\n');
    expect(found(r)).toEqual([[1, "MISSING_MESSAGES"], [2, "MISSING_MESSAGES"], [3, "MISSING_MESSAGES"], [4, "MISSING_MESSAGES"], [5, "MISSING_MESSAGES"], [6, "MISSING_MESSAGES"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(message(r, "MISSING_MESSAGES")).toEqual([
      'no "messages" key (found "prompt", "completion"); this line is in the prompt/completion format, which is for text-generation (base) models: convert it to {"messages": [...]} or pass --model with a text-generation model',
      'no "messages" key (found "conversation"); a chat example is {"messages": [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}',
      '"messages" is a string; it must be an array of {"role", "content"} objects',
      'no "messages" key; a chat example is {"messages": [{"role": "system", ...}, {"role": "user", ...}, {"role": "assistant", ...}]}',
      'no "messages" key (found "completion"); this line is in the prompt/completion format, which is for text-generation (base) models: convert it to {"messages": [...]} or pass --model with a text-generation model',
      'no "messages" key (found "prompt"); this line is in the prompt/completion format, which is for text-generation (base) models: convert it to {"messages": [...]} or pass --model with a text-generation model',
    ]);
  });

  test("EMPTY_MESSAGES", async () => {
    const r = await run('{"messages": []}\n');
    expect(found(r)).toEqual([[1, "EMPTY_MESSAGES"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
  });

  test("MESSAGE_NOT_OBJECT for a string and for null, and the order checks wait for well-formed messages", async () => {
    const r = await run(chatLine("hello", msg("assistant", "x")) + "\n" + chatLine(null, msg("assistant", "x")) + "\n");
    expect(found(r)).toEqual([[1, "MESSAGE_NOT_OBJECT"], [2, "MESSAGE_NOT_OBJECT"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(message(r, "MESSAGE_NOT_OBJECT")).toEqual([
      'message 1 is a string; each message must be an object {"role": "...", "content": "..."}',
      'message 1 is null; each message must be an object {"role": "...", "content": "..."}',
    ]);
  });

  test("UNKNOWN_KEY at top level and in a message", async () => {
    const r = await run(JSON.stringify({ messages: [msg("user", "a"), msg("assistant", "b")], id: 3 }) + "\n" + chatLine({ role: "user", content: "a", name: "bob" }, msg("assistant", "b")) + "\n");
    expect(found(r)).toEqual([[1, "UNKNOWN_KEY"], [2, "UNKNOWN_KEY"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(message(r, "UNKNOWN_KEY")).toEqual([
      'unknown key "id"; a chat example has only "messages": remove the key (or fix its spelling)',
      'message 1 has unknown key "name"; messages take only "role" and "content": remove it (or fix its spelling)',
    ]);
  });

  test("MISSING_ROLE and UNKNOWN_ROLE (with the usual synonym; none for inherited names or non-strings)", async () => {
    const r = await run(
      [chatLine({ content: "a" }, msg("assistant", "b")), chatLine(msg("human", "a"), msg("assistant", "b")), chatLine(msg("constructor", "a"), msg("assistant", "b")), chatLine({ role: 7, content: "a" }, msg("assistant", "b"))].join("\n") + "\n",
    );
    expect(found(r)).toEqual([[1, "MISSING_ROLE"], [2, "UNKNOWN_ROLE"], [3, "UNKNOWN_ROLE"], [4, "UNKNOWN_ROLE"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(message(r, "MISSING_ROLE")).toEqual(['message 1 has no "role"; set it to "system", "user" or "assistant"']);
    expect(message(r, "UNKNOWN_ROLE")).toEqual([
      'message 1 has role "human"; the only roles are "system", "user" and "assistant" (use "user" for "human")',
      'message 1 has role "constructor"; the only roles are "system", "user" and "assistant"',
      'message 1 has role a number; the only roles are "system", "user" and "assistant"',
    ]);
  });

  test("MISSING_CONTENT, CONTENT_NOT_STRING, EMPTY_CONTENT", async () => {
    const r = await run(
      [chatLine({ role: "user" }, msg("assistant", "b")), chatLine({ role: "user", content: [{ type: "text", text: "a" }] }, msg("assistant", "b")), chatLine(msg("user", " \t\n "), msg("assistant", "b"))].join("\n") + "\n",
    );
    expect(found(r)).toEqual([[1, "MISSING_CONTENT"], [2, "CONTENT_NOT_STRING"], [3, "EMPTY_CONTENT"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect([...message(r, "MISSING_CONTENT"), ...message(r, "CONTENT_NOT_STRING"), ...message(r, "EMPTY_CONTENT")]).toEqual([
      'message 1 has no "content"; add the message text as a string',
      'message 1 has "content" of type an array; it must be a plain string (join multi-part content into one string)',
      'message 1 has empty "content"; write the text, or remove the message',
    ]);
  });

  test("SYSTEM_NOT_FIRST", async () => {
    const r = await run(chatLine(msg("user", "a"), msg("system", "s"), msg("assistant", "b")) + "\n");
    expect(found(r)).toEqual([[1, "SYSTEM_NOT_FIRST"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(r.errors[0].message).toBe("message 2 is a system message but is not the first message; move it to the start (one system message per example)");
  });

  test("CONSECUTIVE_SAME_ROLE", async () => {
    const r = await run(chatLine(msg("user", "a"), msg("user", "b"), msg("assistant", "c")) + "\n" + chatLine(msg("user", "a"), msg("assistant", "b"), msg("assistant", "c")) + "\n");
    expect(found(r)).toEqual([[1, "CONSECUTIVE_SAME_ROLE"], [2, "CONSECUTIVE_SAME_ROLE"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(message(r, "CONSECUTIVE_SAME_ROLE")).toEqual([
      "messages 1 and 2 are both from the user; user and assistant must alternate: merge them into one message or add the missing turn",
      "messages 2 and 3 are both from the assistant; user and assistant must alternate: merge them into one message or add the missing turn",
    ]);
  });

  test("FIRST_NOT_USER", async () => {
    const r = await run(chatLine(msg("system", "s"), msg("assistant", "hello"), msg("user", "a"), msg("assistant", "b")) + "\n");
    expect(found(r)).toEqual([[1, "FIRST_NOT_USER"]]);
    expect(r.errors[0].message).toBe('the conversation starts with the assistant; after the optional system message, the first message must be from the "user"');
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
  });

  test("NO_ASSISTANT_MESSAGE and LAST_NOT_ASSISTANT", async () => {
    const r = await run(chatLine(msg("system", "s"), msg("user", "a")) + "\n" + chatLine(msg("user", "a"), msg("assistant", "b"), msg("user", "c")) + "\n" + chatLine(msg("system", "only")) + "\n");
    expect(found(r)).toEqual([[1, "NO_ASSISTANT_MESSAGE"], [2, "LAST_NOT_ASSISTANT"], [3, "NO_ASSISTANT_MESSAGE"]]);
    expect(r.stats.training.validExamples).toBe(60); // only the padding: an example with an error is never counted valid
    expect(message(r, "NO_ASSISTANT_MESSAGE")).toEqual(Array(2).fill('no "assistant" message, so there is nothing to learn; end the example with the answer the model should give'));
    expect(message(r, "LAST_NOT_ASSISTANT")).toEqual(["the last message is from the user; end the example with the assistant's answer (the model learns to produce the final assistant message)"]);
  });
});

describe("prompt/completion format (text-generation models)", () => {
  test("valid lines pass", async () => {
    const r = await run(goodCompletion(1) + "\n", { model: textModel });
    expect(found(r)).toEqual([]);
    expect(r.stats.format).toBe("prompt-completion");
    expect(r.stats.training.roles).toBeNull();
    expect(r.stats.training.messagesPerExample).toBeNull();
  });

  test("chat lines are refused with a hint", async () => {
    const r = await run(goodChat(1) + "\n", { model: textModel });
    expect(found(r)).toEqual([[1, "MISSING_PROMPT"]]);
    expect(r.errors[0].message).toBe(
      'no "prompt" and no "completion" (found "messages"); this line is in the chat (messages) format, which is for chat models such as Meta-Llama-3.1-8B-Instruct: pass --model with a chat model, or convert it to {"prompt": "...", "completion": "..."}',
    );
  });

  test("MISSING_PROMPT, MISSING_COMPLETION, FIELD_NOT_STRING, EMPTY_COMPLETION, EMPTY_PROMPT, UNKNOWN_KEY, NOT_AN_OBJECT", async () => {
    const lines = [{ completion: "x" }, { prompt: "x" }, { prompt: 1, completion: "x" }, { prompt: "x", completion: " " }, { prompt: "", completion: "x" }, { prompt: "a", completion: "b", label: 1 }, { prompt: "a", completion: null }, [], {}, { prompt: "a", completion: "\u200b\u2060" }];
    const r = await run(lines.map((l) => JSON.stringify(l)).join("\n") + "\n", { model: textModel });
    expect(found(r)).toEqual([
      [1, "MISSING_PROMPT"],
      [2, "MISSING_COMPLETION"],
      [3, "FIELD_NOT_STRING"],
      [4, "EMPTY_COMPLETION"],
      [6, "UNKNOWN_KEY"],
      [7, "FIELD_NOT_STRING"],
      [8, "NOT_AN_OBJECT"],
      [9, "MISSING_PROMPT"],
      [5, "EMPTY_PROMPT"],
      [10, "INVISIBLE_CONTENT"],
    ]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'no "prompt"; add the input text the completion follows',
      'no "completion"; add the text the model should generate after the prompt',
      '"prompt" is a number; it must be a string',
      '"completion" is empty, so there is nothing to learn; write the text the model should generate',
      'unknown key "label"; a text-generation example has only "prompt" and "completion": remove it (or fix its spelling)',
      '"completion" is null; it must be a string',
      'the line is an array, not a JSON object; write each example as {"prompt": "...", "completion": "..."}',
      'no "prompt" and no "completion"; a text-generation example is {"prompt": "<prompt text>", "completion": "<ideal generated text>"}',
    ]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      '"prompt" is empty; the model will learn to produce the completion from nothing: add the input text if there is one',
      '"completion" is made only of invisible characters (zero-width spaces, joiners, controls); it looks empty: write the text the model should generate',
    ]);
    expect(r.stats.training.validExamples).toBe(62); // the empty prompt and the invisible completion are only warnings
  });
});

describe("file-level checks", () => {
  test("EMPTY_LINE and NO_FINAL_NEWLINE are warnings", async () => {
    const file = tempFile(goodChats(60) + "\n   \n" + goodChat(99));
    const r = await validateDataset({ trainingFile: file, model: chatModel, countTokens: false });
    expect(found(r)).toEqual([[61, "EMPTY_LINE"], [62, "EMPTY_LINE"], [63, "NO_FINAL_NEWLINE"]]);
    expect(r.warnings[2].message).toBe("the last line does not end with a newline; add one (some tools drop or merge an unterminated last line)");
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

describe("tokens", () => {
  test("EXAMPLE_TOO_LONG gives the exact templated count", async () => {
    const long = "word ".repeat(9000);
    const r = await run(chatLine(msg("user", long), msg("assistant", "ok")) + "\n", { countTokens: true });
    const templated =
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>" +
      `<|start_header_id|>user<|end_header_id|>\n\n${long.trim()}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nok<|eot_id|>`;
    const exact = llama3.encode(templated, { bos: false, eos: false }).length;
    expect(found(r)).toEqual([[1, "EXAMPLE_TOO_LONG"]]);
    expect(r.errors[0].message).toBe(`${exact.toLocaleString("en-US")} tokens (chat template included) but Meta-Llama-3.1-8B-Instruct is fine-tuned with at most 8,192; shorten the example or split the conversation into several examples`);
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
      llama3.encode(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a helpful support agent.<|eot_id|>" +
          `<|start_header_id|>user<|end_header_id|>\n\nQuestion number ${i}?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nAnswer number ${i}.<|eot_id|>`,
        { bos: false, eos: false },
      ).length;
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
  const none = await validateDataset({ trainingFile: tempFile(goodChats(60)), model: chatModel, countTokens: false });
  expect(formatReport(none).split("\n").pop()).toBe("VALID");
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
