/**
 * The service's rules for training data, with where each one is written down.
 *
 * What Microsoft Learn documents for fine-tuning Meta Llama models as a service
 * ("Fine-tune Meta Llama models in Azure AI Foundry portal", FT_LLAMA_PAGE; source file
 * MicrosoftDocs/azure-ai-docs articles/ai-studio/how-to/fine-tune-model-llama.md, ms.date 12/16/2024):
 * - training and validation data "must be formatted as a JSON Lines (JSONL) document";
 *   "The supported file type is JSON Lines";
 * - chat-completion models (Meta-Llama-3.1-8B/70B-Instruct): the conversational format of the
 *   Chat completions API, `{"messages": [{"role": "system"|"user"|"assistant", "content": ...}]}`;
 * - text-generation models (Llama-2-7b/13b/70b): "each line represents a single prompt-completion
 *   pair", `{"prompt": "<prompt text>", "completion": "<ideal generated text>"}`;
 * - Llama 3.1 cannot be fine-tuned with the 128K sequence length;
 * - batch size -1 means 0.2% of the training examples, at most 256.
 *
 * What it does NOT document: a minimum number of examples, a maximum file size, or a maximum
 * number of tokens per example. So "too few examples" is a warning here (its threshold is
 * quality advice, see RECOMMENDED_MIN_EXAMPLES), and the per-example length limit is the
 * model's sequence length from config/models.ts (an error: the trainer would cut the example,
 * which trains the model on a conversation without its answer).
 */

export const FT_LLAMA_PAGE = "https://learn.microsoft.com/azure/ai-studio/how-to/fine-tune-model-llama";

/**
 * Azure OpenAI's fine-tuning guide, the closest guidance Learn gives (the Llama page has none):
 * "Fine-tuning jobs won't proceed without at least 10 training examples ... We recommend that you
 * start with 50 well-crafted examples"; files "must be encoded in UTF-8 and include a byte-order
 * mark (BOM)" and be "less than 512 MB". Those are Azure OpenAI's limits, not documented for
 * Llama, so the validator only uses them as advice (warnings), never as errors.
 */
export const AOAI_FT_PAGE = "https://learn.microsoft.com/azure/ai-services/openai/how-to/fine-tuning";

/** Azure OpenAI refuses fewer training examples than this (AOAI_FT_PAGE); for Llama it is advice. */
export const AOAI_MIN_EXAMPLES = 10;

/** Below this many training examples the validator warns: Learn recommends starting with 50 (AOAI_FT_PAGE). */
export const RECOMMENDED_MIN_EXAMPLES = 50;

/**
 * A line longer than this is refused without being held in memory: no example near the models'
 * sequence lengths (8K tokens, roughly 40 KB of text) comes anywhere close, so such a line is a
 * broken file (e.g. a missing newline between millions of records), and refusing it keeps
 * memory flat.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Roles of the Chat completions format. */
export const CHAT_ROLES = ["system", "user", "assistant"] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];
