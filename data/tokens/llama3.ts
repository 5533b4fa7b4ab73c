/**
 * Exact Llama 3 token counts of plain text, equal to llama3-tokenizer-js's
 * `encode(text, {bos: false, eos: false}).length`, at streaming speed:
 * 1. special tokens (`<|eot_id|>` and the others the library knows) count 1 and split the text;
 * 2. the rest is cut into pre-tokens by a hand-written scanner that implements the model's split
 *    pattern (tokenizer.json, as the library runs it):
 *    `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
 *    (first alternative that matches wins), without allocating a string per piece;
 * 3. most text never gets there: it is counted by spans (spans.ts), and only a span not seen
 *    recently is cut into pre-tokens;
 * 4. each pre-token's count comes from the piece cache, else from its bytes: a pre-token that is
 *    a token counts 1 (Llama 3's tokenizer has `ignore_merges`), else byte-level BPE, in chunks
 *    for long ones (long-runs.ts). BPE never crosses a pre-token boundary, so the sum is exact.
 */
import { Bpe } from "./bpe";
import * as chars from "./chars";
import { CHUNK_SYMBOLS, LongRunOverflow, LongRuns, unitsRepeat } from "./long-runs";
import * as pieces from "./piece-cache";
import { SpanCounter, SPAN_TEXT_MAX } from "./spans";
import { llama3Vocab, resolveMerge, type Llama3Vocab } from "./vocab";
import type { TextCounter } from "./types";

// Module-local copies: a loader may turn imported bindings into getters (tsx does), which costs
// more than the scanning itself in these loops.
const { LETTER, NEWLINE, NUMBER, OTHER, SPACE, classOf, utf8Into } = chars;
const { MAX_CACHED_UNITS, PieceCache, SmallPieceCache, SMALL_MAX_UNITS, hashUnits } = pieces;

/** Class of each ASCII character, for the scanner's fast path. */
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII[c] = classOf(c);

/** ASCII letters, the only ASCII characters in `\p{L}` (sticky: matches from lastIndex on). */
const ASCII_LETTERS = /[A-Za-z]*/y;

/** The special tokens llama3-tokenizer-js recognises in text (its default `specialTokenRegex`). */
const SPECIAL =
  /<\|(?:begin_of_text|end_of_text|start_header_id|end_header_id|eot_id|eom_id|python_tag|finetune_right_pad_id|reserved_special_token_(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-3][0-9]|24[0-7]))\|>/y;

/** Pre-tokens up to this many UTF-16 units are BPE-encoded whole; longer ones in chunks. */
const DIRECT_UNITS = CHUNK_SYMBOLS / 3;

/** Class of the code point at i (a surrogate pair counts as one). */
function classAt(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII[c];
  if (c < 0xd800 || c > 0xdbff || i + 1 >= end) return classOf(c);
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? classOf(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)) : classOf(c);
}

/** UTF-16 units of the code point at i. */
function widthAt(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= end) return 1;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

/** End of the run of code points of class `k` from i. */
function runOf(s: string, i: number, end: number, k: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (ASCII[c] !== k) break;
      i++;
    } else {
      if (classAt(s, i, end) !== k) break;
      i += widthAt(s, i, end);
    }
  }
  return i;
}

/** End of the pre-token that starts at i < end (the split pattern above, alternative by alternative). */
export function llama3PieceEnd(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  // (?i:'s|'t|'re|'ve|'m|'ll|'d)
  if (c === 39 && i + 1 < end) {
    const d = s.charCodeAt(i + 1) | 0x20;
    if (d === 0x73 || d === 0x74 || d === 0x6d || d === 0x64) return i + 2;
    if (i + 2 < end) {
      const e = s.charCodeAt(i + 2) | 0x20;
      if ((d === 0x72 || d === 0x76) && e === 0x65) return i + 3;
      if (d === 0x6c && e === 0x6c) return i + 3;
    }
  }
  const k = classAt(s, i, end);
  const w = c < 0xd800 ? 1 : widthAt(s, i, end);
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (k === LETTER) return runOf(s, i + w, end, LETTER);
  const next = i + w < end ? classAt(s, i + w, end) : 0;
  if ((k === SPACE || k === OTHER) && next === LETTER) return runOf(s, i + w, end, LETTER);
  // \p{N}{1,3}
  if (k === NUMBER) {
    let j = i + w;
    for (let n = 1; n < 3 && j < end && classAt(s, j, end) === NUMBER; n++) j += widthAt(s, j, end);
    return j;
  }
  // " "?[^\s\p{L}\p{N}]+[\r\n]*
  if (k === OTHER || (c === 32 && next === OTHER)) return runOf(s, runOf(s, i + w, end, OTHER), end, NEWLINE);
  // Whitespace (every whitespace character is in the BMP). Run [i, j):
  let j = i;
  let lastNewline = -1;
  while (j < end) {
    const u = s.charCodeAt(j);
    const x = u < 128 ? ASCII[u] : classOf(u);
    if (x === NEWLINE) lastNewline = j;
    else if (x !== SPACE) break;
    j++;
  }
  // \s*[\r\n]+ : up to the last line break of the run
  if (lastNewline >= 0) return lastNewline + 1;
  // \s+(?!\S) : the run, minus its last character when text follows; \s+ : a single space before text
  if (j === end || j - i === 1) return j;
  return j - 1;
}

export class Llama3Counter implements TextCounter {
  readonly family = "llama3" as const;
  private readonly vocab: Llama3Vocab;
  private readonly cache = new PieceCache();
  private readonly small = new SmallPieceCache();
  private readonly bpe: Bpe;
  private readonly long: LongRuns;
  private bytes = new Uint8Array(DIRECT_UNITS * 3);
  private readonly sym = new Int32Array(DIRECT_UNITS * 3);
  private readonly spans = new SpanCounter((text) => this.countSegment(text, 0, text.length));

  constructor() {
    const vocab = (this.vocab = llama3Vocab());
    const resolve = (slot: number) => resolveMerge(vocab, slot);
    this.bpe = new Bpe(vocab.merges, resolve);
    this.long = new LongRuns(this.bpe, new Bpe(vocab.merges, resolve), (t, out, at) => {
      const { pool, offset } = vocab.tokens;
      for (let i = offset[t]; i < offset[t + 1]; i++) out[at++] = vocab.byteToken[pool[i]];
      return offset[t + 1] - offset[t];
    });
  }

  count(text: string, start = 0, end = text.length): number {
    let n = 0;
    let from = start;
    let at = text.indexOf("<|", from);
    while (at >= 0 && at < end) {
      SPECIAL.lastIndex = at;
      if (SPECIAL.test(text) && SPECIAL.lastIndex <= end) {
        n += this.segment(text, from, at) + 1;
        from = SPECIAL.lastIndex;
        at = text.indexOf("<|", from);
      } else {
        at = text.indexOf("<|", at + 1);
      }
    }
    return n + this.segment(text, from, end);
  }

  /** Tokens of s[start, end), which holds no special token. */
  private segment(s: string, start: number, end: number): number {
    if (end - start > SPAN_TEXT_MAX) return this.countSegment(s, start, end);
    if (end === start) return 0;
    return this.spans.count(start === 0 && end === s.length ? s : s.slice(start, end));
  }

  private countSegment(s: string, start: number, end: number): number {
    let n = 0;
    for (let i = start; i < end; ) {
      let j = -1;
      // Fast path, most pre-tokens of most text: an ASCII word after an optional space or
      // punctuation character (the `[^\r\n\p{L}\p{N}]?\p{L}+` alternative). Its first eight
      // characters are packed into two int32 as it is scanned: the key of the small cache.
      let k1 = 0;
      let k2 = 0;
      const c = s.charCodeAt(i);
      if (c < 128 && c !== 39 && i + 1 < end) {
        const k = ASCII[c];
        const d = s.charCodeAt(i + 1);
        if (k === LETTER || ((k === SPACE || k === OTHER) && d < 128 && ASCII[d] === LETTER)) {
          k1 = c;
          let x = i + 1;
          let e = d;
          while (e < 128 && ASCII[e] === LETTER) {
            const at = x - i;
            if (at >= 8) {
              // Too long for the small cache: only its end matters. A long run of letters is all
              // this scan, so it is irregexp's native loop (3.2 MB of "a": 1.7 ms, where a
              // charCodeAt loop took 8 ms). It may read past `end` to the end of the letters
              // there, once per call (the template's trimmed messages end in whitespace).
              ASCII_LETTERS.lastIndex = x;
              ASCII_LETTERS.test(s);
              x = Math.min(ASCII_LETTERS.lastIndex, end);
              if (x < end) e = s.charCodeAt(x);
              break;
            }
            if (at < 4) k1 = (k1 << 8) | e;
            else k2 = (k2 << 8) | e;
            if (++x === end) break;
            e = s.charCodeAt(x);
          }
          // A non-ASCII letter would continue the word: leave that to the full scanner.
          if (x === end || e < 128) j = x;
        }
      }
      if (j < 0) {
        j = llama3PieceEnd(s, i, end);
        if (j - i <= SMALL_MAX_UNITS) {
          for (let x = i; x < j; x++) {
            const e = s.charCodeAt(x);
            if (e >= 128) {
              k1 = -1;
              break;
            }
            if (x - i < 4) k1 = (k1 << 8) | e;
            else k2 = (k2 << 8) | e;
          }
        } else {
          k1 = -1;
        }
      } else if (j - i > SMALL_MAX_UNITS) {
        k1 = -1;
      }
      const len = j - i;
      if (k1 !== -1) {
        let count = this.small.get(k1, k2, len);
        if (count < 0) {
          count = this.countPiece(s, i, j);
          this.small.set(k1, k2, len, count);
        }
        n += count;
      } else if (len <= MAX_CACHED_UNITS) {
        const h = hashUnits(s, i, j);
        let count = this.cache.get(s, i, j, h);
        if (count < 0) {
          count = this.countPiece(s, i, j);
          this.cache.set(s, i, j, h, count);
        }
        n += count;
      } else {
        n += this.countPiece(s, i, j);
      }
      i = j;
    }
    return n;
  }

  /** Tokens of one pre-token s[start, end). */
  countPiece(s: string, start: number, end: number): number {
    if (end - start > DIRECT_UNITS) return this.countLong(s, start, end);
    const n = utf8Into(s, start, end, this.bytes);
    if (this.vocab.tokens.find(this.bytes, 0, n) >= 0) return 1;
    for (let i = 0; i < n; i++) this.sym[i] = this.vocab.byteToken[this.bytes[i]];
    return this.bpe.run(this.sym, n);
  }

  private countLong(s: string, start: number, end: number): number {
    let pos = start;
    const bytes = this.bytes;
    const byteToken = this.vocab.byteToken;
    // Each fill writes up to max symbols: ASCII maps straight to one symbol a unit; from the first
    // other character on, up to (room left)/3 units go through UTF-8 bytes (3 bytes per unit at
    // most), never splitting a surrogate pair. (Capping every fill at max/3 units made runs of
    // ASCII three times as many chunks as needed.)
    /** Where the last fill started, and whether it wrote one symbol per unit for all `max` (ASCII only). */
    let from = pos;
    let asciiFull = false;
    const fill = (out: Int32Array, at: number, max: number): number => {
      if (pos >= end) return 0;
      let n = 0;
      let i = pos;
      from = pos;
      const asciiStop = Math.min(end, pos + max);
      for (; i < asciiStop; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        out[at + n++] = byteToken[c];
      }
      if (i < asciiStop) {
        let stop = Math.min(end, i + Math.floor((max - n) / 3));
        const last = s.charCodeAt(stop - 1);
        if (stop < end && last >= 0xd800 && last <= 0xdbff) stop--;
        if (stop > i) {
          const m = utf8Into(s, i, stop, bytes);
          for (let k = 0; k < m; k++) out[at + n++] = byteToken[bytes[k]];
          i = stop;
        }
      }
      pos = i;
      asciiFull = n === max && i - from === max;
      return n;
    };
    // A full chunk of ASCII is `max` units, one symbol each, and the fill read nothing past it:
    // if the next `max` units are the same, the next fill would write the same symbols.
    const repeat = (): boolean => {
      if (!asciiFull || !unitsRepeat(s, from, pos, end)) return false;
      [from, pos] = [pos, pos + pos - from];
      return true;
    };
    try {
      return this.long.count(fill, repeat);
    } catch (e) {
      if (!(e instanceof LongRunOverflow)) throw e;
      // Never seen: encode the whole run at once (exact, memory in proportion to its length).
      const whole = Buffer.from(s.slice(start, end), "utf8");
      const sym = new Int32Array(whole.length);
      for (let i = 0; i < whole.length; i++) sym[i] = byteToken[whole[i]];
      return this.bpe.run(sym, sym.length);
    } finally {
      this.bpe.release();
      this.long.release();
    }
  }
}
