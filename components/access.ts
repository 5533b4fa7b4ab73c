/**
 * What the people (users, groups, service principals) named in `principals` may do.
 *
 * A member of a hub project needs more than "Azure AI Developer" on the project. Learn, "Role-
 * based access control for Microsoft Foundry (hub-focused)": "When you grant a user access to a
 * project, the system also assigns the Reader role on the hub and the Inference Deployment
 * Operator role to allow deployments in the resource group" — the portal does that, ARM does
 * not, so the stack assigns both itself
 * (https://learn.microsoft.com/azure/ai-foundry/concepts/hub-rbac-azure-ai-foundry#default-roles-for-projects;
 * MicrosoftDocs/azure-ai-docs, articles/ai-foundry/concepts/hub-rbac-azure-ai-foundry.md).
 * And with shared-key access off on the hub's storage, "the users must be assigned the Storage
 * Blob Data Contributor and Storage File Data Privileged Contributor roles ... for the storage
 * account" (https://learn.microsoft.com/azure/ai-foundry/how-to/disable-local-auth;
 * articles/ai-foundry/how-to/disable-local-auth.md).
 *
 * `PEOPLE_ROLES` is the single list; README "Azure permissions" and docs/delivery.md show it.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as authorization from "@pulumi/azure-native/authorization";
import type { StackArmIds } from "../config/armIds";
import type { BuiltInRole } from "../config/roles";
import { typeToken } from "./common";
import { grantRole } from "./grants";
import type { Principal } from "./project";

/** Where each role of a project member is granted. */
export type AccessScope = "project" | "hub" | "resourceGroup" | "storageAccount";

export const PEOPLE_ROLES: readonly { role: BuiltInRole; scope: AccessScope }[] = [
  { role: "azureAiDeveloper", scope: "project" },
  { role: "reader", scope: "hub" },
  { role: "azureAiInferenceDeploymentOperator", scope: "resourceGroup" },
  { role: "storageBlobDataContributor", scope: "storageAccount" },
  { role: "storageFileDataPrivilegedContributor", scope: "storageAccount" },
];

export interface AccessArgs {
  subscriptionId: string;
  ids: StackArmIds;
  /** The resources behind each scope, so every assignment waits for what it is granted on. */
  resources: Record<AccessScope, pulumi.Resource>;
  /** Validated, de-duplicated principals (object ids lower-cased). */
  principals: readonly Principal[];
}

export class Access extends pulumi.ComponentResource {
  readonly assignments: authorization.RoleAssignment[] = [];

  constructor(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("access", "Access"), name, {}, opts);
    for (const principal of args.principals) {
      for (const { role, scope } of PEOPLE_ROLES) {
        this.assignments.push(
          grantRole(
            `${name}-${role}-${principal.objectId}`,
            {
              role,
              principalId: principal.objectId,
              principalType: principal.type,
              scope: args.ids[scope],
              scopeResource: args.resources[scope],
              subscriptionId: args.subscriptionId,
            },
            { parent: this },
          ),
        );
      }
    }
    this.registerOutputs({ assignmentCount: this.assignments.length });
  }
}
