/**
 * Built-in Azure role definitions the stack assigns, by their fixed GUIDs
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), and a
 * deterministic name for each assignment (role assignment names must be GUIDs; deriving them
 * from what they grant keeps previews stable and makes re-creation idempotent).
 */
import { createHash } from "node:crypto";

export const BUILT_IN_ROLES = {
  /** Build and deploy in an AI project (fine-tune, deploy serverless endpoints), without managing the hub. */
  azureAiDeveloper: "64702f94-c441-49e6-a78b-ef80e0188fee",
  /** Read and write blobs: the hub's identity for its identity-based system datastores; people uploading data. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** Read blobs: the project's identity reads training data through the identity-based datastore. */
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  /** Call AI Services with Entra ID tokens: what the hub's AAD connection needs instead of a key. */
  cognitiveServicesUser: "a97b65f3-24c7-4388-baec-2e87135dc908",
} as const;

export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}

/** A GUID (RFC 4122 layout, version 5 style) derived from the parts: same parts, same GUID. */
export function deterministicGuid(...parts: string[]): string {
  const hex = createHash("sha1").update(parts.join("|")).digest("hex").slice(0, 32).split("");
  hex[12] = "5";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
