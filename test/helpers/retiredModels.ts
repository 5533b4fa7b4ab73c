/**
 * Test-only stand-ins for models Azure retired on 2025-06-30 (config/models.ts RETIRED_MODELS).
 *
 * The data gate still implements the prompt/completion (text-generation) format, but no model in
 * the catalog uses it since the Llama 2 base models were retired, and ../shared/datasets/expected.json
 * still names Llama-2-7b, Llama-2-13b and Meta-Llama-3.1-70B-Instruct. These objects carry the facts
 * those models had in the catalog before their retirement, so the data tests keep exercising both
 * formats; the stack, the schema and the policy pack refuse these names.
 */
import { defaultModel, findModel, type LlamaModel } from "../../config/models";

function llama2(name: string): LlamaModel {
  return {
    ...defaultModel(),
    name,
    family: "llama-2",
    task: "text-generation",
    tokenizer: "llama2",
    // Meta's Llama 2 model card: 4,096-token context.
    maxSequenceLength: 4096,
    lifecycle: { deprecationDate: "2025-03-31", retirementDate: "2025-06-30", replacements: ["Meta-Llama-3.1-8B-Instruct"] },
    inputModalities: ["text"],
  };
}

export const RETIRED_MODEL_FIXTURES: Readonly<Record<string, LlamaModel>> = {
  "Llama-2-7b": llama2("Llama-2-7b"),
  "Llama-2-13b": llama2("Llama-2-13b"),
  "Meta-Llama-3.1-70B-Instruct": {
    ...defaultModel(),
    name: "Meta-Llama-3.1-70B-Instruct",
    lifecycle: { deprecationDate: "2025-03-31", retirementDate: "2025-06-30", replacements: ["Llama-3.3-70B-Instruct"] },
  },
};

/** A text-generation model for tests of the prompt/completion format. */
export const TEXT_GENERATION_MODEL: LlamaModel = RETIRED_MODEL_FIXTURES["Llama-2-7b"];

/** The catalog model of that name, or the stand-in for a retired one. */
export function modelForDataTests(name: string): LlamaModel | undefined {
  return findModel(name) ?? RETIRED_MODEL_FIXTURES[name];
}
