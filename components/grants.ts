/**
 * Role assignments, written one way everywhere: a built-in role by name, a deterministic
 * assignment name (GUID) from what it grants, so previews stay stable and re-creation is
 * idempotent.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { deterministicGuid, roleDefinitionId, type BuiltInRole } from "../config/roles";

export interface GrantArgs {
  role: BuiltInRole;
  principalId: pulumi.Input<string>;
  /** Omit when unknown (e.g. the deploying identity); Azure then looks it up. */
  principalType?: "User" | "Group" | "ServicePrincipal";
  scope: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  /** Stable strings that identify this grant (they name the assignment). */
  key: readonly string[];
}

export function grantRole(resourceName: string, args: GrantArgs, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    resourceName,
    {
      roleAssignmentName: deterministicGuid(...args.key, args.role),
      roleDefinitionId: pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, args.role)),
      principalId: args.principalId,
      principalType: args.principalType,
      scope: args.scope,
    },
    opts,
  );
}
