/**
 * data/tokens/template.ts: the Llama 3.1 chat template's count equals the reference tokenizer
 * on the fully templated text, with every kind of whitespace around the messages (the template
 * trims them), for messages the counter remembers (64 characters or more) and ones it does not,
 * and for messages that are empty or only whitespace; a remembered message is compared whole,
 * never by its length alone; the memory is bounded (a same-length replacement charged once);
 * maxTokensBound never rules out an example it should count; a prompt/completion example is one
 * count; and a Llama 2 counter refuses chat data by name. tokens.test.ts has the basic cases.
 */
import { CATALOG } from "../../config/models";
import { ExampleTokenCounter, maxTokensBound, textCounter, type ChatMessage, type TextCounter } from "../../data/tokens";
import { llama2Reference, llama3Raw } from "./reference";

const HEAD = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

/** Tokens of the Llama 3.1 template applied to `messages`, by the reference tokenizer. */
function reference(messages: readonly { role: string; content: string }[]): number {
  const system = messages.find((m) => m.role === "system");
  let text = `${HEAD}${system ? system.content.trim() : ""}<|eot_id|>`;
  for (const m of messages) if (m.role !== "system") text += `<|start_header_id|>${m.role}<|end_header_id|>\n\n${m.content.trim()}<|eot_id|>`;
  return llama3Raw(text);
}

/** A family's counter, counting how often it is asked. */
function counting(family: TextCounter["family"] = "llama3"): TextCounter & { calls: number } {
  const inner = textCounter(family);
  const c = { family: inner.family, calls: 0, count: (text: string, start?: number, end?: number) => (c.calls++, inner.count(text, start, end)) };
  return c;
}

/** Counts one-message chats with a fresh ExampleTokenCounter; each call says how many texts it counted (0: remembered). */
function textsCountedPerMessage(): (content: string) => number {
  const text = counting();
  const counter = new ExampleTokenCounter(text);
  return (content) => {
    const start = text.calls;
    counter.chat([{ role: "user", content }]);
    return text.calls - start;
  };
}

const long = (s: string) => `${s} ${"and then some more words to pass the sixty-four characters ".repeat(2)}`;

test("messages with any whitespace around them are trimmed as the template does, short and long", () => {
  const counter = new ExampleTokenCounter(textCounter("llama3"));
  const pads = [" ", "\n\n", "\r\n", "\t ", "\u00a0", "\u3000", "\u2028", "\ufeff", " \n \u2003"];
  const wrong: string[] = [];
  pads.forEach((pad, i) => {
    for (const body of [`Question ${i}?`, long(`Question ${i}?`)]) {
      const messages = [
        { role: "system", content: `${pad}Be brief.${pad}` },
        { role: "user", content: `${pad}${body}${pad}` },
        { role: "assistant", content: `${pad}${pad}Answer ${i}.` },
      ];
      if (counter.chat(messages) !== reference(messages)) wrong.push(JSON.stringify(pad) + (body.length > 64 ? " long" : ""));
    }
  });
  expect(wrong).toEqual([]);
});

test("a message that is empty or only whitespace adds its header and <|eot_id|> alone, as the template writes it", () => {
  const counter = new ExampleTokenCounter(textCounter("llama3"));
  const wrong: string[] = [];
  for (const blank of ["", " ", "\n\n", " \t\u3000\n ", " ".repeat(70)]) {
    const messages = [
      { role: "system", content: blank },
      { role: "user", content: blank },
      { role: "assistant", content: "Fine." },
      { role: "user", content: blank },
    ];
    if (counter.chat(messages) !== reference(messages)) wrong.push(JSON.stringify(blank));
    // A vision message's text part is trimmed the same way.
    const parts = [{ role: "user", content: [{ type: "text" as const, text: blank }, { type: "image_url" as const, image_url: { url: "https://example.com/a.png" } }] }];
    if (counter.chat(parts) !== reference([{ role: "user", content: "" }]) + 1) wrong.push(`${JSON.stringify(blank)} as a text part`);
  }
  expect(wrong).toEqual([]);
});

test("maxTokensBound (the length check counts only examples it cannot rule out) is never below the exact count", () => {
  // The fewest bytes per token a line can have: messages with empty or one-character content and
  // the shortest roles, many of them; a prompt/completion line of a few characters.
  const llama3 = new ExampleTokenCounter(textCounter("llama3"));
  const llama2 = new ExampleTokenCounter(textCounter("llama2"));
  const below: string[] = [];
  for (let n = 1; n <= 8; n++) {
    for (const content of ["", "x", "🙂"]) {
      const messages = Array.from({ length: n }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content }));
      const line = JSON.stringify({ messages });
      const exact = llama3.chat(messages);
      if (maxTokensBound(Buffer.byteLength(line), n) < exact) below.push(`${n} × ${JSON.stringify(content)}: ${exact} tokens`);
    }
  }
  for (const [prompt, completion] of [["", ""], ["a", "b"], ["🙂", "\u0800"]]) {
    const line = JSON.stringify({ prompt, completion });
    for (const [family, counter] of [["llama3", llama3], ["llama2", llama2]] as const) {
      const exact = counter.completion(prompt, completion);
      if (maxTokensBound(Buffer.byteLength(line), 0) < exact) below.push(`${family} ${line}: ${exact} tokens`);
    }
  }
  expect(below).toEqual([]);
});

test("a prompt/completion example is BOS + prompt and completion counted as one text + EOS, and nothing is counted up front", () => {
  const text = counting("llama2");
  const counter = new ExampleTokenCounter(text);
  expect(text.calls).toBe(0);
  expect(counter.completion("Translate: chat", " → gato")).toBe(2 + llama2Reference("Translate: chat → gato"));
  expect(text.calls).toBe(1);
});

test("a remembered message is compared whole: another text of the same length gets its own count", () => {
  const counter = new ExampleTokenCounter(textCounter("llama3"));
  const a = long("The cat sat on the mat.");
  const b = long("Zxq vvv ### !!! 12345.."); // same length, different text and count
  expect(a.length).toBe(b.length);
  const got = [a, b, a, b].map((s) => counter.chat([{ role: "user", content: s }]));
  const want = [a, b, a, b].map((s) => reference([{ role: "user", content: s }]));
  expect(want[0]).not.toBe(want[1]);
  expect(got).toEqual(want);
});

test("messages of 64 characters or more are counted once while remembered; shorter ones each time", () => {
  const text = counting();
  const counter = new ExampleTokenCounter(text);
  const system = long("You are a support agent for the console.");
  const before = text.calls;
  for (let i = 0; i < 5; i++) counter.chat([{ role: "system", content: system }, { role: "user", content: "Hi" }, { role: "assistant", content: "x".repeat(63) }]);
  // The system message once, "Hi" and the 63-character answer five times each.
  expect(text.calls - before).toBe(1 + 5 + 5);
});

test("the memory is bounded: after 1,024 remembered messages it starts over", () => {
  const text = counting();
  const counter = new ExampleTokenCounter(text);
  const messages: ChatMessage[][] = Array.from({ length: 1025 }, (_, i) => [{ role: "user", content: "m".repeat(64 + i) }]);
  for (const m of messages.slice(0, 1024)) counter.chat(m);
  const start = text.calls;
  counter.chat(messages[0]); // still remembered
  expect(text.calls - start).toBe(0);
  counter.chat(messages[1024]); // the 1,025th: memory cleared, then this one remembered
  counter.chat(messages[0]); // forgotten: counted again
  expect(text.calls - start).toBe(2);
});

test("the memory is bounded in characters too: 4 MiB at most, and a longer message is not remembered", () => {
  // Runs of one letter: counted in a few milliseconds (long-runs.ts skips their repeats).
  const count = textsCountedPerMessage();
  const three = "a".repeat(3 << 20);
  const oneAndHalf = "b".repeat(3 << 19);
  // 3 MiB remembered; 1.5 MiB more would pass 4 MiB: memory cleared, the new one remembered.
  expect([count(three), count(three), count(oneAndHalf), count(oneAndHalf), count(three)]).toEqual([1, 0, 1, 0, 1]);
  const huge = "c".repeat((4 << 20) + 1);
  expect([count(huge), count(huge)]).toEqual([1, 1]);
  // Exactly 4 MiB held is within the bound: 3 MiB then 1 MiB are both remembered.
  const one = "d".repeat(1 << 20);
  expect([count(three), count(one), count(three), count(one)]).toEqual([1, 1, 0, 0]);
  const four = "e".repeat(4 << 20);
  expect([count(four), count(four)]).toEqual([1, 0]);
});

test("a message that replaces a remembered one of the same length is charged once against the 4 MiB bound", () => {
  const count = textsCountedPerMessage();
  const a = "a".repeat(1 << 20);
  const b = "b".repeat(1 << 20); // same length: takes a's place
  const c = "c".repeat(5 << 19); // 2.5 MiB: with b's 1 MiB, still within 4 MiB
  expect([count(a), count(b), count(c), count(b), count(c), count(a)]).toEqual([1, 1, 1, 0, 0, 1]);
});

test("only Llama 3 models take chat data: a Llama 2 counter refuses it by name", () => {
  expect(CATALOG.models.filter((m) => m.task === "chat-completion" && m.tokenizer !== "llama3").map((m) => m.name)).toEqual([]);
  const counter = new ExampleTokenCounter(textCounter("llama2"));
  expect(() => counter.chat([{ role: "user", content: "Hi" }])).toThrow("no chat template for the llama2 tokenizer: only Llama 3 models take chat data");
  expect(counter.completion("Hello", " world")).toBeGreaterThan(2);
});
