/**
 * The situations of the shared public datasets (../shared/datasets, see datasets.test.ts), on
 * files these tests write themselves, so a clone with nothing beside it still tests the gate
 * for real: a seed chat file, prompt/completion data and its validation split, records that are
 * not a dataset at all, a non-ASCII file without a final newline, "validation" prompts without
 * answers, the tool-calling format, and a toy file with multi-turn chats, a missing user turn
 * and an answer far over the length limit.
 */
import { validateDataset } from "../../data";
import { defaultModel } from "../../config/models";
import { TEXT_GENERATION_MODEL } from "../helpers/retiredModels";
import { tempFile, cleanup, chatLine, msg, found } from "./helpers";

afterAll(cleanup);

const chat = defaultModel();
const lines = (rows: unknown[], finalNewline = true) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + (finalNewline ? "\n" : "");
const SYSTEM = "You are an Xbox customer support agent whose primary goal is to help users with issues they are experiencing with their Xbox devices.";

test("a seed chat file (system, user, assistant; 3 examples): valid, with TOO_FEW_EXAMPLES", async () => {
  const file = tempFile(lines([0, 1, 2].map((i) => ({ messages: [msg("system", SYSTEM), msg("user", `Is Xbox better than PlayStation? (${i})`), msg("assistant", "I apologize, but I cannot provide personal opinions.")] }))));
  const r = await validateDataset({ trainingFile: file, model: chat });
  expect(found(r)).toEqual([[0, "TOO_FEW_EXAMPLES"]]);
  expect(r.stats.training.tokensPerExample?.total).toBeGreaterThan(150);
});

describe("prompt/completion data and its validation split", () => {
  const pc = (i: number) => ({ prompt: `Question ${i} about the search index ->`, completion: ` ${["yes", "no", "maybe"][i % 3]}` });
  const train = tempFile(lines(Array.from({ length: 60 }, (_, i) => pc(i))));
  const validation = tempFile(lines(Array.from({ length: 15 }, (_, i) => pc(100 + i))));

  test("valid for a text-generation model, with no overlap between the splits", async () => {
    const r = await validateDataset({ trainingFile: train, validationFile: validation, model: TEXT_GENERATION_MODEL });
    expect(found(r)).toEqual([]);
    expect(r.stats.validation?.examples).toBe(15);
  });

  test("refused for a chat model, every line with the format hint", async () => {
    const r = await validateDataset({ trainingFile: train, model: chat, countTokens: false });
    expect(r.errorCount).toBe(60);
    expect(r.errors.every((e) => e.code === "MISSING_MESSAGES" && e.message.includes("prompt/completion format"))).toBe(true);
  });
});

test("records that are not a fine-tuning dataset are refused for every model", async () => {
  const file = tempFile(lines(Array.from({ length: 10 }, (_, i) => ({ recipe_name: `Dish ${i}`, description: "A dish.", recipe: "Mix and bake." }))));
  const forChat = await validateDataset({ trainingFile: file, model: chat });
  expect(found(forChat).slice(0, 2)).toEqual([[1, "MISSING_MESSAGES"], [2, "MISSING_MESSAGES"]]);
  expect(forChat.errorCount).toBe(10);
  const forText = await validateDataset({ trainingFile: file, model: TEXT_GENERATION_MODEL });
  expect(forText.errorCount).toBe(10);
  expect(forText.errors[0].message).toBe('no "prompt" and no "completion" (found "recipe_name", "description", "recipe"); a text-generation example is {"prompt": "<prompt text>", "completion": "<ideal generated text>"}');
});

test("non-ASCII text without a final newline: valid, with NO_FINAL_NEWLINE", async () => {
  const travel = ["Qué ver en São Paulo?", "Hvad koster en færge til Ærø?", "Zürich im Winter — lohnt es sich?"];
  const file = tempFile(lines(travel.map((q) => ({ messages: [msg("system", "You are a travel assistant."), msg("user", q), msg("assistant", `Über ${q.length} Möglichkeiten: ✈️`)] })), false));
  const r = await validateDataset({ trainingFile: file, model: chat });
  expect(found(r)).toEqual([[3, "NO_FINAL_NEWLINE"], [0, "TOO_FEW_EXAMPLES"]]);
  expect(r.stats.training.validExamples).toBe(3);
});

test('"validation" prompts without answers: NO_ASSISTANT_MESSAGE on every line', async () => {
  const file = tempFile(lines([1, 2, 3].map((i) => ({ messages: [msg("system", "You are a travel assistant."), msg("user", `Where should I go, take ${i}?`)] })), false));
  const r = await validateDataset({ trainingFile: tempFile(lines(Array.from({ length: 50 }, (_, i) => ({ messages: [msg("user", `q${i}`), msg("assistant", `a${i}`)] })))), validationFile: file, model: chat });
  expect(r.errors.map((e) => [e.file, e.line, e.code])).toEqual([1, 2, 3].map((l) => [file, l, "NO_ASSISTANT_MESSAGE"]));
});

test("the tool-calling format (tools, parallel_tool_calls, tool_calls without content) is refused with each key named", async () => {
  const example = {
    messages: [msg("system", "You control a drone."), msg("user", "Take off."), { role: "assistant", tool_calls: [{ id: "call_id", type: "function", function: { name: "takeoff", arguments: "{}" } }] }],
    tools: [{ type: "function", function: { name: "takeoff", parameters: { type: "object", properties: {} } } }],
    parallel_tool_calls: false,
  };
  const r = await validateDataset({ trainingFile: tempFile(lines([example])), model: chat });
  expect(found(r)).toEqual([[1, "UNKNOWN_KEY"], [1, "UNKNOWN_KEY"], [1, "UNKNOWN_KEY"], [1, "MISSING_CONTENT"], [0, "TOO_FEW_EXAMPLES"]]);
  expect(r.errors.slice(0, 3).map((e) => e.message.split(";")[0])).toEqual(['unknown key "tools"', 'unknown key "parallel_tool_calls"', 'message 3 has unknown key "tool_calls"']);
});

test("a toy file: multi-turn chats pass; a missing user turn and an answer over the limit do not", async () => {
  const turns = [msg("system", "Marv is a sarcastic bot."), msg("user", "a"), msg("assistant", "b"), msg("user", "c"), msg("assistant", "d"), msg("user", "e"), msg("assistant", "f"), msg("user", "g"), msg("assistant", "h")];
  const file = tempFile(
    lines([
      { messages: turns },
      { messages: turns.slice(1) },
      chatLine(msg("system", "You are happy."), msg("assistant", "Hello!")),
      chatLine(msg("user", "What should I eat?"), msg("assistant", "Eat a banana! ".repeat(2100))),
    ]),
  );
  const r = await validateDataset({ trainingFile: file, model: chat });
  expect(found(r)).toEqual([[3, "FIRST_NOT_USER"], [4, "EXAMPLE_TOO_LONG"], [0, "TOO_FEW_EXAMPLES"]]);
  expect(r.stats.training.messagesPerExample).toEqual({ min: 8, mean: 8.5, max: 9 });
});
