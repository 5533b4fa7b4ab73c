/**
 * The fast counters (data/tokens) equal the reference tokenizers exactly: on the shared
 * datasets (when present), on project-generated text, and on adversarial strings (long runs
 * that go through the chunked path, mixed scripts, emoji, whitespace runs, lone surrogates,
 * special-token look-alikes). And the facts the Llama 2 piece splitting relies on hold.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ExampleTokenCounter, textCounter } from "../../data/tokens";
import { Llama2Counter } from "../../data/tokens/llama2";
import { Llama3Counter } from "../../data/tokens/llama3";
import { llama2Vocab, llama3Vocab, llama3VocabTables, resolveMerge, SP_SPACE, useLlama3VocabTables } from "../../data/tokens/vocab";
import { llama3Raw, mismatches, reference } from "./reference";
import { describeShared, SHARED_DATASETS } from "./shared";
import { adversarialTexts, generatedTexts } from "./texts";

const families = ["llama3", "llama2"] as const;

const counterOf = (family: (typeof families)[number]) => (family === "llama3" ? new Llama3Counter() : new Llama2Counter());

describeShared("shared datasets", () => {
  /** Every string value of every line of the shared datasets. */
  function datasetTexts(): string[] {
    const texts: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === "string") texts.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    for (const f of ["seed__xbox_support_chat.jsonl", "azure-samples-openai__context_switching_prepared_train.jsonl", "azure-samples-openai__recipes_final.jsonl", "openai-cookbook__toy_chat_fine_tuning.jsonl", "mslearn-ai-studio__travel-finetune.jsonl"]) {
      for (const line of readFileSync(path.join(SHARED_DATASETS, f), "utf8").split("\n")) if (line.trim()) walk(JSON.parse(line));
    }
    return texts;
  }

  test.each(families)("%s: counts equal the reference on every string of the shared datasets", (family) => {
    const texts = datasetTexts().filter((_, i) => family === "llama3" || i % 4 === 0); // llama2's reference is slow
    expect(texts.length).toBeGreaterThan(1000);
    expect(mismatches(counterOf(family), texts)).toEqual([]);
  });
});

test.each(families)("%s: counts equal the reference on 400 generated texts", (family) => {
  expect(mismatches(counterOf(family), generatedTexts(400))).toEqual([]);
});

test.each(families)("%s: counts equal the reference on adversarial strings (long runs, scripts, emoji, whitespace)", (family) => {
  expect(mismatches(counterOf(family), adversarialTexts())).toEqual([]);
});

test("llama2: the three characters outside the BMP that are tokens (𝕜 🌍 𝓝) count as tokens, beside ones that fall back to bytes, also in long runs", () => {
  const texts = ["🌍", "𝕜𝓝", "Hello 🌍!", "a𝕜b 𝓝𝓝𝓝", "🌍🦙🌍", "x\ud83c🌍\udf0d", "𝕜".repeat(3000), "🌍𝓝".repeat(1500) + "end"];
  expect(mismatches(new Llama2Counter(), texts)).toEqual([]);
});

test("the Llama 3 reference's padding changes nothing on ordinary text", () => {
  for (const t of generatedTexts(50, 99)) expect(reference.llama3(t)).toBe(llama3Raw(t));
});

test("counting a slice equals counting the sliced string (the template counts trimmed messages in place)", () => {
  for (const family of families) {
    const counter = textCounter(family);
    for (const t of generatedTexts(30, 5)) {
      const a = Math.floor(t.length / 3);
      const b = Math.floor((2 * t.length) / 3);
      expect([family, counter.count(t, a, b)]).toEqual([family, counter.count(t.slice(a, b))]);
    }
  }
});

describe("facts the Llama 2 piece splitting relies on (data/tokens/llama2.ts)", () => {
  test("no token has a ▁ after another character, and no token starts with ▁▁ followed by a character", () => {
    const { text } = llama2Vocab();
    expect(text).toHaveLength(32000);
    expect(text.filter((t) => /[^▁]▁/.test(t))).toEqual([]);
    expect(text.filter((t) => /^▁▁+[^▁]/.test(t))).toEqual([]);
  });

  test("no merge involves a byte-fallback token, and every merge result is a token", () => {
    const { merges, charToken } = llama2Vocab();
    const t = merges.slots;
    const isByte = (id: number) => id >= 3 && id <= 258; // <0x00> .. <0xFF>
    let count = 0;
    const bad: number[][] = [];
    for (let i = 0; i < t.length; i += 4) {
      if (t[i] === -1) continue;
      count++;
      if (isByte(t[i]) || isByte(t[i + 1]) || t[i + 3] < 0) bad.push([t[i], t[i + 1], t[i + 3]]);
    }
    expect(bad).toEqual([]);
    expect(count).toBe(61249);
    expect(charToken[SP_SPACE]).toBe(29871);
  });
});

test("Llama 3 vocabulary: 128,000 tokens, every byte a token, every merge result a token", () => {
  const v = llama3Vocab();
  expect(v.tokens.offset.length - 1).toBe(128000);
  expect(Array.from(v.byteToken).filter((id) => id < 0)).toEqual([]);
  const t = v.merges.slots;
  let count = 0;
  let unresolved = 0;
  for (let i = 0; i < t.length; i += 4) {
    if (t[i] === -1) continue;
    count++;
    if (resolveMerge(v, i) < 0) unresolved++;
  }
  expect(count).toBe(280147);
  expect(unresolved).toBe(0);
});

const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) => a.constructor === b.constructor && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

test("Llama 3 vocabulary handed to another thread (shared tables, copied on first use) counts the same", () => {
  // What a worker thread receives (data/executor.ts): the decoded tables in shared memory.
  const tables = llama3VocabTables();
  expect(tables.mergeSlots.buffer).toBeInstanceOf(SharedArrayBuffer);
  // Byte comparisons: jest's toEqual walks typed arrays of millions of entries one by one (seconds).
  expect(sameBytes(tables.mergeSlots, llama3Vocab().merges.slots)).toBe(true);
  useLlama3VocabTables(tables);
  const copy = llama3Vocab();
  expect(copy.merges.slots.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  expect(sameBytes(copy.tokens.offset, tables.offset)).toBe(true);
  const texts = [...generatedTexts(200, 5), ...adversarialTexts()];
  const counter = new Llama3Counter();
  expect(texts.filter((t) => counter.count(t) !== reference.llama3(t)).map((t) => t.slice(0, 60))).toEqual([]);
});

describe("chat template", () => {
  test("Llama 3.1: the count equals encoding the fully templated text", () => {
    const counter = new ExampleTokenCounter(textCounter("llama3"));
    const messages = [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "  What is 2 + 2? " },
      { role: "assistant", content: "It is 4." },
    ];
    const templated =
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a helpful assistant.<|eot_id|>" +
      "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2 + 2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nIt is 4.<|eot_id|>";
    const expected = llama3Raw(templated);
    expect(counter.chat(messages)).toBe(expected);
    const contentOnly = messages.reduce((n, m) => n + llama3Raw(m.content.trim()), 0);
    expect(expected - contentOnly).toBeGreaterThan(20);
  });

  test("Llama 3.1 template without a system message still has the system header", () => {
    const counter = new ExampleTokenCounter(textCounter("llama3"));
    const templated =
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>" +
      "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|>";
    expect(counter.chat([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }])).toBe(llama3Raw(templated));
  });

  test("prompt/completion examples count BOS and EOS around the text", () => {
    const counter = new ExampleTokenCounter(textCounter("llama2"));
    expect(counter.completion("Hello", " world")).toBe(2 + reference.llama2("Hello world"));
  });
});
