/**
 * Llama 3 counts by spans (data/tokens/spans.ts) are exact: texts are cut at a space after a
 * printable ASCII character and each span's count is cached by its bytes, so the same span in
 * another context must still give the reference's count. These texts put every kind of
 * character the split pattern treats differently on both sides of spaces, repeatedly, with one
 * counter (so its caches are reused across texts), and compare with llama3-tokenizer-js.
 */
import { Llama3Counter } from "../../data/tokens/llama3";
import { SPAN_TEXT_MAX } from "../../data/tokens/spans";
import { llama3Reference, mismatches } from "./reference";
import { rng } from "./texts";

/** Pieces the split pattern treats differently: letters, digits, contractions, punctuation, whitespace kinds, non-ASCII. */
const ATOMS = ["a", "Ab", "word", "1", "12", "1234", "'", "'s", "'LL", "!", "?!", ".", "(", ")", "-", "\n", "\r\n", "\t", " ", "  ", "\u00a0", "é", "naïve", "日本", "🦙", "\ud800", "<|", "|>", "<|eot_id|>", "\x7f", "\x01", "$5"];

function texts(count: number, seed: number): string[] {
  const rand = rng(seed);
  return Array.from({ length: count }, () => {
    let s = "";
    const atoms = 1 + Math.floor(rand() * 40);
    for (let i = 0; i < atoms; i++) s += ATOMS[Math.floor(rand() * ATOMS.length)] + (rand() < 0.5 ? " " : "");
    return s;
  });
}

test("Llama 3 span counts equal the reference around every kind of space neighbour, with caches reused across texts", () => {
  const counter = new Llama3Counter();
  const all = texts(1500, 11);
  // Twice: the second pass answers from the span cache.
  expect([...mismatches(counter, all), ...mismatches(counter, all)]).toEqual([]);
});

test("Llama 3 texts just under the span limit (counted by spans) and over it (piece by piece) equal the reference", () => {
  const counter = new Llama3Counter();
  const unit = "The quick brown fox, 123 times!\n";
  const under = unit.repeat(Math.floor(SPAN_TEXT_MAX / unit.length));
  const over = under + unit.repeat(4);
  expect(under.length).toBeLessThanOrEqual(SPAN_TEXT_MAX);
  expect(over.length).toBeGreaterThan(SPAN_TEXT_MAX);
  expect(counter.count(under)).toBe(llama3Reference(under));
  expect(counter.count(over)).toBe(llama3Reference(over));
});

test("Llama 3 short spans (keyed by their bytes) at every length, with NUL bytes and past a cache reset, equal the reference", () => {
  const counter = new Llama3Counter();
  // Lengths 1 to 12 around the 4- and 8-byte key words; "a" and "a\0" share their first word's bits.
  const words = ["a", "a\u0000", "ab", "ab\u0000\u0000", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijkl", ".", ".!", "é", "éé", "日本", "🦙", "x1", "x12345678"];
  const mixed = words.map((w, i) => `${w} ${words[(i * 7) % words.length]}. ${w}`).join(" ");
  expect(counter.count(mixed)).toBe(llama3Reference(mixed));
  for (const w of words) expect(counter.count(` ${w} ${w}`)).toBe(llama3Reference(` ${w} ${w}`));
  // 40,000 distinct short spans: more than the short-span table keeps before it starts over.
  for (let t = 0; t < 5; t++) {
    const text = Array.from({ length: 8000 }, (_, i) => `q${t * 8000 + i}`).join(" ");
    expect(counter.count(text)).toBe(llama3Reference(text));
  }
});

/**
 * `count` distinct words of `min` to `max` random lowercase letters, each after a space: spans
 * whose counts differ (one token for a common word, several for a rare letter mix) at every
 * length, so a cache that answered one span with another's count would change the total.
 */
function distinctWords(count: number, min: number, max: number, seed: number): string[] {
  const rand = rng(seed);
  const seen = new Set<string>();
  while (seen.size < count) {
    let w = "";
    const len = min + Math.floor(rand() * (max - min + 1));
    for (let i = 0; i < len; i++) w += String.fromCharCode(97 + Math.floor(rand() * rand() * 26));
    seen.add(` ${w}`);
  }
  return [...seen];
}

/** The words joined into texts of at most SPAN_TEXT_MAX units (longer ones are not counted by spans), counted in order by one counter and by the reference. */
function countsInTexts(counter: Llama3Counter, words: string[]): { got: number[]; want: number[] } {
  const texts = [""];
  for (const w of words) {
    if (texts[texts.length - 1].length + w.length > SPAN_TEXT_MAX) texts.push("");
    texts[texts.length - 1] += w;
  }
  return { got: texts.map((t) => counter.count(t)), want: texts.map((t) => llama3Reference(t)) };
}

test("Llama 3 short spans of varied counts, more than the short-span table holds, equal the reference", () => {
  // 70,000 distinct spans of 2 to 8 bytes: past the 32,768 entries after which the table starts
  // over, and past its 65,536 slots (a table that never started over would have no free slot).
  const words = distinctWords(70_000, 1, 7, 5);
  const { got, want } = countsInTexts(new Llama3Counter(), [...words, ...words.slice(0, 10_000)]);
  expect(got).toEqual(want);
});

test("Llama 3 spans of 9 to 64 bytes (keyed by a hash) of varied counts, past the long-span table's reset, equal the reference", () => {
  // 40,000 distinct spans of 9 to 31 bytes: past the 16,384 entries after which the table starts
  // over, and past its 32,768 slots; then some again (answered from the table), and spans at 64 and 65 bytes.
  const words = distinctWords(40_000, 8, 30, 6);
  const edges = ["a".repeat(63), "b".repeat(64), "日本語の言葉", "🦙🦙🦙"].map((w) => ` ${w}`);
  const { got, want } = countsInTexts(new Llama3Counter(), [...words, ...words.slice(0, 10_000), ...edges, ...edges]);
  expect(got).toEqual(want);
});

test("Llama 3 cuts only at a space after printable ASCII, not after a non-ASCII character's last byte", () => {
  // U+3000 and U+2000 (whitespace) end in the byte 0x80, U+00A0 (whitespace) in 0xA0, "Ā" and "₀" in 0x80:
  // after whitespace, a cut between two spaces would split the whitespace run the pattern keeps whole.
  const counter = new Llama3Counter();
  const texts: string[] = [];
  for (const c of ["\u3000", "\u2000", "\u00a0", "Ā", "₀", "\x7f", "~"]) {
    for (const spaces of [" ", "  ", "   "]) for (const after of ["x", "1", "!", "\n", ""]) texts.push(`a${c}${spaces}${after}`, `${c}${spaces}${after}${c}`);
  }
  expect(mismatches(counter, texts)).toEqual([]);
});
