/**
 * The models the stack subscribes to and serves are ones the catalog knows (and, once the
 * catalog records retirements, not retired in the region on the day of the plan).
 *
 * Azure behaviour: a marketplace subscription or serverless endpoint for a model Azure has
 * retired (or never offered) is refused at deployment. The catalog (config/models.ts) records
 * each model's lifecycle with its Learn source; the plan judges it on the day it runs. Sources:
 * config/models.ts, https://learn.microsoft.com/azure/ai-foundry/concepts/model-lifecycle-retirement.
 */
import { asRetired, describeRetirement, lookupModel, META_REGISTRY, modelStatusOn } from "../../config/models";
import { get, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

type ModelStatus = { kind: "available" } | { kind: "retired"; detail: string } | { kind: "unknown" };

/** What the catalog says about `name` on `day` (YYYY-MM-DD, UTC). */
export function modelStatus(name: string, day: string): ModelStatus {
  const found = lookupModel(name);
  if (found.kind === "unknown") return { kind: "unknown" };
  if (found.kind === "retired") return { kind: "retired", detail: describeRetirement(found.retired) };
  return modelStatusOn(found.model, new Date(`${day}T00:00:00Z`)) === "retired" ? { kind: "retired", detail: describeRetirement(asRetired(found.model)) } : { kind: "available" };
}

const REGISTRY_ID = new RegExp(`^${META_REGISTRY.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/models/([^/]+)`);

export const modelsRule: PlanRule = {
  name: "model-not-retired",
  description: "Marketplace subscriptions and serverless endpoints name catalog models that are not retired on the day of the plan.",
  source: "config/models.ts (per-model Learn sources); https://learn.microsoft.com/azure/ai-foundry/concepts/model-lifecycle-retirement",
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    const uses = [
      ...ofType(plan.resources, T.marketplaceSubscription).map((r) => ({ r, id: known(get(r.inputs, "properties.modelId")) })),
      ...ofType(plan.resources, T.serverlessEndpoint).map((r) => ({ r, id: known(get(r.inputs, "properties.modelSettings.modelId")) })),
    ];
    for (const { r, id } of uses) {
      const name = id ? REGISTRY_ID.exec(id)?.[1] : undefined;
      if (!name) continue; // a fine-tuned model of a workspace, or not known yet
      const status = modelStatus(name, plan.today);
      if (status.kind === "retired") findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" uses ${name}, which is retired: ${status.detail}` });
      if (status.kind === "unknown") findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" uses ${name}, which is not in the model catalog (config/models.ts); Azure refuses models it does not offer.` });
    }
    return findings;
  },
};
