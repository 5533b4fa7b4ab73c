/**
 * No role assignment duplicates one that Azure makes by itself.
 *
 * Azure behaviour: when a hub is provisioned with identity-based system datastores, its
 * system-assigned identity is given Storage Blob Data Contributor on the hub's storage account
 * ("Automatically assigned the role when you provision the hub. Don't manually change this role
 * assignment."), and hubs get Azure AI Administrator for their identity. A second assignment of
 * the same (principal, role, scope) under another name is refused with 409 RoleAssignmentExists.
 * Sources: config/roles.ts AUTOMATIC_ROLE_ASSIGNMENTS (Learn: ai-foundry/how-to/disable-local-auth,
 * ai-foundry/concepts/hub-rbac-azure-ai-foundry).
 */
import { AUTOMATIC_ROLE_ASSIGNMENTS, roleOf } from "../../config/roles";
import type { PlannedResource } from "../../plan/types";
import { get, known, lastSegment, ofType, sourcesOf, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

/** Storage accounts a hub uses: by dependency of its `storageAccount` input or by id. */
function hubStorageAccounts(hub: PlannedResource, resources: readonly PlannedResource[]): string[] {
  const byDependency = ofType(resources, T.storageAccount).filter((s) => hub.propertyDependencies?.storageAccount?.includes(s.urn));
  const names = byDependency.map((s) => known(s.inputs.accountName)).filter((n): n is string => n !== undefined);
  const id = known(hub.inputs.storageAccount);
  if (id) names.push(lastSegment(id));
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

function scopeIsStorageAccount(scope: string, accounts: readonly string[]): boolean {
  const m = /\/providers\/microsoft\.storage\/storageaccounts\/([^/]+)$/i.exec(scope);
  return m !== null && accounts.includes(m[1]!.toLowerCase());
}

export const automaticRoleAssignmentsRule: PlanRule = {
  name: "no-duplicate-of-automatic-role-assignment",
  description: "No role assignment repeats one that Azure makes itself for a hub's identity (409 RoleAssignmentExists).",
  source: AUTOMATIC_ROLE_ASSIGNMENTS.map((a) => a.source).join("; "),
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    const hubs = ofType(plan.resources, T.mlWorkspace).filter((w) => w.inputs.kind === "Hub" && String(get(w.inputs, "identity.type") ?? "").includes("SystemAssigned"));
    for (const assignment of ofType(plan.resources, T.roleAssignment)) {
      const role = roleOf(String(assignment.inputs.roleDefinitionId ?? ""));
      if (!role) continue;
      const hub = hubs.find((h) => sourcesOf(assignment, "principalId").includes(h.urn));
      if (!hub) continue;
      for (const automatic of AUTOMATIC_ROLE_ASSIGNMENTS.filter((a) => a.role === role)) {
        if (role === "storageBlobDataContributor") {
          if (!/^identity$/i.test(String(hub.inputs.systemDatastoresAuthMode ?? ""))) continue;
          const scope = known(assignment.inputs.scope);
          if (!scope || !scopeIsStorageAccount(scope, hubStorageAccounts(hub, plan.resources))) continue;
        }
        findings.push({
          severity: "error",
          urn: assignment.urn,
          resourceName: assignment.name,
          message:
            `"${assignment.name}" assigns ${role} to ${automatic.principal} on ${automatic.scope}, which Azure assigns by itself; ` +
            `ARM refuses the second assignment with 409 RoleAssignmentExists. Fix: remove this role assignment.`,
        });
      }
    }
    return findings;
  },
};
