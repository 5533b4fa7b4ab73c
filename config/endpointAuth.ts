/**
 * How the stack's serverless endpoints authenticate callers: Microsoft Entra ID (`AAD`, no key
 * exists to leak) wherever the model catalog says the model's serverless endpoints accept it, a
 * key otherwise, or a key when the stack asks for one.
 *
 * Sources (recorded per model in config/models.ts `serverlessAuthModes`): Learn documents key
 * authentication only for serverless Llama endpoints ("The created endpoint uses key
 * authentication", azure-ai-docs articles/ai-foundry/how-to/deploy-models-serverless.md;
 * "serverless API endpoints do not support using Microsoft Entra ID for authentication",
 * articles/ai-foundry/how-to/deploy-models-llama.md), while the REST spec
 * (Microsoft.MachineLearningServices stable 2025-12-01, ServerlessEndpointProperties.authMode)
 * types the property as 'AAD' | 'Key' | 'KeyAndAAD'. An enum value is no promise that the service
 * accepts it for a Marketplace model, so `AAD` is used only where the catalog records it.
 */
import type { LlamaModel, ServerlessAuthMode } from "./models";

export const ENDPOINT_AUTH_CHOICES = ["AAD", "Key"] as const;
export type EndpointAuthChoice = (typeof ENDPOINT_AUTH_CHOICES)[number];

/** The catalog source that documents the model's serverless endpoint auth (config/models.ts SERVERLESS_AUTH). */
const authSource = (model: LlamaModel) => model.sources.find((s) => /how-to\/deploy-models-serverless[ (]/.test(s)) ?? "config/models.ts serverlessAuthModes";

export interface EndpointAuth {
  mode: ServerlessAuthMode;
  /** Why this mode, for the plan (names the source when Entra ID is not available). */
  reason: string;
}

/** The auth mode for `model`'s endpoints; `requested` is `endpointAuth` from the stack config. Throws nothing: see `endpointAuthProblem`. */
export function endpointAuthFor(model: LlamaModel, requested?: EndpointAuthChoice): EndpointAuth {
  const source = authSource(model);
  if (requested === "Key") return { mode: "Key", reason: "llama-finetune-env:endpointAuth is \"Key\"" };
  if (model.serverlessAuthModes.includes("AAD")) return { mode: "AAD", reason: `the catalog records Microsoft Entra ID for ${model.name}'s serverless endpoints` };
  return {
    mode: "Key",
    reason: `Microsoft Entra ID is not documented for ${model.name}'s serverless endpoints (${source}), so they use a key, exported only as a Pulumi secret`,
  };
}

/** A problem when the stack asks for Entra ID on a model whose endpoints take keys only, else undefined. */
export function endpointAuthProblem(model: LlamaModel, requested?: EndpointAuthChoice): string | undefined {
  if (requested !== "AAD" || model.serverlessAuthModes.includes("AAD")) return undefined;
  return (
    `llama-finetune-env:endpointAuth: "AAD" is not available for ${model.name}: Learn documents only key authentication for its serverless endpoints ` +
    `(${authSource(model)}). Leave endpointAuth unset (the stack picks Entra ID wherever the catalog records it) or set "Key"`
  );
}
