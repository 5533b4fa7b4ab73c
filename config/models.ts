/**
 * The Meta Llama models that Azure AI Studio / AI Foundry can fine-tune "as a service"
 * (serverless, billed per token), with the facts the stack and the data validator need about each.
 *
 * Sources (Microsoft Learn; facts change, so each entry says where it came from):
 * - FT:   "Fine-tune Meta Llama models in Azure AI Foundry portal" (formerly "... in Azure AI Studio")
 *         https://learn.microsoft.com/azure/ai-studio/how-to/fine-tune-model-llama
 *         (source: MicrosoftDocs/azure-ai-docs, articles/ai-studio/how-to/fine-tune-model-llama.md,
 *         ms.date 12/16/2024; the 05/02/2024 version in MicrosoftDocs/azure-docs says the same for Llama 2).
 *         - Llama 3.1 tab: `Meta-Llama-3.1-70B-Instruct` and `Meta-LLama-3.1-8b-Instruct` (sic; the registry
 *           name is Meta-Llama-3.1-8B-Instruct), chat-completion data ({"messages": [...]}); "Fine-tuning of
 *           Llama 3.1 models is currently supported in projects located in West US 3"; "At this time we are
 *           not able to do fine-tuning for Llama 3.1 with sequence length of 128K."
 *         - Llama 2 tab: only the base models `Llama-2-70b`, `Llama-2-13b`, `Llama-2-7b`, with text-generation
 *           data ({"prompt", "completion"} per line); West US 3 only. The -chat variants are NOT listed for
 *           fine-tuning (they are deployable, not fine-tunable), so they are not in this catalog.
 *         - The page documents no maximum tokens per example, no minimum number of examples and no file size.
 * - DEPLOY: "How to use the Meta Llama family of models with Azure Machine Learning studio"
 *         https://learn.microsoft.com/azure/machine-learning/how-to-deploy-models-llama
 *         Serverless API deployment of Llama 3.x: East US, East US 2, North Central US,
 *         South Central US, West US, West US 3, Sweden Central (deployment, not fine-tuning).
 * - Sequence lengths are not on Learn: Llama 2's 4,096-token context comes from Meta's Llama 2 model
 *   card; for Llama 3.1 Learn only rules out 128K, and 8,192 (Llama 3's original context length) is
 *   this project's conservative assumption for the longest example, to be revised if Microsoft
 *   documents the limit.
 *
 * This module is pure data and lookups: no Pulumi resources, no I/O.
 */

/** What the model is trained to do, which decides the training-data format. */
export type TaskType = "chat-completion" | "text-generation";

/** Which tokenizer counts the model's tokens. */
export type TokenizerFamily = "llama2" | "llama3";

export interface LlamaModel {
  /** The model's name in the `azureml-meta` registry, e.g. `Meta-Llama-3.1-8B-Instruct`. */
  readonly name: string;
  readonly family: "llama-2" | "llama-3.1";
  /** chat-completion models take `{"messages": [...]}` lines; text-generation takes `{"prompt","completion"}`. */
  readonly task: TaskType;
  readonly tokenizer: TokenizerFamily;
  /** Longest training example, in tokens (chat template included), that fine-tuning accepts. */
  readonly maxSequenceLength: number;
  /** Azure locations (ARM names, e.g. `westus3`) whose projects can fine-tune this model. */
  readonly fineTuningRegions: readonly string[];
  /** Where the facts above were taken from. */
  readonly sources: readonly string[];
}

/** The registry that holds Meta's models; Microsoft's own (`azureml`) need no marketplace subscription. */
export const META_REGISTRY = "azureml://registries/azureml-meta";

const FT_PAGE = "https://learn.microsoft.com/azure/ai-studio/how-to/fine-tune-model-llama";
const DEPLOY_PAGE = "https://learn.microsoft.com/azure/machine-learning/how-to-deploy-models-llama";

/** Llama 2 models are fine-tuned in West US 3 projects/hubs only (FT page, Llama 2 tab). */
const LLAMA2_FT_REGIONS = ["westus3"] as const;
/** Llama 3.1 fine-tuning: projects located in West US 3 (FT page, Llama 3.1 tab). */
const LLAMA31_FT_REGIONS = ["westus3"] as const;

function llama2(name: string, task: TaskType): LlamaModel {
  return {
    name,
    family: "llama-2",
    task,
    tokenizer: "llama2",
    // Llama 2 has a 4,096-token context window (Meta's Llama 2 model card, not Learn); fine-tuning cannot exceed it.
    maxSequenceLength: 4096,
    fineTuningRegions: LLAMA2_FT_REGIONS,
    sources: [FT_PAGE],
  };
}

function llama31(name: string): LlamaModel {
  return {
    name,
    family: "llama-3.1",
    task: "chat-completion",
    tokenizer: "llama3",
    // FT page: fine-tuning is not offered with the 128K sequence length, and no other figure is given.
    // 8,192 (Llama 3's original context) is an assumption, kept conservative on purpose.
    maxSequenceLength: 8192,
    fineTuningRegions: LLAMA31_FT_REGIONS,
    sources: [FT_PAGE, DEPLOY_PAGE],
  };
}

export const MODEL_CATALOG: readonly LlamaModel[] = [
  llama31("Meta-Llama-3.1-8B-Instruct"),
  llama31("Meta-Llama-3.1-70B-Instruct"),
  // FT page, Llama 2 tab: only the base (text-generation) models are fine-tunable as a service.
  llama2("Llama-2-7b", "text-generation"),
  llama2("Llama-2-13b", "text-generation"),
  llama2("Llama-2-70b", "text-generation"),
];

/** The chat model used when none is named (the validator's `--model` default, the stack's default). */
export const DEFAULT_MODEL_NAME = "Meta-Llama-3.1-8B-Instruct";

export function modelNames(): string[] {
  return MODEL_CATALOG.map((m) => m.name);
}

/** Finds a model by its exact registry name. */
export function findModel(name: string): LlamaModel | undefined {
  return MODEL_CATALOG.find((m) => m.name === name);
}

export function defaultModel(): LlamaModel {
  const model = findModel(DEFAULT_MODEL_NAME);
  if (!model) throw new Error(`catalog is missing its default model ${DEFAULT_MODEL_NAME}`);
  return model;
}

/** The model's id in the registry form that marketplace subscriptions and endpoints take. */
export function registryModelId(model: LlamaModel): string {
  return `${META_REGISTRY}/models/${model.name}`;
}
