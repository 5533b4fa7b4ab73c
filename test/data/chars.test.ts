/**
 * data/tokens/chars.ts against what it stands for: the character classes against the regular
 * expressions of Llama 3's pattern (every BMP code point, every surrogate, astral samples),
 * `isSpace` against String.prototype.trim, and `utf8Into` against Node's UTF-8
 * encoder (which, like TextEncoder, writes U+FFFD for a lone surrogate).
 */
import { classOf, isSpace, LETTER, NEWLINE, NUMBER, OTHER, SPACE, utf8Into } from "../../data/tokens/chars";

function byRegex(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (ch === "\n" || ch === "\r") return NEWLINE;
  if (/^\p{L}$/u.test(ch)) return LETTER;
  if (/^\p{N}$/u.test(ch)) return NUMBER;
  if (/^\s$/u.test(ch)) return SPACE;
  return OTHER;
}

test("classOf equals the pattern's classes for every BMP code point and astral samples, twice (first sight and table)", () => {
  const astral = [0x10000, 0x1d400, 0x1d7d8, 0x1f999, 0x20000, 0x2a6d6, 0xe0020, 0x10ffff];
  for (let cp = 0x10000; cp < 0x110000; cp += 4099) astral.push(cp);
  const wrong: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (let cp = 0; cp < 0x10000; cp++) if (classOf(cp) !== byRegex(cp)) wrong.push(cp.toString(16));
    for (const cp of astral) if (classOf(cp) !== byRegex(cp)) wrong.push(cp.toString(16));
  }
  expect(wrong).toEqual([]);
  // Lone surrogates are in none of the classes.
  expect([0xd800, 0xdbff, 0xdc00, 0xdfff].map(classOf)).toEqual([OTHER, OTHER, OTHER, OTHER]);
});

test("isSpace is exactly what String.prototype.trim removes (the template trims every message with it)", () => {
  const wrong: number[] = [];
  for (let u = 0; u < 0x10000; u++) if (isSpace(u) !== (String.fromCharCode(u).trim() === "")) wrong.push(u);
  expect(wrong).toEqual([]);
});

test("utf8Into writes what Node's UTF-8 encoder writes, for every length class and surrogate case, in any sub-range", () => {
  // Lone low halves after characters that are no high half (CJK, the last code point before the
  // surrogates, a private-use one): each is U+FFFD, never a pair with what precedes it.
  const text = "a\u007f\u0080\u07ff\u0800é\ud7ff\ue000\uffff\u{10000}🦙\u{10ffff}\ud800x\udbff\udc00\udfff\ud83d\ud800\udfff\ud83d\ue000\ud83d中\udc00\ud7ff\udfff\ue000\udc00";
  const out = new Uint8Array(text.length * 3);
  const wrong: string[] = [];
  for (let start = 0; start <= text.length; start++) {
    for (let end = start; end <= text.length; end++) {
      const n = utf8Into(text, start, end, out);
      const want = Buffer.from(text.slice(start, end), "utf8");
      if (Buffer.compare(Buffer.from(out.subarray(0, n)), want) !== 0) wrong.push(`[${start}, ${end})`);
    }
  }
  expect(wrong).toEqual([]);
});
