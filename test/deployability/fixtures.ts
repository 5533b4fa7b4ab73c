/** Small hand-built plans for the deployability rules. */
import type { PlanFacts } from "../../deployability";
import type { PlannedResource } from "../../plan/types";

export const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
export const RG = `/subscriptions/${SUB}/resourceGroups/rg`;

export function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
  return {
    urn: `urn:pulumi:dev::llama-finetune-env::${type}::${name}`,
    type,
    name,
    custom: true,
    dependsOn: [],
    inputs,
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ...extra,
  };
}

export function facts(resources: PlannedResource[], extra: Partial<PlanFacts> = {}): PlanFacts {
  return { stack: "dev", resources, today: "2026-11-26", ...extra };
}

export const role = (guid: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
export const BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
