/**
 * A stack can be created again after it was destroyed.
 *
 * Azure behaviour:
 * - ML workspaces (hub, project) are soft-deleted: "You can't reuse the name of a soft-deleted
 *   workspace until the retention period passes or the workspace is permanently deleted"
 *   (https://learn.microsoft.com/azure/machine-learning/concept-soft-delete).
 * - Key vaults keep their (global) name while soft-deleted; a vault with purge protection cannot
 *   be purged (https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview).
 * - AI Services accounts keep their name and custom subdomain while soft-deleted
 *   (https://learn.microsoft.com/azure/ai-services/recover-purge-resources).
 * So re-creating a stack with the same names works only after `npm run teardown` (which purges
 * them; teardown/plan.ts), or with a new `nameSalt` (test stacks get their CI run id). And a
 * resource the stack keeps on destroy (retainOnDelete) must not block the new stack: it either
 * goes with a parent the destroy deletes, or re-creating it is harmless (a provider
 * registration is registered again).
 */
import type { PlannedResource } from "../../plan/types";
import { get, known, T } from "../resources";
import type { Finding, PlanFacts } from "../types";

export interface RecreateHow {
  /** True when the stack was removed with `npm run teardown` (purges soft-deleted names), false for a plain `pulumi destroy`. */
  purged: boolean;
}

export interface RecreateRule {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  check(destroyed: PlanFacts, recreated: PlanFacts, how: RecreateHow): Finding[];
}

/** Types whose name stays reserved after delete, and the input holding the name. */
const SOFT_DELETED: Readonly<Record<string, { nameInput: string; what: string }>> = {
  [T.mlWorkspace]: { nameInput: "workspaceName", what: "ML workspace (14-day soft delete)" },
  [T.keyVault]: { nameInput: "vaultName", what: "key vault (soft delete)" },
  [T.aiServices]: { nameInput: "accountName", what: "AI Services account (soft delete)" },
};

/** Retained types that are harmless to create again. */
const IDEMPOTENT: readonly string[] = [T.providerRegistration];

/** The resource a retained child goes with when its parent is deleted. */
function parentOf(r: PlannedResource, resources: readonly PlannedResource[]): PlannedResource | undefined {
  if (r.type.startsWith("azure-native:machinelearningservices:")) {
    const workspace = known(r.inputs.workspaceName);
    return resources.find((p) => p.type === T.mlWorkspace && known(p.inputs.workspaceName) === workspace);
  }
  if (r.type === T.blobUpload) {
    const container = known(r.inputs.containerName);
    const account = known(r.inputs.accountName);
    return resources.find((p) => p.type === T.blobContainer && known(p.inputs.containerName) === container && known(p.inputs.accountName) === account);
  }
  return undefined;
}

export const recreateAfterDestroyRule: RecreateRule = {
  name: "recreate-after-destroy",
  description: "After destroy, the same stack can be created again: soft-deleted names are purged or salted, and retained resources do not block.",
  source:
    "https://learn.microsoft.com/azure/machine-learning/concept-soft-delete; https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview; https://learn.microsoft.com/azure/ai-services/recover-purge-resources",
  check(destroyed: PlanFacts, recreated: PlanFacts, how: RecreateHow): Finding[] {
    const findings: Finding[] = [];
    const gone = destroyed.resources.filter((r) => r.custom);
    for (const r of gone) {
      const soft = SOFT_DELETED[r.type];
      if (soft && !r.retainOnDelete) {
        const name = known(r.inputs[soft.nameInput]);
        const again = recreated.resources.some((n) => n.type === r.type && known(n.inputs[soft.nameInput]) === name);
        if (!name || !again) continue;
        const purgeProtected = r.type === T.keyVault && get(r.inputs, "properties.enablePurgeProtection") === true;
        if (!how.purged || purgeProtected || r.protect) {
          findings.push({
            severity: "error",
            stack: recreated.stack,
            urn: r.urn,
            resourceName: r.name,
            message: `${soft.what} "${name}" is still held after the destroy${purgeProtected ? " (purge protection: it cannot be purged)" : r.protect ? " (protected stacks are not purged)" : " (a plain pulumi destroy does not purge)"}; re-creating the stack with the same name fails. Fix: npm run teardown (purges), or a new nameSalt.`,
          });
        }
      }
      if (r.retainOnDelete && !IDEMPOTENT.includes(r.type)) {
        const parent = parentOf(r, gone);
        if (!parent || parent.retainOnDelete || parent.protect) {
          findings.push({
            severity: "error",
            stack: recreated.stack,
            urn: r.urn,
            resourceName: r.name,
            message: `"${r.name}" is kept on destroy and nothing the destroy deletes takes it along; re-creating the stack would meet it. Fix: keep it only inside a resource the stack deletes.`,
          });
        }
      }
    }
    return findings;
  },
};
