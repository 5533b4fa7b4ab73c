/**
 * Deterministic names that Azure requires to be unique beyond one stack do not collide.
 *
 * Azure behaviour:
 * - "Role assignment resource names must be unique within the Microsoft Entra tenant, even if
 *   the scope of the role assignment is narrower"; reusing one fails the deployment
 *   (https://learn.microsoft.com/azure/role-based-access-control/role-assignments#name). Two
 *   assignments of one (principal, role, scope) fail with 409 RoleAssignmentExists.
 * - Storage account names, key vault names and AI Services custom subdomains are global DNS
 *   names; resource group names are unique in a subscription; serverless endpoint names are
 *   unique per region (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
 * The stacks of this repo (dev, prod, every pr-N) share one tenant and usually one subscription,
 * so their plans are checked together.
 */
import type { PlannedResource } from "../../plan/types";
import { get, known, ofType, T } from "../resources";
import type { CrossStackRule, Finding, PlanFacts, PlanRule } from "../types";

const RBAC_SOURCE = "https://learn.microsoft.com/azure/role-based-access-control/role-assignments#name";
const NAMES_SOURCE = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules";

interface Claim {
  /** What must be unique and where, e.g. `role assignment name` or `storage account name (global)`. */
  kind: string;
  value: string;
  resource: PlannedResource;
}

/** Every name of the plan that must be unique across stacks, lower-cased (Azure compares them so). */
export function uniqueClaims(resources: readonly PlannedResource[]): Claim[] {
  const claims: Claim[] = [];
  const claim = (kind: string, value: unknown, resource: PlannedResource) => {
    const v = known(value);
    if (v) claims.push({ kind, value: v.toLowerCase(), resource });
  };
  for (const r of ofType(resources, T.roleAssignment)) claim("role assignment name (tenant-wide)", r.inputs.roleAssignmentName, r);
  for (const r of ofType(resources, T.storageAccount)) claim("storage account name (global)", r.inputs.accountName, r);
  for (const r of ofType(resources, T.keyVault)) claim("key vault name (global)", r.inputs.vaultName, r);
  for (const r of ofType(resources, T.aiServices)) claim("AI Services custom subdomain (global)", get(r.inputs, "properties.customSubDomainName") ?? r.inputs.accountName, r);
  for (const r of ofType(resources, T.resourceGroup)) claim("resource group name (per subscription)", r.inputs.resourceGroupName, r);
  for (const r of ofType(resources, T.serverlessEndpoint)) {
    const location = known(r.inputs.location);
    if (location) claim(`serverless endpoint name (per region, ${location})`, r.inputs.name, r);
  }
  return claims;
}

export const uniqueNamesInPlanRule: PlanRule = {
  name: "unique-role-assignments",
  description: "Within one stack, no two role assignments share a name or the same (principal, role, scope).",
  source: RBAC_SOURCE,
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    const byName = new Map<string, PlannedResource>();
    const byGrant = new Map<string, PlannedResource>();
    for (const r of ofType(plan.resources, T.roleAssignment)) {
      const name = known(r.inputs.roleAssignmentName)?.toLowerCase();
      const [principal, role, scope] = [r.inputs.principalId, r.inputs.roleDefinitionId, r.inputs.scope].map((v) => known(v)?.toLowerCase());
      const seenName = name ? byName.get(name) : undefined;
      if (name && seenName) {
        findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" and "${seenName.name}" both use role assignment name ${name}; the second is refused. Fix: derive the name from scope, principal and role.` });
      } else if (name) byName.set(name, r);
      if (principal && role && scope) {
        const key = `${principal}|${role}|${scope}`;
        const seenGrant = byGrant.get(key);
        if (seenGrant) {
          findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" repeats the grant of "${seenGrant.name}" (same principal, role and scope); ARM refuses it with 409 RoleAssignmentExists. Fix: grant it once.` });
        } else byGrant.set(key, r);
      }
    }
    return findings;
  },
};

export const uniqueNamesAcrossStacksRule: CrossStackRule = {
  name: "unique-names-across-stacks",
  description: "Role assignment names, globally unique resource names and per-subscription names differ between the stacks of this repo.",
  source: `${RBAC_SOURCE}; ${NAMES_SOURCE}`,
  check(plans: readonly PlanFacts[]): Finding[] {
    const findings: Finding[] = [];
    const owner = new Map<string, { stack: string; claim: Claim }>();
    for (const plan of plans) {
      for (const claim of uniqueClaims(plan.resources)) {
        const key = `${claim.kind}|${claim.value}`;
        const first = owner.get(key);
        if (!first) {
          owner.set(key, { stack: plan.stack, claim });
        } else if (first.stack !== plan.stack) {
          findings.push({
            severity: "error",
            stack: plan.stack,
            urn: claim.resource.urn,
            resourceName: claim.resource.name,
            message: `stack ${plan.stack} and stack ${first.stack} both use ${claim.kind} ${claim.value} ("${claim.resource.name}" / "${first.claim.resource.name}"); the second stack to deploy is refused. Fix: include what differs between the stacks in the name.`,
          });
        }
      }
    }
    return findings;
  },
};
