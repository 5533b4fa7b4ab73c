/**
 * Exact token counts for both Llama tokenizer families, chat template included (template.ts),
 * in time linear in the text and memory bounded whatever the text: see llama3.ts, llama2.ts
 * and long-runs.ts. The vocabularies load on first use (vocab.ts), so validation that needs
 * no count never pays for them.
 */
import type { TokenizerFamily } from "../../config/models";
import type { TextCounter } from "./types";

export type { TextCounter } from "./types";
export { ExampleTokenCounter, maxTokensBound, type ChatMessage } from "./template";

const counters = new Map<TokenizerFamily, TextCounter>();

/** The counter of a tokenizer family; one per process (its caches are reused across files). */
export function textCounter(family: TokenizerFamily): TextCounter {
  let c = counters.get(family);
  if (!c) {
    // Loaded here, not at the top: the vocabularies are only decoded when a count is needed.
    /* eslint-disable @typescript-eslint/no-require-imports */
    c = family === "llama3" ? new (require("./llama3") as typeof import("./llama3")).Llama3Counter() : new (require("./llama2") as typeof import("./llama2")).Llama2Counter();
    counters.set(family, c);
  }
  return c;
}
