/**
 * Nothing Azure cannot delete is ever deleted or replaced by deleting it.
 *
 * Azure behaviour: Azure ML refuses DELETE on data containers and data versions; they can only
 * be archived ("The service rejects DELETE on both child routes: Method not supported for
 * versions and DataContainers_Workspace_Delete is not supported for containers",
 * https://github.com/cloud-custodian/cloud-custodian/issues/11012; "Deleting a Dataset is no
 * longer supported by the Azure ML APIs", https://github.com/microsoft/vscode-tools-for-ai/issues/1761).
 * A delete of one fails `pulumi up` (after a data change) and `pulumi destroy`. So they must be
 * `retainOnDelete` (Pulumi forgets them; they go with their workspace) and never
 * `deleteBeforeReplace`; and the blob a data version points at is kept as long as the version.
 */
import { buildGraph } from "../../plan/graph";
import type { PlannedResource } from "../../plan/types";
import { planSteps } from "../steps";
import { get, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule, TransitionRule } from "../types";

const SOURCE = "https://github.com/cloud-custodian/cloud-custodian/issues/11012; https://github.com/microsoft/vscode-tools-for-ai/issues/1761";

/** Types Azure refuses to DELETE. */
export const UNDELETABLE_TYPES: readonly string[] = [T.dataContainer, T.dataVersion];

/** Blob uploads that a data version points at (its dataUri ends with the blob's path). */
function referencedUploads(resources: readonly PlannedResource[]): PlannedResource[] {
  const paths = ofType(resources, T.dataVersion)
    .map((v) => known(get(v.inputs, "properties.dataUri")))
    .filter((u): u is string => u !== undefined)
    .map((u) => u.split("/paths/").pop());
  return ofType(resources, T.blobUpload).filter((b) => paths.includes(known(b.inputs.blobName)));
}

export const undeletableRetainedRule: PlanRule = {
  name: "undeletable-resources-retained",
  description: "Data containers and versions (which Azure ML cannot delete) and the blobs versions point at are retainOnDelete and never deleteBeforeReplace.",
  source: SOURCE,
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    const kept = [...plan.resources.filter((r) => r.custom && UNDELETABLE_TYPES.includes(r.type)), ...referencedUploads(plan.resources)];
    for (const r of kept) {
      const what = r.type === T.blobUpload ? "the blob a data version points at" : "a resource Azure ML cannot delete";
      if (!r.retainOnDelete) {
        findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" is ${what}, but not retainOnDelete: the next data change or \`pulumi destroy\` would delete it (and fail, or break the old version). Fix: retainOnDelete: true.` });
      }
      if (r.deleteBeforeReplace) {
        findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" is ${what}, but deleteBeforeReplace: a replacement would start by deleting it. Fix: remove deleteBeforeReplace.` });
      }
    }
    return findings;
  },
};

export const nothingUndeletableDeletedRule: TransitionRule = {
  name: "nothing-undeletable-deleted",
  description: "Going from one plan to the next (or destroying) deletes no data container or version; their replacement creates the new one without deleting the old.",
  source: SOURCE,
  check(before: PlanFacts, after: PlanFacts | undefined): Finding[] {
    const findings: Finding[] = [];
    for (const step of planSteps(before.resources, after?.resources)) {
      if (!UNDELETABLE_TYPES.includes(step.type) || (step.op !== "delete" && step.op !== "replace")) continue;
      const old = step.before!;
      const verb = step.op === "delete" ? (after ? "deleted" : "deleted by pulumi destroy") : `replaced (${step.replacedBecause!.join(", ")} changed)`;
      if (!old.retainOnDelete) {
        findings.push({ severity: "error", stack: before.stack, urn: step.urn, resourceName: step.name, message: `"${step.name}" would be ${verb}: Azure ML refuses DELETE on data assets. Fix: retainOnDelete, and give each version its own resource.` });
      } else if (step.op === "replace" && (old.deleteBeforeReplace || step.after!.deleteBeforeReplace)) {
        findings.push({ severity: "error", stack: before.stack, urn: step.urn, resourceName: step.name, message: `"${step.name}" would be deleted before its replacement is created. Fix: remove deleteBeforeReplace.` });
      }
    }
    return findings;
  },
};

/** `pulumi destroy` deletes dependents first: each resource before everything it depends on. */
export function destroyOrderProblems(resources: readonly PlannedResource[], destroyOrder: readonly string[]): string[] {
  const position = new Map(destroyOrder.map((urn, i) => [urn, i]));
  const problems: string[] = [];
  const { edges } = buildGraph(resources);
  for (const r of resources.filter((x) => x.custom)) {
    for (const dep of edges.get(r.urn) ?? []) {
      const [a, b] = [position.get(r.urn), position.get(dep)];
      if (a !== undefined && b !== undefined && a > b) problems.push(`${r.name} is deleted after ${dep.split("::").pop()}, which it depends on`);
    }
  }
  return problems;
}
