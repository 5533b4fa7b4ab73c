/**
 * The Meta Llama models that Azure AI Foundry can fine-tune "as a service" (serverless, billed per
 * token), the Meta models that were retired, and the lookups the schema, the policy pack and the
 * data validator share. Pure data and functions: no Pulumi resources, no I/O, no clock (callers
 * pass the day, so the catalog ages correctly and tests can move time).
 *
 * Sources (Microsoft Learn, read from MicrosoftDocs/azure-ai-docs; facts change, so each fact says
 * where it came from). The Llama fine-tuning page (articles/ai-studio/how-to/fine-tune-model-llama.md)
 * no longer exists: it redirects to the serverless fine-tuning page, and the facts it held moved to
 * the pages below.
 * - REGIONS: "Region availability for models in serverless APIs", table "Meta Llama models"
 *   (articles/ai-foundry/includes/region-availability-maas.md, ms.date 11/24/2025, included by
 *   articles/ai-foundry/how-to/deploy-models-serverless-availability.md). Its row
 *   "Llama 3.1 8B Instruct / Llama-3.2-11B-Vision-Instruct / Llama-3.2-90B-Vision-Instruct /
 *   Llama 3.3 70B Instruct" has "Hub/Project Region for Fine tuning: West US 3"; every other Meta row
 *   (Llama 3.1 405B, Llama 3.2 1B/3B, Llama Guard) says "Not available". The page excludes deprecated
 *   and legacy models. Note: the same table also lists "Llama-3.3-70B-Instruct" in a "Not available"
 *   row; the fine-tuning row names it explicitly and LIFECYCLE names it as the replacement for the
 *   retired 70B models, so it is in the catalog (revisit if Learn removes it from the fine-tuning row).
 * - LIFECYCLE: "Model deprecation and retirement for Microsoft Foundry Models"
 *   (articles/ai-foundry/concepts/model-lifecycle-retirement.md, ms.date 02/03/2026), "Retired Foundry
 *   Models" > Meta: nine Meta models retired on June 30, 2025, each with a suggested replacement. The
 *   05/05/2025 version of the page gives their legacy date (February 28, 2025) and deprecation date
 *   (March 31, 2025). No Meta model is listed under "Upcoming retirements". Stages take effect at
 *   00:00:00 UTC on the date; a deprecated model takes no new deployments, a retired one none at all.
 * - FT: "Fine-tune models by using serverless API deployments in Microsoft Foundry"
 *   (articles/ai-foundry/how-to/fine-tune-serverless.md, ms.date 01/28/2026): data formats per task
 *   ("Chat completion": {"messages": [...]} lines; "Text generation": {"prompt","completion"} lines),
 *   and it defers the list of models and regions to REGIONS.
 * - MODALITIES: "Fine-tune models with Azure AI Foundry" (articles/ai-foundry/concepts/fine-tuning-overview.md,
 *   ms.date 05/14/2025), "Training Modalities": "Text-to-Text (All Models)"; "Vision + Text (GPT 4o, 4.1)".
 * - AUTH: see SERVERLESS_AUTH below.
 * - Sequence length: Learn gives none for these models. The retired Llama page only said "At this time
 *   we are not able to do fine-tuning for Llama 3.1 with sequence length of 128K". 8,192 (Llama 3's
 *   original context length) is this project's conservative assumption for the longest example.
 */

/** What the model is trained to do, which decides the training-data format. */
export type TaskType = "chat-completion" | "text-generation";

/** Which tokenizer counts the model's tokens (Llama 3.1, 3.2 and 3.3 share Llama 3's tokenizer). */
export type TokenizerFamily = "llama2" | "llama3";

export type ModelFamily = "llama-2" | "llama-3.1" | "llama-3.2" | "llama-3.3";

/** `properties.authMode` values of a serverless endpoint that the catalog may record. */
export type ServerlessAuthMode = "Key" | "AAD";

export interface ModelLifecycle {
  /** YYYY-MM-DD (UTC) from which the model takes no new deployments. */
  readonly deprecationDate?: string;
  /** YYYY-MM-DD (UTC) from which the model can no longer be used at all. */
  readonly retirementDate?: string;
  /** The suggested replacement models, once Learn names them. */
  readonly replacements?: readonly string[];
  /** Where the dates come from. */
  readonly source?: string;
}

/**
 * Whether image content parts may appear in training examples, for the data validator. No Meta
 * model has `accepted: true` today: MODALITIES documents image training data only for Azure OpenAI.
 */
export type TrainingImages =
  | { readonly accepted: false; readonly reason: string; readonly source: string }
  | { readonly accepted: true; readonly maxImagesPerExample: number; readonly maxImageBytes: number; readonly formats: readonly string[]; readonly source: string };

export interface LlamaModel {
  /** The model's name in the `azureml-meta` registry, e.g. `Meta-Llama-3.1-8B-Instruct`. */
  readonly name: string;
  readonly family: ModelFamily;
  /** chat-completion models take `{"messages": [...]}` lines; text-generation takes `{"prompt","completion"}`. */
  readonly task: TaskType;
  readonly tokenizer: TokenizerFamily;
  /** Longest training example, in tokens (chat template included), that fine-tuning accepts. */
  readonly maxSequenceLength: number;
  /** Azure locations (ARM names, e.g. `westus3`) whose projects can fine-tune this model. */
  readonly fineTuningRegions: readonly string[];
  readonly lifecycle: ModelLifecycle;
  /** The endpoint auth modes Learn documents for a serverless endpoint of this model. */
  readonly serverlessAuthModes: readonly ServerlessAuthMode[];
  /** What the model reads at inference; Llama 3.2 Vision also reads images. */
  readonly inputModalities: readonly ("text" | "image")[];
  readonly trainingImages: TrainingImages;
  /** Where the facts above were taken from. */
  readonly sources: readonly string[];
}

/** A Meta model that Azure retired: refused by name, with its date and what to use instead. */
export interface RetiredModel {
  readonly name: string;
  readonly retirementDate: string;
  readonly deprecationDate?: string;
  readonly replacements: readonly string[];
  readonly source: string;
}

/** The registry that holds Meta's models; Microsoft's own (`azureml`) need no marketplace subscription. */
export const META_REGISTRY = "azureml://registries/azureml-meta";

const LEARN = "https://learn.microsoft.com/azure/ai-foundry";
const REGIONS = `${LEARN}/how-to/deploy-models-serverless-availability (azure-ai-docs articles/ai-foundry/includes/region-availability-maas.md, 11/24/2025)`;
const LIFECYCLE = `${LEARN}/concepts/model-lifecycle-retirement (azure-ai-docs articles/ai-foundry/concepts/model-lifecycle-retirement.md, 02/03/2026)`;
const FT = `${LEARN}/how-to/fine-tune-serverless (azure-ai-docs articles/ai-foundry/how-to/fine-tune-serverless.md, 01/28/2026)`;
const MODALITIES = `${LEARN}/concepts/fine-tuning-overview (azure-ai-docs articles/ai-foundry/concepts/fine-tuning-overview.md, 05/14/2025)`;
/**
 * Serverless endpoints of these models take keys only, as far as Learn says:
 * - articles/ai-foundry/how-to/deploy-models-serverless.md (06/13/2025): "The created endpoint uses key
 *   authentication for authorization";
 * - articles/ai-foundry/how-to/deploy-models-llama.md (03/04/2025): "Currently, serverless API endpoints do
 *   not support using Microsoft Entra ID for authentication."
 * The REST spec is wider: Microsoft.MachineLearningServices stable 2025-12-01 (the version azure-native
 * 3.28 uses for ServerlessEndpoint) types `ServerlessEndpointProperties.authMode` as
 * 'AAD' | 'Key' | 'KeyAndAAD' (Azure/bicep-types-az generated/machinelearningservices/.../2025-12-01/types.md),
 * while its ServerlessEndpoint/createOrUpdate.json example uses "Key". An enum value is not a promise
 * that the service accepts it for a Marketplace model, so the catalog records what Learn documents.
 */
const SERVERLESS_AUTH = `${LEARN}/how-to/deploy-models-serverless (azure-ai-docs articles/ai-foundry/how-to/deploy-models-serverless.md, 06/13/2025)`;

/** Every Meta model fine-tunable as a service is fine-tuned in West US 3 projects (REGIONS). */
const FT_REGIONS = ["westus3"] as const;

const TEXT_ONLY: TrainingImages = { accepted: false, reason: "the model reads text only", source: MODALITIES };
const VISION_TEXT_ONLY_TRAINING: TrainingImages = {
  accepted: false,
  reason:
    "Learn documents serverless fine-tuning of this model (West US 3) but image training data only for Azure OpenAI gpt-4o and gpt-4.1; " +
    "its fine-tuning data is text-only as far as Microsoft documents",
  source: MODALITIES,
};

function llama3x(name: string, family: "llama-3.1" | "llama-3.2" | "llama-3.3", vision = false): LlamaModel {
  return {
    name,
    family,
    // Instruct models are fine-tuned on the "Chat completion" format (FT); Learn lists no text-generation Llama today.
    task: "chat-completion",
    tokenizer: "llama3",
    // Learn gives no figure; 8,192 is an assumption kept conservative on purpose (see the header).
    maxSequenceLength: 8192,
    fineTuningRegions: FT_REGIONS,
    // LIFECYCLE lists no deprecation or retirement for these models.
    lifecycle: { source: LIFECYCLE },
    serverlessAuthModes: ["Key"],
    inputModalities: vision ? ["text", "image"] : ["text"],
    trainingImages: vision ? VISION_TEXT_ONLY_TRAINING : TEXT_ONLY,
    sources: [REGIONS, LIFECYCLE, FT, SERVERLESS_AUTH],
  };
}

export const MODEL_CATALOG: readonly LlamaModel[] = [
  llama3x("Meta-Llama-3.1-8B-Instruct", "llama-3.1"),
  llama3x("Llama-3.3-70B-Instruct", "llama-3.3"),
  llama3x("Llama-3.2-11B-Vision-Instruct", "llama-3.2", true),
  llama3x("Llama-3.2-90B-Vision-Instruct", "llama-3.2", true),
];

/** LIFECYCLE, "Retired Foundry Models" > Meta (legacy 2025-02-28, deprecated 2025-03-31 per its 05/05/2025 version). */
function retired(name: string, replacement: string): RetiredModel {
  return { name, deprecationDate: "2025-03-31", retirementDate: "2025-06-30", replacements: [replacement], source: LIFECYCLE };
}

export const RETIRED_MODELS: readonly RetiredModel[] = [
  retired("Llama-2-7b", "Meta-Llama-3.1-8B-Instruct"),
  retired("Llama-2-7b-chat", "Meta-Llama-3.1-8B-Instruct"),
  retired("Llama-2-13b", "Meta-Llama-3.1-8B-Instruct"),
  retired("Llama-2-13b-chat", "Meta-Llama-3.1-8B-Instruct"),
  retired("Llama-2-70b", "Llama-3.3-70B-Instruct"),
  retired("Llama-2-70b-chat", "Llama-3.3-70B-Instruct"),
  retired("Meta-Llama-3-8B-Instruct", "Meta-Llama-3.1-8B-Instruct"),
  retired("Meta-Llama-3-70B-Instruct", "Llama-3.3-70B-Instruct"),
  retired("Meta-Llama-3.1-70B-Instruct", "Llama-3.3-70B-Instruct"),
];

/** The catalog a lookup consults; tests pass their own to exercise dates that no real model has yet. */
export interface ModelCatalog {
  readonly models: readonly LlamaModel[];
  readonly retired: readonly RetiredModel[];
}

export const CATALOG: ModelCatalog = { models: MODEL_CATALOG, retired: RETIRED_MODELS };

/** The chat model used when none is named (the validator's `--model` default, the stack's default). */
export const DEFAULT_MODEL_NAME = "Meta-Llama-3.1-8B-Instruct";

export function modelNames(catalog: ModelCatalog = CATALOG): string[] {
  return catalog.models.map((m) => m.name);
}

/** Finds a catalog model by its exact registry name (whatever its lifecycle stage). */
export function findModel(name: string, catalog: ModelCatalog = CATALOG): LlamaModel | undefined {
  return catalog.models.find((m) => m.name === name);
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

export type ModelLookup = { kind: "available"; model: LlamaModel } | { kind: "retired"; retired: RetiredModel } | { kind: "unknown" };

/** Exact registry-name lookup: a catalog model, a retired Meta model, or neither. */
export function lookupModel(name: string, catalog: ModelCatalog = CATALOG): ModelLookup {
  const model = findModel(name, catalog);
  if (model) return { kind: "available", model };
  const gone = catalog.retired.find((r) => r.name === name);
  return gone ? { kind: "retired", retired: gone } : { kind: "unknown" };
}

/** The UTC calendar day of `day`, as YYYY-MM-DD (lifecycle stages start at 00:00:00 UTC). */
export function utcDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** A catalog model's stage on `day`; one whose retirement date has passed counts as retired. */
export function modelStatusOn(model: LlamaModel, day: Date): "active" | "deprecated" | "retired" {
  const today = utcDay(day);
  const { deprecationDate, retirementDate } = model.lifecycle;
  if (retirementDate !== undefined && retirementDate <= today) return "retired";
  if (deprecationDate !== undefined && deprecationDate <= today) return "deprecated";
  return "active";
}

/** A catalog model that has reached its retirement date, described like the retired list. */
export function asRetired(model: LlamaModel): RetiredModel {
  return {
    name: model.name,
    retirementDate: model.lifecycle.retirementDate ?? "",
    deprecationDate: model.lifecycle.deprecationDate,
    replacements: model.lifecycle.replacements ?? [],
    source: model.lifecycle.source ?? model.sources[0] ?? "",
  };
}

/** The names a stack may choose on `day`: catalog models not yet retired. */
export function availableModelNames(day: Date, catalog: ModelCatalog = CATALOG): string[] {
  return catalog.models.filter((m) => modelStatusOn(m, day) !== "retired").map((m) => m.name);
}

/** Every region where some catalog model can be fine-tuned (for checking `location` when the model is unusable). */
export function allFineTuningRegions(catalog: ModelCatalog = CATALOG): string[] {
  return [...new Set(catalog.models.flatMap((m) => m.fineTuningRegions))].sort();
}

/** `Llama-2-7b was retired on 2025-06-30; use Meta-Llama-3.1-8B-Instruct instead (source: ...)`. */
export function describeRetirement(r: RetiredModel): string {
  const use = r.replacements.length > 0 ? `; use ${r.replacements.join(" or ")} instead` : "";
  return `${r.name} was retired on ${r.retirementDate} and can no longer be fine-tuned or deployed${use} (source: ${r.source})`;
}

/** Lowercase, without a leading "meta" and without separators: `meta-llama-3.1-8b-instruct` ~ `Llama-3.1-8B-Instruct`. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "").replace(/^meta/, "");
}

/** Registry names (catalog or retired) that `name` probably meant: same letters, other case or separators. */
export function suggestModelNames(name: string, catalog: ModelCatalog = CATALOG): string[] {
  const key = normalize(name);
  if (key === "") return [];
  return [...catalog.models.map((m) => m.name), ...catalog.retired.map((r) => r.name)].filter((n) => n !== name && normalize(n) === key);
}

/** The key in `Pulumi.<stack>.yaml` that names the model. */
const MODEL_KEY = "llama-finetune-env:model";

/**
 * Warnings for a model that is still accepted but on its way out: a deprecated model keeps existing
 * deployments working until its retirement date, but Azure refuses new deployments of it (LIFECYCLE).
 */
export function modelWarnings(config: { readonly model: LlamaModel }, today: Date): string[] {
  const model = config.model;
  if (modelStatusOn(model, today) !== "deprecated") return [];
  const { deprecationDate, retirementDate, replacements } = model.lifecycle;
  const retires = retirementDate ? `, and retires on ${retirementDate}` : "";
  const move = replacements && replacements.length > 0 ? `; move ${MODEL_KEY} to ${replacements.join(" or ")}` : "";
  return [
    `model ${model.name} (${MODEL_KEY}) is deprecated since ${deprecationDate}: existing endpoints keep working but Azure refuses new deployments${retires}${move} (source: ${model.lifecycle.source ?? model.sources[0] ?? "config/models.ts"})`,
  ];
}
