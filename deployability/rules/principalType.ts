/**
 * Every role assignment states its principal's real type.
 *
 * Azure behaviour: ARM checks `principalType` against Microsoft Entra ID and refuses a
 * mismatch with `UnmatchedPrincipalType` ("The PrincipalId ... has type 'ServicePrincipal',
 * which is different from specified PrincipalType 'User'"); azure-native 3.x sends "User" when
 * the program leaves it out (@pulumi/azure-native/authorization/roleAssignment.js). Managed
 * identities are service principals. Sources:
 * https://learn.microsoft.com/azure/role-based-access-control/role-assignments#principal,
 * https://github.com/Azure/modern-web-app-pattern-dotnet/pull/129.
 */
import { PRINCIPAL_TYPES } from "../../config/roles";
import { get, known, ofType, sourcesOf, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

export const principalTypeRule: PlanRule = {
  name: "role-assignment-principal-type",
  description: "Every role assignment states its principal's real type (User, Group or ServicePrincipal; managed identities are ServicePrincipal).",
  source: "https://learn.microsoft.com/azure/role-based-access-control/role-assignments#principal; https://github.com/Azure/modern-web-app-pattern-dotnet/pull/129",
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    const identities = new Set(plan.resources.filter((r) => r.custom && String(get(r.inputs, "identity.type") ?? "").includes("SystemAssigned")).map((r) => r.urn));
    for (const assignment of ofType(plan.resources, T.roleAssignment)) {
      const stated = assignment.inputs.principalType;
      const refuse = (expected: string, who: string) =>
        findings.push({
          severity: "error",
          urn: assignment.urn,
          resourceName: assignment.name,
          message: `"${assignment.name}" grants ${who} with principalType ${JSON.stringify(stated ?? null)}; ARM refuses it (UnmatchedPrincipalType). Fix: principalType "${expected}".`,
        });
      if (typeof stated !== "string" || !(PRINCIPAL_TYPES as readonly string[]).includes(stated)) {
        refuse("User, Group or ServicePrincipal", "a principal");
        continue;
      }
      const principalId = known(assignment.inputs.principalId)?.toLowerCase();
      if (sourcesOf(assignment, "principalId").some((urn) => identities.has(urn))) {
        if (stated !== "ServicePrincipal") refuse("ServicePrincipal", "a managed identity");
      } else if (principalId && plan.deployer && principalId === plan.deployer.objectId.toLowerCase()) {
        if (stated !== plan.deployer.principalType) refuse(plan.deployer.principalType, "the identity running pulumi up");
      } else if (principalId) {
        const configured = plan.principals?.find((p) => p.objectId.toLowerCase() === principalId);
        if (configured && stated !== configured.type) refuse(configured.type, `configured principal ${principalId}`);
      }
    }
    return findings;
  },
};
