/**
 * Models: the marketplace subscription and the serverless endpoints must name a Meta Llama
 * model from the supported catalog (`config/models.ts`), the only ones the stack's data
 * validation, regions and cost estimates are written for. An endpoint may instead serve a
 * model fine-tuned in one of our workspaces (`azureml://locations/.../workspaces/.../models/...`).
 *
 * A retired model (Learn's "Retired Foundry Models" list, or a catalog model whose retirement
 * date has passed) is refused by name with its retirement date and replacements: Azure answers
 * requests to a retired model with 404s (model-lifecycle-retirement.md), so the sooner the better.
 */
import {
  asRetired,
  availableModelNames,
  CATALOG,
  lookupModel,
  META_REGISTRY,
  modelStatusOn,
  describeRetirement,
  type ModelCatalog,
  type RetiredModel,
} from "../../config/models";
import { configKey, stackFile } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";
import { at, nestedProperties, show } from "./values";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `azureml://registries/azureml-meta/models/<name>`, optionally pinned to `/versions/<v>`. */
const REGISTRY_MODEL_ID = new RegExp(`^${escapeRegExp(META_REGISTRY)}/models/([^/]+)(?:/versions/[^/]+)?$`);
/** A model fine-tuned in a workspace: `azureml://locations/<loc>/workspaces/<id>/models/<name>/versions/<n>`. */
const FINE_TUNED_MODEL_ID = /^azureml:\/\/locations\/[^/]+\/workspaces\/[^/]+\/models\/[^/]+\/versions\/[^/]+$/;

function registryName(modelId: unknown): string | undefined {
  return typeof modelId === "string" ? REGISTRY_MODEL_ID.exec(modelId)?.[1] : undefined;
}

/** True if the id names a catalog model in the Meta registry that is not retired on `day`. */
export function isCatalogModelId(modelId: unknown, day: Date = new Date(), catalog: ModelCatalog = CATALOG): boolean {
  const name = registryName(modelId);
  if (name === undefined) return false;
  const found = lookupModel(name, catalog);
  return found.kind === "available" && modelStatusOn(found.model, day) !== "retired";
}

/** The retirement behind a Meta registry model id, if the model is retired on `day`. */
export function retirementOf(modelId: unknown, day: Date = new Date(), catalog: ModelCatalog = CATALOG): RetiredModel | undefined {
  const name = registryName(modelId);
  if (name === undefined) return undefined;
  const found = lookupModel(name, catalog);
  if (found.kind === "retired") return found.retired;
  return found.kind === "available" && modelStatusOn(found.model, day) === "retired" ? asRetired(found.model) : undefined;
}

export function isFineTunedModelId(modelId: unknown): boolean {
  return typeof modelId === "string" && FINE_TUNED_MODEL_ID.test(modelId);
}

/** The rule, judging lifecycle dates on the day `now` returns against `catalog` (tests change both). */
export function makeSupportedModelRule(now: () => Date = () => new Date(), catalog: ModelCatalog = CATALOG): ResourceRule {
  return {
    kind: "resource",
    name: "supported-llama-model",
    description:
      "The marketplace subscription names a catalog Meta Llama model that is not retired; endpoints serve such a model or one fine-tuned in a workspace.",
    levels: ["mandatory"],
    types: [T.marketplaceSubscription, T.serverlessEndpoint],
    check(resource: ResourceUnderTest): Finding[] {
      const day = now();
      const properties = nestedProperties(resource.type, resource.props);
      const file = stackFile(resource.urn);
      const allowed = availableModelNames(day, catalog).join(", ");
      const isSubscription = resource.type === T.marketplaceSubscription;
      const modelId = isSubscription ? at(properties, "modelId") : at(properties, "modelSettings", "modelId");
      if (isCatalogModelId(modelId, day, catalog) || (!isSubscription && isFineTunedModelId(modelId))) return [];
      const what = isSubscription
        ? `Marketplace subscription "${resource.name}" names model ${show(modelId)} (properties.modelId)`
        : `Serverless endpoint "${resource.name}" serves model ${show(modelId)} (properties.modelSettings.modelId)`;
      const retired = retirementOf(modelId, day, catalog);
      if (retired) {
        return [
          {
            enforcement: "mandatory",
            message: `${what}, which is retired: ${describeRetirement(retired)}. Fix: set \`${configKey("model")}\` in ${file} to one of: ${allowed}.`,
          },
        ];
      }
      const why = isSubscription
        ? "which is not in the supported Meta Llama catalog"
        : `which is neither a supported catalog model (${META_REGISTRY}/models/<name>) nor a model fine-tuned in a workspace (azureml://locations/<loc>/workspaces/<id>/models/<name>/versions/<n>)`;
      const fineTuned = isSubscription ? "" : `; or \`${configKey("fineTunedModelId")}\` to the fine-tuned model's id`;
      return [{ enforcement: "mandatory", message: `${what}, ${why}. Fix: set \`${configKey("model")}\` in ${file} to one of: ${allowed}${fineTuned}.` }];
    },
  };
}

export const supportedModelRule: ResourceRule = makeSupportedModelRule();
