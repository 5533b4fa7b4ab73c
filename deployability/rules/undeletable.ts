/**
 * Nothing Azure cannot delete is ever deleted or replaced by deleting it.
 *
 * Azure behaviour: Azure ML refuses DELETE on data containers and data versions; they can only
 * be archived ("The service rejects DELETE on both child routes: Method not supported for
 * versions and DataContainers_Workspace_Delete is not supported for containers",
 * https://github.com/cloud-custodian/cloud-custodian/issues/11012; "Deleting a Dataset is no
 * longer supported by the Azure ML APIs", https://github.com/microsoft/vscode-tools-for-ai/issues/1761;
 * Learn "Create and manage data assets": a version "cannot be modified or deleted", archive it,
 * MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-create-data-assets.md).
 * A delete of one fails `pulumi up` (after a data change) and `pulumi destroy`. So:
 *  - azure-native's DataContainer/DataVersion (which delete with DELETE) must be `retainOnDelete`
 *    and never `deleteBeforeReplace`;
 *  - this project's DataAsset/DataAssetVersion (arm/dataAssetResource.ts) archive on delete and
 *    never send DELETE (arm/dynamicProviders.ts `ARCHIVED_ON_DELETE_TYPES`, proven against a fake
 *    that records every request in test/arm/dataAssetResource.test.ts), so removing one is safe
 *    without `retainOnDelete`; retaining one leaves the old version looking current in AI Studio
 *    (a warning). Removing one whose ARM asset the next plan still declares (a renamed Pulumi
 *    resource, no alias) would archive the version the new resource just adopted (an error);
 *  - the blob a data version points at is kept as long as the version (an archived version can
 *    still be used by jobs, and going back to that file adopts it again).
 */
import { ARCHIVED_ON_DELETE_TYPES } from "../../arm/dynamicProviders";
import { buildGraph } from "../../plan/graph";
import type { PlannedResource } from "../../plan/types";
import { planSteps } from "../steps";
import { get, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule, TransitionRule } from "../types";

const SOURCE =
  "https://github.com/cloud-custodian/cloud-custodian/issues/11012; https://github.com/microsoft/vscode-tools-for-ai/issues/1761; https://learn.microsoft.com/azure/machine-learning/how-to-create-data-assets (archive); arm/dataAssetResource.ts (archives, never DELETEs)";

/** azure-native types Azure refuses to DELETE (their provider would send one). */
export const UNDELETABLE_TYPES: readonly string[] = [T.dataContainer, T.dataVersion];

const VERSION_TYPES: readonly string[] = [T.dataVersion, T.dataAssetVersion];

/** Blob uploads that a data version points at (its dataUri ends with the blob's path). */
function referencedUploads(resources: readonly PlannedResource[]): PlannedResource[] {
  const paths = resources
    .filter((r) => r.custom && VERSION_TYPES.includes(r.type))
    .map((v) => known(get(v.inputs, "properties.dataUri")))
    .filter((u): u is string => u !== undefined)
    .map((u) => u.split("/paths/").pop());
  return ofType(resources, T.blobUpload).filter((b) => paths.includes(known(b.inputs.blobName)));
}

const RETAINED_ARCHIVABLE = (name: string) =>
  `"${name}" archives itself when it leaves the stack, but is retainOnDelete: Pulumi will forget it without archiving it, and the old version stays listed as current in AI Studio. Fix: remove retainOnDelete (its provider never sends DELETE).`;

export const undeletableRetainedRule: PlanRule = {
  name: "undeletable-resources-retained",
  description:
    "Data containers and versions (which Azure ML cannot delete) are archived on delete by a provider that never DELETEs, or else retainOnDelete and never deleteBeforeReplace; the blobs versions point at are retainOnDelete.",
  source: SOURCE,
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    for (const r of plan.resources.filter((x) => x.custom && ARCHIVED_ON_DELETE_TYPES.includes(x.type) && x.retainOnDelete)) {
      findings.push({ severity: "warning", urn: r.urn, resourceName: r.name, message: RETAINED_ARCHIVABLE(r.name) });
    }
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

/** The Azure ML asset a data container or version stands for: workspace, name and (for versions) version. */
function assetKey(r: PlannedResource): string | undefined {
  const parts = [r.inputs.subscriptionId, r.inputs.resourceGroupName, r.inputs.workspaceName, r.inputs.name].map(known);
  if (parts.some((p) => p === undefined)) return undefined;
  const version = r.type === T.dataAssetVersion ? known(r.inputs.version) : "";
  return version === undefined ? undefined : `${r.type}|${parts.join("/").toLowerCase()}|${version}`;
}

export const nothingUndeletableDeletedRule: TransitionRule = {
  name: "nothing-undeletable-deleted",
  description:
    "Going from one plan to the next (or destroying) sends no DELETE to a data container or version: they are archived (and never the ones the next plan still declares), or retained; replacements create the new one first.",
  source: SOURCE,
  check(before: PlanFacts, after: PlanFacts | undefined): Finding[] {
    const findings: Finding[] = [];
    const steps = planSteps(before.resources, after?.resources);
    const stillDeclared = new Set(steps.filter((s) => s.after !== undefined).map((s) => assetKey(s.after!)).filter((k): k is string => k !== undefined));
    for (const step of steps) {
      if (step.op !== "delete" && step.op !== "replace") continue;
      const old = step.before!;
      const verb = step.op === "delete" ? (after ? "deleted" : "deleted by pulumi destroy") : `replaced (${step.replacedBecause!.join(", ")} changed)`;
      if (ARCHIVED_ON_DELETE_TYPES.includes(step.type)) {
        const key = assetKey(old);
        if (old.retainOnDelete) {
          findings.push({ severity: "warning", stack: before.stack, urn: step.urn, resourceName: step.name, message: RETAINED_ARCHIVABLE(step.name) });
        } else if (key !== undefined && stillDeclared.has(key)) {
          findings.push({
            severity: "error",
            stack: before.stack,
            urn: step.urn,
            resourceName: step.name,
            message:
              step.op === "delete"
                ? `"${step.name}" would be ${verb} and so archived, but the new plan still declares the same data asset${step.type === T.dataAssetVersion ? " version" : ""} under another Pulumi name: it would be archived right after being adopted. Fix: keep its Pulumi name, or add an alias.`
                : `"${step.name}" would be ${verb} at the same Azure ML path: Azure cannot change that on an existing asset, and archiving the old one would archive the new one. Fix: a new version for new data (the version is the content hash).`,
          });
        }
        continue;
      }
      if (!UNDELETABLE_TYPES.includes(step.type)) continue;
      if (!old.retainOnDelete) {
        findings.push({ severity: "error", stack: before.stack, urn: step.urn, resourceName: step.name, message: `"${step.name}" would be ${verb}: Azure ML refuses DELETE on data assets. Fix: a provider that archives instead (arm/dataAssetResource.ts), or retainOnDelete, with each version its own resource.` });
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
