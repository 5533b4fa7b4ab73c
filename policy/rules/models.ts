/**
 * Models: the marketplace subscription and the serverless endpoints must name a Meta Llama
 * model from the supported catalog (`config/models.ts`), the only ones the stack's data
 * validation, regions and cost estimates are written for. An endpoint may instead serve a
 * model fine-tuned in one of our workspaces (`azureml://locations/.../workspaces/.../models/...`).
 */
import { findModel, META_REGISTRY, modelNames } from "../../config/models";
import { configKey, stackFile } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";
import { at, nestedProperties, show } from "./values";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `azureml://registries/azureml-meta/models/<name>`, optionally pinned to `/versions/<v>`. */
const REGISTRY_MODEL_ID = new RegExp(`^${escapeRegExp(META_REGISTRY)}/models/([^/]+)(?:/versions/[^/]+)?$`);
/** A model fine-tuned in a workspace: `azureml://locations/<loc>/workspaces/<id>/models/<name>/versions/<n>`. */
const FINE_TUNED_MODEL_ID = /^azureml:\/\/locations\/[^/]+\/workspaces\/[^/]+\/models\/[^/]+\/versions\/[^/]+$/;

/** True if the id names a catalog model in the Meta registry. */
export function isCatalogModelId(modelId: unknown): boolean {
  if (typeof modelId !== "string") return false;
  const match = REGISTRY_MODEL_ID.exec(modelId);
  return match !== null && findModel(match[1]) !== undefined;
}

export function isFineTunedModelId(modelId: unknown): boolean {
  return typeof modelId === "string" && FINE_TUNED_MODEL_ID.test(modelId);
}

export const supportedModelRule: ResourceRule = {
  kind: "resource",
  name: "supported-llama-model",
  description: "The marketplace subscription names a catalog Meta Llama model; endpoints serve a catalog model or one fine-tuned in a workspace.",
  levels: ["mandatory"],
  types: [T.marketplaceSubscription, T.serverlessEndpoint],
  check(resource: ResourceUnderTest): Finding[] {
    const properties = nestedProperties(resource.type, resource.props);
    const file = stackFile(resource.urn);
    const allowed = modelNames().join(", ");
    if (resource.type === T.marketplaceSubscription) {
      const modelId = at(properties, "modelId");
      if (isCatalogModelId(modelId)) return [];
      return [
        {
          enforcement: "mandatory",
          message:
            `Marketplace subscription "${resource.name}" names model ${show(modelId)} (properties.modelId), which is not in the supported Meta Llama catalog. ` +
            `Fix: set \`${configKey("model")}\` in ${file} to one of: ${allowed}.`,
        },
      ];
    }
    const modelId = at(properties, "modelSettings", "modelId");
    if (isCatalogModelId(modelId) || isFineTunedModelId(modelId)) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `Serverless endpoint "${resource.name}" serves model ${show(modelId)} (properties.modelSettings.modelId), which is neither a supported catalog model ` +
          `(${META_REGISTRY}/models/<name>) nor a model fine-tuned in a workspace (azureml://locations/<loc>/workspaces/<id>/models/<name>/versions/<n>). ` +
          `Fix: set \`${configKey("model")}\` in ${file} to one of: ${allowed}; or \`${configKey("fineTunedModelId")}\` to the fine-tuned model's id.`,
      },
    ];
  },
};
