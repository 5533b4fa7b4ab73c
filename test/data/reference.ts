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
import llama3 from "llama3-tokenizer-js";
import llama2 from "llama-tokenizer-js";

const lib3 = llama3 as unknown as { encode(text: string, options: { bos: boolean; eos: boolean }): number[] };
const lib2 = llama2 as unknown as { encode(text: string, bos?: boolean, precedingSpace?: boolean): number[] };

/** llama3-tokenizer-js, no BOS/EOS, exactly as called. */
export function llama3Raw(text: string): number {
  return lib3.encode(text, { bos: false, eos: false }).length;
}

/** llama3-tokenizer-js with the tie-break made position-exact (see above). */
export function llama3Reference(text: string): number {
  const pad = Math.max(1, Buffer.byteLength(text));
  return lib3.encode(`${text}<|eot_id|>${" a".repeat(pad)}`, { bos: false, eos: false }).length - 1 - pad;
}

/** llama-tokenizer-js, no BOS, with the dummy-prefix space. */
export function llama2Reference(text: string): number {
  return lib2.encode(text, false, true).length;
}

export const reference = { llama3: llama3Reference, llama2: llama2Reference } as const;
