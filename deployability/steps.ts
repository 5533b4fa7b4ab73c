/**
 * What `pulumi up` (or `destroy`) would do to go from one plan to the next: create, update,
 * replace, delete or nothing, per resource. The engine asks the provider's Diff; offline, the
 * inputs that name a resource in ARM (its path: resource group, parents, name, location) stand
 * in for azure-native's replace-on-change properties, and for the dynamic providers the inputs
 * their `diff` replaces on (arm/).
 */
import { CONTAINER_REPLACE_ON, VERSION_REPLACE_ON } from "../arm/dataAssetInputs";
import type { PlannedResource } from "../plan/types";
import { get, T } from "./resources";

export type StepOp = "create" | "update" | "replace" | "delete" | "same";

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** The resource as it was (update, replace, delete, same) and will be (create, update, replace, same). */
  before?: PlannedResource;
  after?: PlannedResource;
  /** Inputs whose change forces the replacement. */
  replacedBecause?: string[];
}

const ML_CHILD = ["resourceGroupName", "workspaceName", "name"];

/** Inputs whose change replaces the resource, by type. Unlisted types are updated in place. */
export const REPLACE_ON: Readonly<Record<string, readonly string[]>> = {
  [T.resourceGroup]: ["resourceGroupName", "location"],
  [T.storageAccount]: ["resourceGroupName", "accountName", "location"],
  [T.blobContainer]: ["resourceGroupName", "accountName", "containerName"],
  [T.keyVault]: ["resourceGroupName", "vaultName", "location"],
  [T.logAnalytics]: ["resourceGroupName", "workspaceName", "location"],
  [T.appInsights]: ["resourceGroupName", "resourceName", "location"],
  [T.aiServices]: ["resourceGroupName", "accountName", "location", "kind"],
  [T.mlWorkspace]: ["resourceGroupName", "workspaceName", "location", "kind"],
  "azure-native:machinelearningservices:WorkspaceConnection": ["resourceGroupName", "workspaceName", "connectionName"],
  "azure-native:machinelearningservices:Datastore": ML_CHILD,
  [T.dataContainer]: ML_CHILD,
  [T.dataVersion]: [...ML_CHILD, "version"],
  [T.marketplaceSubscription]: ML_CHILD,
  [T.serverlessEndpoint]: [...ML_CHILD, "location"],
  [T.budget]: ["scope", "budgetName"],
  // Role assignments cannot be changed, only replaced.
  [T.roleAssignment]: ["scope", "roleAssignmentName", "principalId", "roleDefinitionId", "principalType"],
  [T.blobUpload]: ["accountName", "containerName", "blobName", "sha256", "contentType"],
  [T.providerRegistration]: ["namespace", "subscriptionId"],
  // Dotted paths reach into `properties` (the providers' own lists, arm/dataAssetInputs.ts).
  [T.dataAsset]: CONTAINER_REPLACE_ON,
  [T.dataAssetVersion]: VERSION_REPLACE_ON,
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `after`'s inputs with every `ignoreChanges` path set back to `before`'s value (what the engine sends). */
function withIgnoredChanges(before: PlannedResource, after: PlannedResource): Record<string, unknown> {
  const inputs = structuredClone(after.inputs);
  for (const path of after.ignoreChanges ?? []) {
    const keys = path.split(".");
    const last = keys.pop()!;
    let from: unknown = before.inputs;
    let to: unknown = inputs;
    for (const k of keys) {
      from = from && typeof from === "object" ? (from as Record<string, unknown>)[k] : undefined;
      to = to && typeof to === "object" ? (to as Record<string, unknown>)[k] : undefined;
    }
    if (to && typeof to === "object" && from && typeof from === "object") (to as Record<string, unknown>)[last] = (from as Record<string, unknown>)[last];
  }
  return inputs;
}

/** The steps from `before` to `after`; `after` undefined is `pulumi destroy`. Cloud resources only. */
export function planSteps(before: readonly PlannedResource[], after: readonly PlannedResource[] | undefined): Step[] {
  const old = new Map(before.filter((r) => r.custom).map((r) => [r.urn, r]));
  const next = new Map((after ?? []).filter((r) => r.custom).map((r) => [r.urn, r]));
  const steps: Step[] = [];
  for (const [urn, b] of old) {
    const a = next.get(urn);
    if (!a) {
      steps.push({ op: "delete", urn, type: b.type, name: b.name, before: b });
      continue;
    }
    const sent = withIgnoredChanges(b, a);
    const replacedBecause = (REPLACE_ON[b.type] ?? []).filter((k) => !same(get(b.inputs, k), get(sent, k)));
    if (replacedBecause.length > 0) steps.push({ op: "replace", urn, type: b.type, name: b.name, before: b, after: a, replacedBecause });
    else steps.push({ op: same(b.inputs, sent) ? "same" : "update", urn, type: b.type, name: b.name, before: b, after: a });
  }
  for (const [urn, a] of next) if (!old.has(urn)) steps.push({ op: "create", urn, type: a.type, name: a.name, after: a });
  return steps.sort((x, y) => x.urn.localeCompare(y.urn));
}
