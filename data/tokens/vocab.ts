/**
 * The two Llama vocabularies, decoded straight from the data the tokenizer packages ship
 * (llama-tokenizer-js 1.2.2 for Llama 2, llama3-tokenizer-js 1.2.0 for Llama 3; both pinned in
 * package.json): the `llama_vocab_base64` and `llama_merges_binary` constants baked into each
 * package's main file. Importing the packages instead would build their string-keyed Maps
 * (about 1 s and 100+ MB for Llama 3) before the first count; decoding the same bytes into
 * typed arrays takes tens of milliseconds. Formats, as the packages' own decoders read them:
 * - vocab: base64 of the token strings joined by "\n"; the line number is the token id;
 * - merges: base64 of token-id pairs in priority order, 17 bits per id (Llama 3) or 16-bit
 *   little-endian (Llama 2); merge i has priority i.
 * Loaded once per process, on first use.
 */
import { readFileSync } from "node:fs";
import { MergeTable } from "./merge-table";

/** Llama 3's special tokens follow its 128,000 BPE tokens (llama3-tokenizer-js: `llama3SpecialTokens`). */
/** Module-local (see `floor` in bpe.ts: a global lookup is slow under Jest's `vm` contexts). */
const { imul } = Math;
export const LLAMA3_BPE_TOKENS = 128_000;

/**
 * The two baked constants of a tokenizer package's main file, decoded from base64 (exported for
 * its test). @param pkg the package name, or a path to its main file
 */
export function bakedConstants(pkg: string): { vocab: Buffer; merges: Buffer } {
  const file = require.resolve(pkg);
  const src = readFileSync(file, "latin1");
  const grab = (name: string): Buffer => {
    const head = `const ${name} = "`;
    const at = src.indexOf(head);
    const end = at < 0 ? -1 : src.indexOf('"', at + head.length);
    if (end < 0) throw new Error(`${file} has no ${name}; the tokenizer package changed (expected ${pkg} as pinned in package.json)`);
    return Buffer.from(src.slice(at + head.length, end), "base64");
  };
  return { vocab: grab("llama_vocab_base64"), merges: grab("llama_merges_binary") };
}

/** FNV-1a over bytes, for the token-by-bytes table. */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/**
 * Token ids by their bytes (open addressing over one pool of all token bytes): Llama 3 needs it
 * to map a pre-token that is itself a token to that token (its tokenizer has `ignore_merges`)
 * and to find the token a merge produces.
 */
export class TokenBytes {
  readonly pool: Uint8Array;
  readonly offset: Int32Array;
  readonly slots: Int32Array;
  private readonly mask: number;

  /**
   * `pool` holds every token's bytes back to back; token i is pool[offset[i], offset[i + 1]).
   * `slots`: the table another TokenBytes built over the same pool (another thread's), if any.
   */
  constructor(pool: Uint8Array, offset: Int32Array, slots?: Int32Array) {
    this.pool = pool;
    this.offset = offset;
    if (slots instanceof Int32Array) {
      this.mask = slots.length - 1;
      this.slots = slots;
      return;
    }
    const count = offset.length - 1;
    let size = 1024;
    while (size < count * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let id = 0; id < count; id++) {
      if (this.find(this.pool, this.offset[id], this.offset[id + 1]) >= 0) continue;
      let s = hashBytes(this.pool, this.offset[id], this.offset[id + 1]) & this.mask;
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.slots[s] = id;
    }
  }

  /** The id of the token whose bytes are b[start, end), or -1. */
  find(b: Uint8Array, start: number, end: number): number {
    const n = end - start;
    let s = hashBytes(b, start, end) & this.mask;
    for (;;) {
      const id = this.slots[s];
      if (id === -1) return -1;
      const o = this.offset[id];
      if (this.offset[id + 1] - o === n) {
        let i = 0;
        while (i < n && this.pool[o + i] === b[start + i]) i++;
        if (i === n) return id;
      }
      s = (s + 1) & this.mask;
    }
  }
}

/** The token that merge `slot` of `vocab.merges` produces: looked up on first use, then kept in the table. */
export function resolveMerge(vocab: Llama3Vocab, slot: number): number {
  const t = vocab.merges.slots;
  let result = t[slot + 3];
  if (result === -1) {
    const { pool, offset } = vocab.tokens;
    const a = t[slot];
    const b = t[slot + 1];
    const scratch = vocab.scratch;
    let n = 0;
    for (let i = offset[a]; i < offset[a + 1]; i++) scratch[n++] = pool[i];
    for (let i = offset[b]; i < offset[b + 1]; i++) scratch[n++] = pool[i];
    result = vocab.tokens.find(scratch, 0, n);
    t[slot + 3] = result;
  }
  return result;
}

export interface Llama3Vocab {
  tokens: TokenBytes;
  merges: MergeTable;
  /** The token of each single byte (byte-level BPE starts from these). */
  byteToken: Int32Array;
  /** Room for two tokens' bytes (resolveMerge). */
  scratch: Uint8Array;
}

/**
 * GPT-2's byte-to-character map, which Llama 3's token strings are written in: printable
 * Latin-1 bytes stand for themselves, the other bytes for U+0100 upwards (llama3-tokenizer-js
 * `BYTES_TO_UNICODE`, from transformers.js).
 */
function unicodeToByte(): Map<number, number> {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<number, number>();
  let n = 0;
  for (let b = 0; b < 256; b++) map.set(printable(b) ? b : 256 + n++, b);
  return map;
}

let llama3: Llama3Vocab | null = null;

/**
 * The Llama 3 vocabulary's decoded tables in shared memory, as the main thread hands them to the
 * worker threads (data/executor.ts), so that the vocabulary is decoded once per run instead of
 * once per worker (100-150 ms of CPU each). A worker copies them into its own memory when it
 * first counts (a few milliseconds for about 10 MB; a worker that never counts, because every
 * line is an error, never holds them): counting through arrays on a SharedArrayBuffer was
 * measured 40% slower (V8 optimizes loads from shared memory less), and each worker writes
 * merge results into its own merge table.
 */
export interface Llama3VocabTables {
  pool: Uint8Array;
  offset: Int32Array;
  tokenSlots: Int32Array;
  mergeSlots: Int32Array;
  byteToken: Int32Array;
}

function sharedBytes(a: Uint8Array): Uint8Array {
  const s = new Uint8Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

function sharedInt32(a: Int32Array): Int32Array {
  const s = new Int32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/** The vocabulary as tables in shared memory for other threads (decoded for them, not kept here unless this thread had it already). */
export function llama3VocabTables(): Llama3VocabTables {
  // Decoded for sharing, the merge table (8 of the 10 MB) is built in shared memory at once: no local copy left as garbage here.
  const { tokens, merges, byteToken } = llama3 ?? decodeLlama3(true);
  const mergeSlots = merges.slots.buffer instanceof SharedArrayBuffer ? merges.slots : sharedInt32(merges.slots);
  return { pool: sharedBytes(tokens.pool), offset: sharedInt32(tokens.offset), tokenSlots: sharedInt32(tokens.slots), mergeSlots, byteToken: sharedInt32(byteToken) };
}

let pendingTables: Llama3VocabTables | null = null;

/** From now on, the vocabulary is a copy of these tables (another thread's, llama3VocabTables), made on first use. */
export function useLlama3VocabTables(t: Llama3VocabTables): void {
  pendingTables = t;
  llama3 = null;
}

export function llama3Vocab(): Llama3Vocab {
  if (llama3) return llama3;
  const t = pendingTables;
  pendingTables = null;
  llama3 =
    t === null
      ? decodeLlama3()
      : {
          tokens: new TokenBytes(new Uint8Array(t.pool), new Int32Array(t.offset), new Int32Array(t.tokenSlots)),
          merges: new MergeTable(new Int32Array(t.mergeSlots)),
          byteToken: new Int32Array(t.byteToken),
          scratch: new Uint8Array(1024),
        };
  return llama3;
}

function decodeLlama3(sharedMerges = false): Llama3Vocab {
  const { vocab, merges } = bakedConstants("llama3-tokenizer-js");
  const toByte = new Uint8Array(512);
  for (const [c, b] of unicodeToByte()) toByte[c] = b;
  // Each character of a token string stands for one byte; "\n" (a byte itself written as U+010A) separates tokens.
  const text = vocab.toString("utf8");
  const pool = new Uint8Array(text.length);
  const offsets: number[] = [0];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) offsets.push(n);
    else pool[n++] = c < 512 ? toByte[c] : 0;
  }
  offsets.push(n);
  const tokens = new TokenBytes(pool.slice(0, n), Int32Array.from(offsets));
  const byteToken = new Int32Array(256);
  for (let b = 0; b < 256; b++) byteToken[b] = tokens.find(Uint8Array.of(b), 0, 1);

  // 17 bits per id, most significant bit first, ids in pairs (llama3-tokenizer-js `decompressMerges`).
  // The token a merge produces is looked up by its bytes when BPE first applies it (resolveMerge).
  const ids = Math.floor((merges.length * 8) / 17);
  const table = new MergeTable(ids / 2, sharedMerges);
  const padded = Buffer.alloc(merges.length + 3);
  merges.copy(padded);
  for (let k = 0, bit = 0; k + 1 < ids; k += 2, bit += 34) {
    const x = bit >> 3;
    const y = (bit + 17) >> 3;
    const a = (((padded[x] << 16) | (padded[x + 1] << 8) | padded[x + 2]) >> (7 - (bit & 7))) & 0x1ffff;
    const b = (((padded[y] << 16) | (padded[y + 1] << 8) | padded[y + 2]) >> (7 - ((bit + 17) & 7))) & 0x1ffff;
    table.add(a, b, k >> 1, -1);
  }
  return { tokens, merges: table, byteToken, scratch: new Uint8Array(1024) };
}

export interface Llama2Vocab {
  /** Token of each BMP character that is a token by itself; -1 when it falls back to bytes. */
  charToken: Int32Array;
  /** The same for characters outside the BMP. */
  astralToken: Map<number, number>;
  merges: MergeTable;
  /** Each token's text as code points (spaces as "▁"), for re-encoding token pairs. */
  text: string[];
}

/** SentencePiece writes a space as U+2581 "▁"; llama-tokenizer-js replaces " " with it (token 29871). */
export const SP_SPACE = 0x2581;

let llama2: Llama2Vocab | null = null;

export function llama2Vocab(): Llama2Vocab {
  if (llama2) return llama2;
  const { vocab, merges } = bakedConstants("llama-tokenizer-js");
  const text = vocab.toString("utf8").split("\n");
  const byString = new Map<string, number>();
  text.forEach((t, i) => {
    if (!byString.has(t)) byString.set(t, i);
  });
  const charToken = new Int32Array(65536).fill(-1);
  const astralToken = new Map<number, number>();
  for (const [t, i] of byString) {
    const cp = t.codePointAt(0)!;
    if (t.length === 1) charToken[cp] = i;
    else if (t.length === 2 && cp > 0xffff) astralToken.set(cp, i);
  }
  // Pairs of 16-bit little-endian ids (llama-tokenizer-js `decompressMerges`).
  const table = new MergeTable(merges.length / 4);
  for (let k = 0; k + 3 < merges.length; k += 4) {
    const a = merges[k] | (merges[k + 1] << 8);
    const b = merges[k + 2] | (merges[k + 3] << 8);
    const result = byString.get(text[a] + text[b]);
    if (result !== undefined) table.add(a, b, k >> 2, result);
  }
  llama2 = { charToken, astralToken, merges: table, text };
  return llama2;
}
