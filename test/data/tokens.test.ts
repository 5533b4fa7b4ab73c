/** The fast token counters match the tokenizer libraries, and the chat template's tokens are counted. */
import { readFileSync } from "node:fs";
import path from "node:path";
import llama3 from "llama3-tokenizer-js";
import { ExampleTokenCounter, loadTextCounter, referenceCount } from "../../data/tokens";
import { SHARED_DATASETS } from "./helpers";

/** Every string value of every shared dataset line. */
function datasetTexts(): string[] {
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") texts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const f of ["seed__xbox_support_chat.jsonl", "azure-samples-openai__context_switching_prepared_train.jsonl", "azure-samples-openai__recipes_final.jsonl"]) {
    for (const line of readFileSync(path.join(SHARED_DATASETS, f), "utf8").split("\n")) if (line.trim()) walk(JSON.parse(line));
  }
  return texts;
}

test.each(["llama3", "llama2"] as const)("%s: cached counting equals whole-string encoding on the shared datasets", async (family) => {
  const counter = await loadTextCounter(family);
  const texts = datasetTexts().filter((_, i) => family === "llama3" || i % 3 === 0); // llama2's reference is slow
  let mismatches = 0;
  for (const t of texts) if (counter.count(t) !== (await referenceCount(family, t))) mismatches++;
  expect(texts.length).toBeGreaterThan(300);
  expect(mismatches).toBe(0);
});

test("Llama 3.1 chat template: the count equals encoding the fully templated text", async () => {
  const counter = new ExampleTokenCounter(await loadTextCounter("llama3"));
  const messages = [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "  What is 2 + 2? " },
    { role: "assistant", content: "It is 4." },
  ];
  const templated =
    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a helpful assistant.<|eot_id|>" +
    "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2 + 2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nIt is 4.<|eot_id|>";
  const expected = llama3.encode(templated, { bos: false, eos: false }).length;
  expect(counter.chat(messages)).toBe(expected);
  // The template costs far more than the content alone.
  const contentOnly = messages.reduce((n, m) => n + llama3.encode(m.content.trim(), { bos: false, eos: false }).length, 0);
  expect(expected - contentOnly).toBeGreaterThan(20);
});

test("Llama 3.1 template without a system message still has the system header", async () => {
  const counter = new ExampleTokenCounter(await loadTextCounter("llama3"));
  const templated =
    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>" +
    "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|>";
  expect(counter.chat([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }])).toBe(llama3.encode(templated, { bos: false, eos: false }).length);
});

test("prompt/completion examples count BOS and EOS around the text", async () => {
  const counter = new ExampleTokenCounter(await loadTextCounter("llama2"));
  expect(counter.completion("Hello", " world")).toBe(2 + (await referenceCount("llama2", "Hello world")));
});
