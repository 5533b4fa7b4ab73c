/**
 * Exact Llama 2 token counts of plain text, equal to llama-tokenizer-js's
 * `encode(text, false, true).length` (no BOS, with SentencePiece's leading "dummy prefix"
 * space), at streaming speed.
 *
 * The library runs BPE over the whole string (spaces written "▁"; a character that is not a
 * token falls back to one token per UTF-8 byte). Two facts about the Llama 2 vocabulary make it
 * safe to count piece by piece instead (test/data/tokens.test.ts checks both on the vocabulary):
 * - no token has a "▁" after another character, so a token never spans the boundary between a
 *   character and the space after it;
 * - no merge involves a byte-fallback token, so a character without a token of its own is
 *   exactly its UTF-8 length in tokens and splits the text.
 * A piece is therefore a run of spaces plus the characters up to the next space or fallback
 * character, counted through the piece cache, BPE on a miss, in chunks when long.
 */
import { Bpe } from "./bpe";
import { CHUNK_SYMBOLS, LongRunOverflow, LongRuns, unitsRepeat } from "./long-runs";
import * as pieces from "./piece-cache";
import * as vocabs from "./vocab";
import type { Llama2Vocab } from "./vocab";
import type { TextCounter } from "./types";

// Module-local copies: a loader may turn imported bindings into getters (tsx does), which costs
// more than the scanning itself in these loops.
const { MAX_CACHED_UNITS, PieceCache, hashUnits } = pieces;
const { SP_SPACE, llama2Vocab } = vocabs;

const DIRECT_UNITS = CHUNK_SYMBOLS;

export class Llama2Counter implements TextCounter {
  readonly family = "llama2" as const;
  private readonly vocab: Llama2Vocab;
  private readonly cache = new PieceCache();
  private readonly bpe: Bpe;
  private readonly long: LongRuns;
  private readonly sym = new Int32Array(DIRECT_UNITS);
  private readonly space: number;

  constructor() {
    const vocab = (this.vocab = llama2Vocab());
    const resolve = (slot: number) => vocab.merges.slots[slot + 3];
    this.space = vocab.charToken[SP_SPACE];
    this.bpe = new Bpe(vocab.merges, resolve);
    this.long = new LongRuns(this.bpe, new Bpe(vocab.merges, resolve), (t, out, at) => {
      const text = vocab.text[t];
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        out[at + n++] = this.tokenOf(cp);
      }
      return n;
    });
  }

  /** The token of a single code point (a space is "▁"), or -1 if it falls back to bytes. */
  private tokenOf(cp: number): number {
    if (cp === 32) return this.space;
    if (cp < 65536) return this.vocab.charToken[cp];
    return this.vocab.astralToken.get(cp) ?? -1;
  }

  private codePointAt(s: string, i: number, end: number): number {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= end) return c;
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff ? 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00) : c;
  }

  count(text: string, start = 0, end = text.length): number {
    if (end <= start) return 0;
    // The dummy prefix: SentencePiece (and the library) encode " " + text.
    const s = start === 0 && end === text.length ? " " + text : " " + text.slice(start, end);
    return this.countFrom(s, 0, s.length);
  }

  private countFrom(s: string, start: number, end: number): number {
    let n = 0;
    let i = start;
    while (i < end) {
      const cp = this.codePointAt(s, i, end);
      if (this.tokenOf(cp) < 0) {
        // Byte fallback: one token per UTF-8 byte (a lone surrogate is encoded as U+FFFD, 3 bytes).
        n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      let j = i;
      while (j < end && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === SP_SPACE)) j++;
      while (j < end) {
        const c = s.charCodeAt(j);
        if (c === 32 || c === SP_SPACE) break;
        const p = this.codePointAt(s, j, end);
        if (this.tokenOf(p) < 0) break;
        j += p > 0xffff ? 2 : 1;
      }
      if (j - i <= MAX_CACHED_UNITS) {
        const h = hashUnits(s, i, j);
        let c = this.cache.get(s, i, j, h);
        if (c < 0) {
          c = this.countPiece(s, i, j);
          this.cache.set(s, i, j, h, c);
        }
        n += c;
      } else {
        n += this.countPiece(s, i, j);
      }
      i = j;
    }
    return n;
  }

  /** Fills out[at...] with the symbols of s[from, stop); returns how many. */
  private symbols(s: string, from: number, stop: number, out: Int32Array, at: number): number {
    let n = 0;
    for (let i = from; i < stop; ) {
      const cp = this.codePointAt(s, i, stop);
      out[at + n++] = this.tokenOf(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    return n;
  }

  private countPiece(s: string, start: number, end: number): number {
    if (end - start <= DIRECT_UNITS) return this.bpe.run(this.sym, this.symbols(s, start, end, this.sym, 0));
    let pos = start;
    /** Where the last fill started, and whether it wrote one symbol per unit for all `max` (no surrogate pair, none held back). */
    let from = pos;
    let full = false;
    const fill = (out: Int32Array, at: number, max: number): number => {
      if (pos >= end) return 0;
      let stop = Math.min(end, pos + max);
      const last = s.charCodeAt(stop - 1);
      if (stop < end && last >= 0xd800 && last <= 0xdbff) stop--;
      const n = this.symbols(s, pos, stop, out, at);
      from = pos;
      pos = stop;
      full = n === max && stop - from === max;
      return n;
    };
    // Such a fill read only its own `max` units (its last one is no high surrogate): if the next
    // `max` units are the same, the next fill would write the same symbols.
    const repeat = (): boolean => {
      if (!full || !unitsRepeat(s, from, pos, end)) return false;
      [from, pos] = [pos, pos + pos - from];
      return true;
    };
    try {
      return this.long.count(fill, repeat);
    } catch (e) {
      if (!(e instanceof LongRunOverflow)) throw e;
      const sym = new Int32Array(end - start);
      return this.bpe.run(sym, this.symbols(s, start, end, sym, 0));
    } finally {
      this.bpe.release();
      this.long.release();
    }
  }
}
