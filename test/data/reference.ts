/**
 * The reference tokenizers the fast counters must equal: the libraries' own `encode`.
 *
 * Both libraries break ties between equal merges with `origPos / prompt.length` added to the
 * merge priority; that equals "leftmost first" (what Hugging Face's BPE does) only while a
 * pre-token's UTF-8 length stays under twice the prompt's length, which a long run of 3-byte
 * characters can break. The Llama 3 reference therefore pads the prompt after a special token
 * (which ends every pre-token) with " a" pieces of known count, so the tie-break is the
 * leftmost one whatever the text; test "padding changes nothing on ordinary text" shows the
 * padding is neutral.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { TextCounter } from "../../data/tokens/types";
import { ReferenceCache } from "./referenceCache";

type Lib3 = { encode(text: string, options: { bos: boolean; eos: boolean }): number[] };
type Lib2 = { encode(text: string, bos?: boolean, precedingSpace?: boolean): number[] };

// Loaded on first use, not on import: each library builds its vocabulary when loaded (llama3 about
// 1.1 s, llama2 0.3 s here), and Jest loads every test file of a mutation run (`npm run mutate`), so
// an import would charge that to each mutant even when none of the file's tests is selected.
let lib3: Lib3 | undefined;
let lib2: Lib2 | undefined;
const llama3 = (): Lib3 => (lib3 ??= (require("llama3-tokenizer-js") as { default: Lib3 }).default);
const llama2 = (): Lib2 => (lib2 ??= (require("llama-tokenizer-js") as { default: Lib2 }).default);

const raw3 = (text: string): number => llama3().encode(text, { bos: false, eos: false }).length;

const padded3 = (text: string): number => {
  const pad = Math.max(1, Buffer.byteLength(text));
  return llama3().encode(`${text}<|eot_id|>${" a".repeat(pad)}`, { bos: false, eos: false }).length - 1 - pad;
};

const raw2 = (text: string): number => llama2().encode(text, false, true).length;

// Counts are remembered on disk across runs (referenceCache.ts says why), one namespace per
// library version and wrapper source; each test file writes what it computed when it ends.
const root = path.resolve(__dirname, "../..");
const version = (pkg: string): string => (JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
const cache = new ReferenceCache(path.join(root, "node_modules/.cache/llama-finetune-env/reference-counts.json"));
afterAll(() => cache.flush());
const memo = (pkg: string, fn: (text: string) => number) => {
  let namespace: string | undefined; // on first use: importing this file reads nothing
  return (text: string): number => cache.count((namespace ??= `${pkg}@${version(pkg)}:${fn.toString()}`), text, fn);
};

/** llama3-tokenizer-js, no BOS/EOS, exactly as called. */
export const llama3Raw = memo("llama3-tokenizer-js", raw3);

/** llama3-tokenizer-js with the tie-break made position-exact (see above). */
export const llama3Reference = memo("llama3-tokenizer-js", padded3);

/** llama-tokenizer-js, no BOS, with the dummy-prefix space. */
export const llama2Reference = memo("llama-tokenizer-js", raw2);

export const reference = { llama3: llama3Reference, llama2: llama2Reference } as const;

/**
 * The texts `counter` counts differently from its family's reference, counted in order by that one
 * counter (so its caches carry over from text to text), each as `"text…(length)": got, reference want`.
 */
export function mismatches(counter: TextCounter, texts: readonly string[]): string[] {
  const wrong: string[] = [];
  for (const t of texts) {
    const got = counter.count(t);
    const want = reference[counter.family](t);
    if (got !== want) wrong.push(`${JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…(${t.length})` : t)}: ${got}, reference ${want}`);
  }
  return wrong;
}
