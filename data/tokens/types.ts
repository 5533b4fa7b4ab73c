import type { TokenizerFamily } from "../../config/models";

/** Counts the tokens of plain text (no BOS/EOS) for one tokenizer. */
export interface TextCounter {
  readonly family: TokenizerFamily;
  /** Tokens of text[start, end) (the whole string by default). */
  count(text: string, start?: number, end?: number): number;
}
