/**
 * Built-in Azure role definitions the stack assigns, by their fixed GUIDs
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), the roles Azure
 * assigns by itself (which the stack must never assign again), and the deterministic name of
 * each assignment.
 *
 * Names: a role assignment's name must be a GUID, and "role assignment resource names must be
 * unique within the Microsoft Entra tenant, even if the scope of the role assignment is
 * narrower" (https://learn.microsoft.com/azure/role-based-access-control/role-assignments#name).
 * The name is therefore derived from the full scope (which holds the subscription, the stack's
 * resource group and the resource), the principal and the role definition, as Microsoft's
 * Bicep guidance does with `guid(scope, principalId, roleDefinitionId)`
 * (https://learn.microsoft.com/azure/azure-resource-manager/bicep/scenarios-rbac#name): two
 * stacks, or two clones of this repo, never derive the same name, and re-running a stack
 * derives the same one (previews stay stable).
 */
import { createHash } from "node:crypto";

export const BUILT_IN_ROLES = {
  /** Build and deploy in an AI project (fine-tune, deploy serverless endpoints), without managing the hub. */
  azureAiDeveloper: "64702f94-c441-49e6-a78b-ef80e0188fee",
  /** Create model deployments in a resource group: what project members need for serverless endpoints. */
  azureAiInferenceDeploymentOperator: "3afb7f49-54cb-416e-8c09-6dc049efa503",
  /** Read-only: project members see the hub the project lives in. */
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  /** Read and write blobs: people uploading data (portal/studio) and the deployer uploading the training files. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** Read blobs: the project's identity reads training data through the identity-based datastore. */
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  /** Files in the account's file shares (studio notebooks, prompt flow) when shared-key access is off. */
  storageFileDataPrivilegedContributor: "69566ab7-960f-475b-8e7c-b3118f30c6bd",
  /** Call AI Services with Entra ID tokens: what the hub's AAD connection needs instead of a key. */
  cognitiveServicesUser: "a97b65f3-24c7-4388-baec-2e87135dc908",
  /** Assigned by Azure itself to a hub's managed identity (see AUTOMATIC_ROLE_ASSIGNMENTS); never by the stack. */
  azureAiAdministrator: "b78c5d69-af96-48a3-bf8d-a8b4d589de94",
} as const;

export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

/** The principal types ARM accepts on write ("User", "Group" or "ServicePrincipal"). */
export const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal"] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}

/** The built-in role a role definition id names, if it is one of ours. */
export function roleOf(roleDefinitionIdValue: string): BuiltInRole | undefined {
  const guid = roleDefinitionIdValue.toLowerCase().split("/").pop();
  return (Object.keys(BUILT_IN_ROLES) as BuiltInRole[]).find((role) => BUILT_IN_ROLES[role] === guid);
}

/**
 * A role assignment Azure makes by itself. Assigning the same (principal, role, scope) again
 * under another name fails with 409 RoleAssignmentExists, so the stack must not.
 */
export interface AutomaticRoleAssignment {
  role: BuiltInRole;
  /** Who gets it, in words. */
  principal: string;
  /** On what, in words. */
  scope: string;
  source: string;
}

export const AUTOMATIC_ROLE_ASSIGNMENTS: readonly AutomaticRoleAssignment[] = [
  {
    // "Models as a service | System-assigned managed identity | Storage Blob Data Contributor |
    // The hub's managed identity. Automatically assigned the role when you provision the hub.
    // Don't manually change this role assignment."
    role: "storageBlobDataContributor",
    principal: "the hub's system-assigned identity (identity-based system datastores)",
    scope: "the hub's storage account",
    source:
      "https://learn.microsoft.com/azure/ai-foundry/how-to/disable-local-auth#scenarios-for-hub-storage-account-role-assignments (MicrosoftDocs/azure-ai-docs, articles/ai-foundry/how-to/disable-local-auth.md)",
  },
  {
    // "Azure AI Administrator | Automatically assigned to the hub's system-assigned managed identity."
    role: "azureAiAdministrator",
    principal: "the hub's system-assigned identity",
    scope: "the hub's resource group",
    source:
      "https://learn.microsoft.com/azure/ai-foundry/concepts/hub-rbac-azure-ai-foundry#default-roles-for-the-hub (MicrosoftDocs/azure-ai-docs, articles/ai-foundry/concepts/hub-rbac-azure-ai-foundry.md)",
  },
];

/** A GUID (RFC 4122 layout, version 5 style) derived from the parts: same parts, same GUID. */
export function deterministicGuid(...parts: string[]): string {
  const hex = createHash("sha1").update(parts.join("|")).digest("hex").slice(0, 32).split("");
  hex[12] = "5";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The name of the assignment of `roleDefinitionIdValue` to `principalId` on `scope`. ARM ids and
 * object ids are case-insensitive, so they are lower-cased first: a different spelling of the
 * same id must not rename (and so replace) the assignment.
 */
export function roleAssignmentName(scope: string, principalId: string, roleDefinitionIdValue: string): string {
  return deterministicGuid(scope.toLowerCase(), principalId.toLowerCase(), roleDefinitionIdValue.toLowerCase());
}
