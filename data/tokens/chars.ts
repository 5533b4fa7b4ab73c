/**
 * Character classes of Llama 3's pre-tokenizer pattern, as JavaScript's `u`-flag regular
 * expressions define them (llama3-tokenizer-js runs the pattern as a JS RegExp):
 * letter `\p{L}`, number `\p{N}`, whitespace `\s` split into line breaks (`\r`, `\n`) and the
 * rest, and everything else. One byte per BMP character, filled on first sight from the
 * regular expressions themselves, so the classes cannot drift from what the pattern means.
 */
export const LETTER = 1;
export const NUMBER = 2;
export const SPACE = 3;
export const NEWLINE = 4;
export const OTHER = 5;

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\s$/u;

function classify(cp: number): number {
  if (cp === 10 || cp === 13) return NEWLINE;
  // A lone surrogate is a code point of its own under the `u` flag: none of the three match it.
  const ch = String.fromCodePoint(cp);
  if (IS_LETTER.test(ch)) return LETTER;
  if (IS_NUMBER.test(ch)) return NUMBER;
  if (IS_SPACE.test(ch)) return SPACE;
  return OTHER;
}

const bmp = new Uint8Array(65536);
const astral = new Map<number, number>();

/** Class of a code point (`cp` from codePointAt, so a surrogate here is a lone one). */
export function classOf(cp: number): number {
  if (cp < 65536) {
    const k = bmp[cp];
    if (k !== 0) return k;
    return (bmp[cp] = classify(cp));
  }
  let k = astral.get(cp);
  if (k === undefined) {
    k = classify(cp);
    if (astral.size < 65536) astral.set(cp, k);
  }
  return k;
}

/** `\s`, which is also what String.prototype.trim removes. */
export function isSpace(unit: number): boolean {
  const k = classOf(unit);
  return k === SPACE || k === NEWLINE;
}

/** UTF-8 encodes s[start, end) into out (as TextEncoder does: a lone surrogate becomes U+FFFD); returns the length. */
export function utf8Into(s: string, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 63);
    out[n++] = 0x80 | (c & 63);
  }
  return n;
}

/** Bytes utf8Into writes for s[start, end): at most 3 per UTF-16 unit. */
export const MAX_UTF8_PER_UNIT = 3;
