/**
 * Tokens of one training example as the model sees it: the chat template's special tokens and
 * headers, or BOS/EOS around prompt + completion.
 */
import { isSpace } from "./chars";
import type { TextCounter } from "./types";

/** Messages at least this long are remembered whole (a dataset's system prompt repeats on every line). */
const REPEAT_MIN_CHARS = 64;
/** Bounds of that memory: entries, and characters held. */
const REPEAT_ENTRIES = 1024;
const REPEAT_CHARS = 4 << 20;

/**
 * An upper bound on an example's tokens from its size alone, so the length limit can be checked
 * without counting (and without loading a vocabulary) for every example that cannot reach it.
 * Every token covers at least one byte of text (Llama 3 is byte-level; Llama 2 falls back to
 * bytes, and its dummy-prefix space adds one per text), the content is part of the line, and
 * the templates add fewer than 100 tokens per example and 50 per message (the Llama 3.1 system
 * block is 26, each header 5; BOS and EOS around a prompt/completion example 2).
 */
export function maxTokensBound(lineBytes: number, messages: number): number {
  return lineBytes + 100 + 50 * messages;
}

/** A content part of a vision model's message (data/formats/content-parts.ts). */
export type ContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface ChatMessage {
  role: string;
  content: string | readonly ContentPart[];
}

/**
 * Tokens of one training example as the model sees it: the chat template's special tokens and
 * headers, or BOS/EOS around prompt + completion.
 *
 * The service does not publish its templates; these are the models' own templates from Meta
 * (the `chat_template` of each model's tokenizer_config.json), which is what fine-tuning
 * pipelines apply:
 * - Llama 3.1: `<|begin_of_text|>`, then a system header that is always present and starts with
 *   "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n", then for each message
 *   `<|start_header_id|>{role}<|end_header_id|>\n\n{content.trim()}<|eot_id|>`.
 */
export class ExampleTokenCounter {
  /** Tokens of the fixed part of the Llama 3.1 system block: 3 specials + "system" + "\n\n" + date lines. */
  private readonly llama3SystemFixed: number;

  constructor(private readonly text: TextCounter) {
    this.llama3SystemFixed = text.family === "llama3" ? 5 + text.count("Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n") : 0;
  }

  /**
   * Messages seen recently, by length: the same text again (compared whole, so never a wrong
   * count) costs a string comparison instead of a count.
   */
  private readonly recent = new Map<number, { text: string; count: number }>();
  private recentChars = 0;

  /** Tokens of `s.trim()` (the templates trim every message), without copying the string. */
  private trimmed(s: string): number {
    if (s.length >= REPEAT_MIN_CHARS) {
      const seen = this.recent.get(s.length);
      if (seen !== undefined && seen.text === s) return seen.count;
      const count = this.countTrimmed(s);
      if (this.recent.size >= REPEAT_ENTRIES || this.recentChars + s.length > REPEAT_CHARS) {
        this.recent.clear();
        this.recentChars = 0;
      }
      if (s.length <= REPEAT_CHARS) {
        this.recentChars += s.length - (seen?.text.length ?? 0);
        this.recent.set(s.length, { text: s, count });
      }
      return count;
    }
    return this.countTrimmed(s);
  }

  private countTrimmed(s: string): number {
    let start = 0;
    let end = s.length;
    while (start < end && isSpace(s.charCodeAt(start))) start++;
    while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
    return this.text.count(s, start, end);
  }

  /**
   * Tokens of a chat example. Every chat-completion model of the catalog (config/models.ts) uses
   * the Llama 3 tokenizer, and the Llama 2 models are retired (2025-06-30), so there is no
   * Llama 2 chat template to apply.
   */
  chat(messages: readonly ChatMessage[]): number {
    if (this.text.family !== "llama3") throw new Error(`no chat template for the ${this.text.family} tokenizer: only Llama 3 models take chat data; choose a Llama 3 model for chat examples, or give this model prompt/completion examples`);
    return this.llama3Chat(messages);
  }

  /** BOS + prompt + completion + EOS (the completion is what the model learns to continue with). */
  completion(prompt: string, completion: string): number {
    return 2 + this.text.count(prompt + completion);
  }

  private llama3Chat(messages: readonly ChatMessage[]): number {
    // <|begin_of_text|> + the system block (always emitted by the 3.1 template).
    let n = 1 + this.llama3SystemFixed;
    for (const m of messages) {
      // Each header is <|start_header_id|> role <|end_header_id|> "\n\n", closed by <|eot_id|>: 5 tokens
      // (each role name is one token). The system message's header is already counted above.
      if (m.role !== "system") n += 5;
      if (typeof m.content === "string") n += this.trimmed(m.content);
      else {
        // Llama 3.2 Vision's template: each text part trimmed, each image one <|image|> token.
        for (const part of m.content) n += part.type === "text" ? this.countTrimmed(part.text) : 1;
      }
    }
    return n;
  }
}
