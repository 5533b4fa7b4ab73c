/**
 * Role assignments, written one way everywhere: a built-in role by name, the principal's real
 * type, and a deterministic assignment name (GUID) from (scope, principal, role definition).
 *
 * Why `principalType` is required: azure-native 3.x fills in `"User"` when it is left out
 * (`principalType ?? "User"` in @pulumi/azure-native/authorization/roleAssignment.js), and ARM
 * then refuses every non-user with `UnmatchedPrincipalType` ("The PrincipalId ... has type
 * 'ServicePrincipal', which is different from specified PrincipalType 'User'", e.g.
 * https://github.com/Azure/modern-web-app-pattern-dotnet/pull/129). Learn: "It's important to
 * specify the correct principal type"
 * (https://learn.microsoft.com/azure/role-based-access-control/role-assignments#principal).
 *
 * Why the scope is a plain string: it is built from names the stack already knows (see
 * config/armIds.ts), so the assignment's name is known at preview time whenever the principal
 * is; the resource it points at is passed as `scopeResource` so the assignment still waits for it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { roleAssignmentName, roleDefinitionId, type BuiltInRole, type PrincipalType } from "../config/roles";

export interface GrantArgs {
  role: BuiltInRole;
  principalId: pulumi.Input<string>;
  /** The principal's real type; ARM refuses a wrong one. */
  principalType: PrincipalType;
  /** ARM id of what is granted on. */
  scope: string;
  /** The resource `scope` names (the assignment is created after it). */
  scopeResource?: pulumi.Resource;
  subscriptionId: string;
}

export function grantRole(resourceName: string, args: GrantArgs, opts: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  const definition = roleDefinitionId(args.subscriptionId, args.role);
  const dependsOn = [...toArray(opts.dependsOn), ...(args.scopeResource ? [args.scopeResource] : [])];
  return new authorization.RoleAssignment(
    resourceName,
    {
      roleAssignmentName: pulumi.output(args.principalId).apply((principal) => roleAssignmentName(args.scope, principal, definition)),
      roleDefinitionId: definition,
      principalId: args.principalId,
      principalType: args.principalType,
      scope: args.scope,
    },
    { ...opts, dependsOn },
  );
}

function toArray(value: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value as pulumi.Input<pulumi.Resource>];
}
