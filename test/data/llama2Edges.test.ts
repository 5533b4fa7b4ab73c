/**
 * The Llama 2 counter (data/tokens/llama2.ts) at the edges of its own shortcuts, each against
 * the reference tokenizer (llama-tokenizer-js): the dummy-prefix space on empty texts and on
 * ranges of a text, byte fallback at each UTF-8 length, surrogates paired, lone and beside
 * characters of every range, "▁" written in the text (the library's own space symbol), the three
 * tokens outside the BMP in short pieces and in long ones whose chunks end on a pair, and the
 * one counter per family that textCounter hands out.
 */
import { textCounter } from "../../data/tokens";
import { Llama2Counter } from "../../data/tokens/llama2";
import { llama2Vocab } from "../../data/tokens/vocab";
import { llama2Reference, mismatches as referenceMismatches } from "./reference";

const mismatches = (texts: readonly string[]) => referenceMismatches(new Llama2Counter(), texts);

/** The token of a single character, or -1 when it falls back to bytes. */
const tokenOfChar = (ch: string): number => {
  const { charToken, astralToken } = llama2Vocab();
  const cp = ch.codePointAt(0)!;
  return cp < 0x10000 ? charToken[cp] : (astralToken.get(cp) ?? -1);
};

test("an empty text, or an empty range of a text, is no token at all (no dummy-prefix space)", () => {
  const counter = new Llama2Counter();
  expect(llama2Reference("")).toBe(0);
  expect([counter.count(""), counter.count("Hello", 0, 0), counter.count("Hello", 2, 2), counter.count("Hello", 5, 5), counter.count("Hello", 4, 1)]).toEqual([0, 0, 0, 0, 0]);
});

test("a range of a text counts as the text sliced to it: from the start, to the end, inside, and whole", () => {
  const counter = new Llama2Counter();
  const wrong: string[] = [];
  for (const t of ["Hello world, again", "the🌍the 𝕜x", "  spaced  out  ", "ab\u0800cd"]) {
    for (const [a, b] of [[0, 3], [0, t.length - 1], [3, t.length], [1, t.length], [2, 7], [0, t.length]]) {
      const want = llama2Reference(t.slice(a, b));
      const got = counter.count(t, a, b);
      if (got !== want) wrong.push(`${JSON.stringify(t)} [${a}, ${b}): ${got}, reference ${want}`);
    }
  }
  expect(wrong).toEqual([]);
});

test("byte fallback: a character without a token is its UTF-8 length in tokens, at each length's first and last code point", () => {
  // U+0080 is a token; U+007F, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF and 🦙 are not.
  const chars = ["\u007f", "\u07ff", "\u0800", "\uffff", "\u{10000}", "\u{10ffff}", "🦙"];
  expect(chars.map(tokenOfChar)).toEqual(chars.map(() => -1));
  expect(tokenOfChar("\u0080")).toBeGreaterThan(0);
  const texts = chars.flatMap((c) => [c, `a${c}b`, `the${c}the`, `${c}${c} ${c}`, `x${c}ab`]);
  expect(mismatches([...texts, "\u0080", "a\u0080b"])).toEqual([]);
});

test("surrogates: pairs, lone halves, and halves beside ASCII, CJK, fullwidth and private-use characters", () => {
  const texts = [
    "\ud800\udc00", // U+10000: a pair that starts at the first high surrogate
    "\udbff\udfff", // U+10FFFF: the last pair
    "\ud800a", "\ud83dthe", "\ud83d中文", "\ud800\u2a2d", "\ud800\u7ff0", "\ud801\u2200x", // a high half before something else
    "\ud800\ue000", "\ud800\uff01", "\ud83d\uffff", // ... before a character above the surrogates
    "the\udc00", "中\udc00", "\uff01\udc00", "\ue000\udfff", "\ud7ff\udc00", "\u0800\udc00", "\u07ff\udfff", // a low half after a character that is no high half (a token or not)
    "\udc00\udc00", "\udfff\udc00x", // low halves after low halves
    "the\ud83d", "\ud83d", "x\udc00", // halves at the end
    "a\ud83d 🌍\udf0d", "\ud83c\ud83c\udf0d\udf0d",
  ];
  expect(mismatches(texts)).toEqual([]);
});

test("▁ written in the text is a space to the tokenizer: alone, in runs, beside spaces and inside words", () => {
  const texts = ["▁", "▁▁▁", "a▁b", "▁hello", "hello▁", "▁▁x", " ▁ x", "x ▁▁ y", "▁ ▁ ▁", "the▁▁▁▁▁cat", "the▁▁ cat", "x▁ y", "a▁▁▁ \n b", "▁\u0800▁", "a" + "▁".repeat(100) + "b"];
  expect(mismatches(texts)).toEqual([]);
});

test("the three tokens outside the BMP (𝕜 🌍 𝓝) inside words and beside each other", () => {
  expect(["𝕜", "🌍", "𝓝"].map(tokenOfChar).every((t) => t > 0)).toBe(true);
  const texts = ["🌍", "a🌍b", "the🌍", "🌍🌍", "𝕜𝓝 🌍", "Hello 🌍!", "🌍the🌍", "x🦙🌍"];
  expect(mismatches(texts)).toEqual([]);
});

test("long pieces with the tokens outside the BMP, whose 2,048-unit chunks end on a pair's first or second half", () => {
  // With the dummy-prefix space first, unit 2,047 of the first four texts is a high surrogate: the
  // chunk must end before it, whatever follows the pair (a letter, another pair). In the last one
  // it is a low surrogate: the chunk ends after the whole pair.
  const texts = ["🌍a".repeat(1000), "🌍".repeat(1100), "ab𝕜".repeat(700) + "𝓝", "th" + "🌍".repeat(1200), "x" + "🌍".repeat(1100)];
  expect(mismatches(texts)).toEqual([]);
});

test("textCounter hands out one counter per family for the whole process (its piece caches carry over)", () => {
  expect(textCounter("llama2")).toBe(textCounter("llama2"));
  expect(textCounter("llama3")).toBe(textCounter("llama3"));
  expect(textCounter("llama2")).not.toBe(textCounter("llama3"));
  expect([textCounter("llama2").family, textCounter("llama3").family]).toEqual(["llama2", "llama3"]);
});
