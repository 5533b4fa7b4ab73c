/**
 * The Llama 3 counter (data/tokens/llama3.ts) at the edges of its own shortcuts, each against
 * the reference tokenizer: the split pattern's contractions, special tokens and their near
 * misses, characters at the edges of the surrogate and ASCII ranges, pre-tokens that are tokens
 * the merges would not build (`ignore_merges`), pre-tokens of every length around the counter's
 * buffers and chunks, pieces that differ in one unit (the piece caches must never answer for
 * another piece), and slices of texts too long for the span counter.
 */
import { Bpe } from "../../data/tokens/bpe";
import { Llama3Counter } from "../../data/tokens/llama3";
import { SPAN_TEXT_MAX } from "../../data/tokens/spans";
import { llama3Vocab, resolveMerge } from "../../data/tokens/vocab";
import { mismatches as referenceMismatches } from "./reference";

const mismatches = (texts: readonly string[]) => referenceMismatches(new Llama3Counter(), texts);

test("contractions ('s 't 're 've 'm 'll 'd, any case) followed by letters, and apostrophes at the end of the text", () => {
  const words = ["'sand", "'Tis", "'twas", "'REally", "'velvet", "'mmm", "'llama", "'dunno", "'LLama", "'Ve'd", "'ll've", "don'tcha", "y'all'd", "'Mmm", "'DDay", "'Re'S"];
  const ends = ["x'", "x's", "x'r", "x're", "x'l", "x'll", "x'v", "x've", "x'm", "x'd", "x'T", "'", "''", "'s", "'ll", "'r"];
  // An apostrophe and a letter that starts no contraction, before a space, digit or punctuation.
  const near = ["x'l y", "x'l1", "x'l!", "x'r y", "x'v1", "x'rx!", "x'vx 1", "x'lx.", "x'e y"];
  expect(mismatches([...words, words.join(" "), words.join(""), ...ends, ...near])).toEqual([]);
});

test("special tokens: every one the library knows counts 1, and near misses are text", () => {
  const names = ["begin_of_text", "end_of_text", "start_header_id", "end_header_id", "eot_id", "eom_id", "python_tag", "finetune_right_pad_id"];
  const reserved = Array.from({ length: 251 }, (_, n) => `reserved_special_token_${n}`);
  const misses = ["reserved_special_token_05", "reserved_special_token_248", "reserved_special_token_1000", "reserved_special_token_", "EOT_ID", "eot_id ", "eot-id"];
  const texts = [...names, ...reserved, ...misses].map((name) => `a<|${name}|>b`);
  texts.push("x<|eot_id", "<|eot_id|", "<|", "|>", "<<|eot_id|>>", "<|eot_id|><|eot_id|>");
  expect(mismatches(texts)).toEqual([]);
});

test("characters at the edges of the ASCII and surrogate ranges, in letter, digit, punctuation and space runs", () => {
  // U+10000 (a letter, high surrogate D800, low DC00), U+103FF (D800 DFFF), U+1D7FF (a digit,
  // low DFFF), U+1D400 (a letter), U+10FFFD (private use, DBFF), U+FFFF and U+E000 (BMP
  // neighbours of the surrogates), C1 controls and NBSP after ASCII, lone halves.
  const chars = ["\u{10000}", "\u{103FF}", "\u{1D7FF}", "\u{1D7CE}", "\u{1D400}", "\u{10FFFD}", "\uffff", "\ue000", "\u0080", "\u009f", "\u00a0", "\u00aa", "\ud800", "\udc00", "\udbff", "\udfff"];
  const texts: string[] = [];
  for (const c of chars) {
    for (const t of [c, `a${c}b`, `${c}${c}${c}${c}`, `1${c}${c}2`, `12${c}3`, `!${c}?`, ` ${c}`, `${c} x`, `\n${c}`, `'s${c}`, `${c}'ll`]) texts.push(t);
  }
  expect(mismatches(texts)).toEqual([]);
});

test("whitespace runs with line breaks at the very start of a text, and digits or line breaks before letters", () => {
  const texts = ["\n  Hello", "\n \n  x", "\r\n\t y", "\n", " \n", "\n\n  \n   z", "\u3000\n  q", "3rd 2nd 1st 4K 1080p", "\nword\n\nWord", "x\r\ny", "12abc34def567"];
  expect(mismatches(texts)).toEqual([]);
});

test("a pre-token that is a token counts 1 even where the merges would not build it (tokenizer.json ignore_merges)", () => {
  // The tokens the merges alone do not reach (588 of them, e.g. " việc", "mektedir", " характ").
  const vocab = llama3Vocab();
  const bpe = new Bpe(vocab.merges, (slot) => resolveMerge(vocab, slot));
  const { pool, offset } = vocab.tokens;
  const texts: string[] = [];
  const sym = new Int32Array(256);
  for (let t = 0; t < 128_000; t++) {
    const n = offset[t + 1] - offset[t];
    for (let i = 0; i < n; i++) sym[i] = vocab.byteToken[pool[offset[t] + i]];
    if (bpe.run(sym, n) > 1) texts.push(Buffer.from(pool.subarray(offset[t], offset[t + 1])).toString("utf8"));
  }
  expect(texts.length).toBeGreaterThan(500);
  expect(texts).toEqual(expect.arrayContaining([" việc", "mektedir"]));
  expect(mismatches([...texts, "Tôi làm việc nhiều ở Việt Nam.", "gelmektedir ve gidilmektedir"])).toEqual([]);
});

test("pre-tokens of every length around the counter's buffers and chunks, in each kind of run", () => {
  const lengths = [...Array.from({ length: 12 }, (_, i) => i + 1), 63, 64, 65, 75, 76, 77, 226, 227, 228, 229, 340, 341, 342, 680, 681, 682, 683, 684, 685, 1023, 1024, 1025, 2046, 2047, 2048, 2049, 2050, 4095, 4096, 4097];
  const kinds: ((n: number) => string)[] = [
    (n) => "a".repeat(n),
    (n) => "ab".repeat(n).slice(0, n),
    (n) => "é".repeat(n),
    (n) => "中".repeat(n),
    (n) => "!".repeat(n),
    (n) => " ".repeat(n) + "x",
    // A punctuation run of one BMP character then surrogate pairs: UTF-8 chunks of 682 units end between a pair's halves unless they step back.
    (n) => "€" + "🦙".repeat(n),
    // 2 ASCII symbols, then 681 three-byte characters and a pair: the pair straddles the first
    // chunk's last unit, and taking both halves would write one symbol past the chunk.
    (n) => "!!" + "€".repeat(681) + "🙂".repeat(n),
    (n) => "a" + "\u{1D400}".repeat(n),
    (n) => "x".repeat(n) + "é" + "y".repeat(n),
  ];
  // One counter per kind: its buffers start clean, so a symbol written past them cannot be read back by luck.
  expect(kinds.flatMap((k) => mismatches(lengths.map(k)))).toEqual([]);
});

test("pieces that differ in one unit at any position get their own counts (the piece caches key on every unit)", () => {
  // Letter words (the scanner's fast path), and pieces of punctuation, whitespace and contractions
  // (its general path), up to 8 units (keyed by their units) and longer (hashed).
  const bases = ["national", " national", "!national", "Information", " understanding", "........", "!?!?!?!?", "--------", "!!!!!!!!!!!!", "..........??", "'information", "   \t\t  ", "éééééééé", "the", " of", "tion"];
  const texts: string[] = [];
  for (const base of bases) {
    texts.push(base);
    for (let p = 0; p < base.length; p++) {
      for (const c of ["q", "z", ".", "?", "-", " "]) {
        if (base[p] !== c) texts.push(base.slice(0, p) + c + base.slice(p + 1));
      }
    }
  }
  // Counted in both orders by one counter each: whichever comes first fills the caches.
  expect(mismatches(texts)).toEqual([]);
  expect(mismatches([...texts].reverse())).toEqual([]);
});

test("counting a slice of a text longer than the span counter takes equals counting the sliced string, at split pairs and special tokens", () => {
  const counter = new Llama3Counter();
  const astral = "\u{10000}".repeat(40_000); // 80,000 UTF-16 units of one letter
  const special = "x".repeat(SPAN_TEXT_MAX + 10) + "<|eot_id|>y";
  const long = "x".repeat(SPAN_TEXT_MAX + 10);
  expect(astral.length).toBeGreaterThan(SPAN_TEXT_MAX);
  const cases: [string, number, number][] = [
    [astral, 0, 70_001], // ends between a pair's halves
    [astral, 1, 70_000], // starts between them
    [astral, 0, 70_000],
    [special, 0, SPAN_TEXT_MAX + 15], // ends inside the special token
    [special, 0, SPAN_TEXT_MAX + 20],
    // Ends right after an apostrophe, or inside a contraction: the scanner must not read past the end.
    [long + "'s", 0, SPAN_TEXT_MAX + 11],
    [long + "'ll", 0, SPAN_TEXT_MAX + 12],
    [long + "'re", 0, SPAN_TEXT_MAX + 12],
    [long + "'ve!", 0, SPAN_TEXT_MAX + 13],
  ];
  const got = cases.map(([t, a, b]) => counter.count(t, a, b));
  const want = cases.map(([t, a, b]) => counter.count(t.slice(a, b)));
  expect(got).toEqual(want);
});
