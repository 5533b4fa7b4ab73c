/**
 * Project-owned text for the token-count tests: a deterministic generator of varied strings
 * (prose, code, numbers, markup, many scripts, emoji, odd whitespace) and the adversarial
 * strings the counters must also get exactly right. Written here, not copied from a dataset.
 */

/** Deterministic xorshift, so every run tests the same strings. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the a of to and in is it you that he was for on are with as I his they be at one have this from or had by hot word but what some we can out " +
  "other were all there when up use your how said an each she which do their time if will way about many then them write would like so these " +
  "Xbox controller firmware update reboot console network settings account password recipe flour butter sugar oven minutes degrees " +
  "don't it's we're they've I'm you'll she'd O'Neil rock'n'roll naïve café résumé coöperate Zürich São Paulo"
).split(" ");
const SCRIPTS = ["日本語のテキスト", "中文文本没有空格", "한국어 문장", "текст по-русски", "نص عربي", "עברית", "ελληνικά", "हिन्दी", "ไทย", "Ünïcödé"];
const EMOJI = ["🦙", "👍🏽", "🇫🇷", "👨‍👩‍👧", "✅", "❤️", "🙂"];
const PUNCT = [".", ",", "!", "?", ";", ":", "...", " - ", " — ", "(", ")", "[", "]", "{", "}", '"', "'", "`", "/", "\\", "*", "#", "&", "%", "$", "@", "<", ">", "=", "+", "_", "|", "~", "^"];
const SPACES = [" ", "  ", "\t", "\n", "\r\n", "\n\n", " \n ", "\u00a0", "\u3000", "\u2003", "    ", "\f", "\v"];

/** One generated string of roughly `words` words. */
export function generatedText(rand: () => number, words: number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];
  let s = "";
  for (let i = 0; i < words; i++) {
    const r = rand();
    if (r < 0.6) s += pick(WORDS);
    else if (r < 0.68) s += String(Math.floor(rand() * 10 ** Math.floor(rand() * 9)));
    else if (r < 0.76) s += pick(SCRIPTS);
    else if (r < 0.8) s += pick(EMOJI);
    else if (r < 0.9) s += pick(PUNCT);
    else if (r < 0.93) s += `<${pick(["b", "div", "|eot_id|", "|start_header_id|", "|reserved_special_token_250|", "s", "/s"])}>`;
    else if (r < 0.96) s += pick(WORDS).toUpperCase();
    else s += `const x${i} = [${i}, "${pick(WORDS)}"];`;
    s += rand() < 0.8 ? " " : pick(SPACES);
  }
  return s;
}

/** Generated strings of assorted lengths (same every run). */
export function generatedTexts(count: number, seed = 7): string[] {
  const rand = rng(seed);
  return Array.from({ length: count }, () => generatedText(rand, 1 + Math.floor(rand() * 60)));
}

/**
 * Adversarial strings: long runs (counted in chunks by long-runs.ts), runs of one character
 * across scripts, whitespace runs of every kind, lone surrogates, special-token look-alikes.
 */
export function adversarialTexts(): string[] {
  return [
    "a".repeat(6000),
    "ab".repeat(2500),
    "abc".repeat(1700) + "!",
    "A" + "a".repeat(4999),
    "Zz".repeat(1234) + " " + "y".repeat(3001),
    " ".repeat(3000) + "x",
    "x" + " ".repeat(4999) + "y",
    "\t".repeat(2500),
    "\n".repeat(2000) + "end",
    " \n".repeat(1500),
    "\u00a0".repeat(2000) + "z",
    "-".repeat(4000),
    "....!!!???".repeat(300),
    "1".repeat(3000),
    "12345678901234567890 ".repeat(100),
    "镇".repeat(2500),
    "中文文本没有空格".repeat(400),
    "한국어".repeat(900),
    "текст".repeat(900),
    "🦙".repeat(900) + "Spanish",
    "👨‍👩‍👧".repeat(300),
    "ﬁ𝐀𝐁 ١٢٣٤ ½ Ⅻ 𝟘𝟙𝟚",
    "I'LL we'Re 'sup 's'S ''' 'd'D'll",
    "x\u2028y\u2029z\u00a0w\u3000v\ufeffu",
    "\ud800abc\udc00 \udbff\udfff\ud83d",
    "<|eot_id|>hi<|reserved_special_token_250|><|eom_id|><|begin_of_text|><|x|><|",
    "  \r\n\r\n  foo!!!\n\n  \t \n",
    "mixed 日本語abcабв123١٢٣🙂 end",
    "a".repeat(700) + "b".repeat(700) + "a".repeat(700),
    // One long letter pre-token that turns non-ASCII midway (its chunks switch from ASCII symbols to UTF-8 bytes).
    "a".repeat(3000) + "é" + "b".repeat(3000),
    "é" + "a".repeat(5000),
    // Long letter pre-tokens of astral letters (surrogate pairs), ASCII first: a chunk must never end between a pair's halves.
    "ab" + "\u{1d400}".repeat(3000),
    "a".repeat(2047) + "\u{1d400}b".repeat(1500),
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".repeat(40) + "🙂",
    // Runs whose 2,048-symbol chunks repeat exactly, long enough for the steady state that
    // long-runs.ts skips (two chunks to reach it, then several copies to skip): tokens that line
    // up with the chunks, tokens taken back at every junction ("b" first), periods 2 and 4, a
    // run of spaces, a switch to another letter after the skip, and (Llama 2: one symbol per
    // unit) a run of a non-ASCII letter.
    "a".repeat(20_000),
    "b" + "a".repeat(20_000) + "c",
    "ab".repeat(10_000),
    "abcd".repeat(5_000) + "!",
    " ".repeat(20_000) + "x",
    "a".repeat(12_388) + "b".repeat(9_000),
    "\u00e9".repeat(12_000),
  ];
}
