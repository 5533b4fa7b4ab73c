/** Each check of the data gate on lines: the exact verdict, code, line and message (file-level checks in checks-files, tokens and the report in checks-report). */
import { validateDataset } from "../../data";
import { defaultModel } from "../../config/models";
import { TEXT_GENERATION_MODEL } from "../helpers/retiredModels";
import { tempFile, cleanup, chatLine, msg, goodChat, goodChats, goodCompletion, found, validatePadded as run, messagesOf as message } from "./helpers";

afterAll(cleanup);

// No catalog model is text-generation since Llama 2's retirement (2025-06-30): a test-only stand-in.
const textModel = TEXT_GENERATION_MODEL;

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
    expect(r.warnings[0]).toMatchObject({ severity: "warning", message: "the file starts with a UTF-8 byte-order mark (BOM); many JSON Lines readers refuse it, so save the file as UTF-8 without BOM" });
    expect(r.stats.training.validExamples).toBe(61);
  });

  test("only the three bytes EF BB BF are a BOM: a first character that shares two of them is not", async () => {
    // U+1EFF (E1 BB BF), U+FF3F (EF BC BF), U+FEC0 (EF BB 80): each differs from the BOM in one byte.
    for (const ch of ["\u1eff", "\uff3f", "\ufec0"]) {
      const r = await run(ch + goodChat(1) + "\n");
      expect([ch, found(r)]).toEqual([ch, [[1, "INVALID_JSON"]]]);
    }
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

describe("invisible content", () => {
  test("INVISIBLE_CONTENT (a warning) for content of zero-width characters or of control characters; the example stays valid", async () => {
    const lines = [chatLine(msg("user", "\u200b\u200d"), msg("assistant", "b")), chatLine(msg("user", "a"), msg("assistant", "\u0001\u0007")), chatLine(msg("user", "a"), msg("assistant", " \u001b\u200b"))];
    const r = await run(lines.join("\n") + "\n");
    expect(found(r)).toEqual([[1, "INVISIBLE_CONTENT"], [2, "INVISIBLE_CONTENT"], [3, "INVISIBLE_CONTENT"]]);
    expect(message(r, "INVISIBLE_CONTENT")).toEqual(
      [1, 2, 2].map((n) => `message ${n} has "content" made only of invisible characters (zero-width spaces, joiners, controls); it looks empty: write the text, or remove the message`),
    );
    expect(r.stats.training.validExamples).toBe(63);
  });

  test("text with a visible character anywhere is not invisible, whatever comes before it", async () => {
    const lines = [chatLine(msg("user", "\u200bhi"), msg("assistant", "b")), chatLine(msg("user", "\u0001a"), msg("assistant", "\t\u00e9")), chatLine(msg("user", "a"), msg("assistant", "\u00a0\u200b!"))];
    const r = await run(lines.join("\n") + "\n");
    expect(found(r)).toEqual([]);
  });
});

describe("issue order", () => {
  test("issues are listed in line order: a duplicate comes before a later line's warning, and the cap keeps the first ones", async () => {
    const content = goodChat(1) + "\n" + goodChat(1) + "\n\n" + goodChat(1) + "\n";
    const r = await run(content);
    expect(found(r)).toEqual([[2, "DUPLICATE_EXAMPLE"], [3, "EMPTY_LINE"], [4, "DUPLICATE_EXAMPLE"]]);
    const capped = await validateDataset({ trainingFile: tempFile(content + goodChats(60, 1000)), model: defaultModel(), countTokens: false, maxIssues: 2 });
    expect([found(capped), capped.warningCount]).toEqual([[[2, "DUPLICATE_EXAMPLE"], [3, "EMPTY_LINE"]], 3]);
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

  test("NOT_AN_OBJECT for every JSON value that is not an object, named exactly", async () => {
    const r = await run('null\n"text"\n42\ntrue\n[{"prompt": "a", "completion": "b"}]\n', { model: textModel });
    expect(found(r)).toEqual([1, 2, 3, 4, 5].map((l) => [l, "NOT_AN_OBJECT"]));
    expect(message(r, "NOT_AN_OBJECT")).toEqual(
      ["null", "a string", "a number", "a boolean", "an array"].map((t) => `the line is ${t}, not a JSON object; write each example as {"prompt": "...", "completion": "..."}`),
    );
    expect(r.stats.training.validExamples).toBe(60);
  });

  test("EMPTY_PROMPT for a prompt of whitespace only (a warning: the example stays valid)", async () => {
    const r = await run(JSON.stringify({ prompt: " \t\n ", completion: "x" }) + "\n" + JSON.stringify({ prompt: " a ", completion: "x" }) + "\n", { model: textModel });
    expect(found(r)).toEqual([[1, "EMPTY_PROMPT"]]);
    expect(r.stats.training.validExamples).toBe(62);
  });
});
