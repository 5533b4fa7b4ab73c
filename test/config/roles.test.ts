/**
 * config/roles.ts: the built-in role ids the stack assigns, as Learn's "Azure built-in roles"
 * table lists them (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles,
 * MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles.md: "AI + machine
 * learning" and "Storage" sections; Reader under "General"), and the deterministic assignment
 * names. Expected GUIDs of names are computed outside the code: SHA-1 of the parts joined by "|"
 * (`printf 'a|b' | sha1sum` → 9abe6de24a871364bf41...), version nibble 5, variant bits 10.
 */
import { AUTOMATIC_ROLE_ASSIGNMENTS, BUILT_IN_ROLES, deterministicGuid, PRINCIPAL_TYPES, roleAssignmentName, roleDefinitionId, roleOf } from "../../config/roles";

const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";

describe("built-in roles", () => {
  test("each id is the one Learn lists for the role", () => {
    expect(BUILT_IN_ROLES).toEqual({
      azureAiDeveloper: "64702f94-c441-49e6-a78b-ef80e0188fee", // Azure AI Developer
      azureAiInferenceDeploymentOperator: "3afb7f49-54cb-416e-8c09-6dc049efa503", // Azure AI Inference Deployment Operator
      reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7", // Reader
      storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor
      storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Storage Blob Data Reader
      storageFileDataPrivilegedContributor: "69566ab7-960f-475b-8e7c-b3118f30c6bd", // Storage File Data Privileged Contributor
      cognitiveServicesUser: "a97b65f3-24c7-4388-baec-2e87135dc908", // Cognitive Services User
      azureAiAdministrator: "b78c5d69-af96-48a3-bf8d-a8b4d589de94", // Azure AI Administrator
    });
  });

  test("a role definition id is the subscription's roleDefinitions/<guid>", () => {
    expect(roleDefinitionId(SUB, "reader")).toBe(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`);
  });

  test("roleOf names the role behind a definition id in any case, and nothing for other roles", () => {
    expect(roleOf(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/BA92F5B4-2D11-453D-A403-E96B0029C9FE`)).toBe("storageBlobDataContributor");
    expect(roleOf("b78c5d69-af96-48a3-bf8d-a8b4d589de94")).toBe("azureAiAdministrator");
    // Contributor: a built-in role the stack never assigns.
    expect(roleOf(`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`)).toBeUndefined();
  });

  test("principal types are the three ARM accepts on write", () => {
    expect(PRINCIPAL_TYPES).toEqual(["User", "Group", "ServicePrincipal"]);
  });

  test("the roles Azure assigns by itself are the hub identity's Storage Blob Data Contributor and Azure AI Administrator, each with its Learn page", () => {
    expect(AUTOMATIC_ROLE_ASSIGNMENTS.map((a) => [a.role, a.principal, a.scope])).toEqual([
      ["storageBlobDataContributor", "the hub's system-assigned identity (identity-based system datastores)", "the hub's storage account"],
      ["azureAiAdministrator", "the hub's system-assigned identity", "the hub's resource group"],
    ]);
    expect(AUTOMATIC_ROLE_ASSIGNMENTS.map((a) => a.source)).toEqual([
      "https://learn.microsoft.com/azure/ai-foundry/how-to/disable-local-auth#scenarios-for-hub-storage-account-role-assignments (MicrosoftDocs/azure-ai-docs, articles/ai-foundry/how-to/disable-local-auth.md)",
      "https://learn.microsoft.com/azure/ai-foundry/concepts/hub-rbac-azure-ai-foundry#default-roles-for-the-hub (MicrosoftDocs/azure-ai-docs, articles/ai-foundry/concepts/hub-rbac-azure-ai-foundry.md)",
    ]);
  });
});

describe("assignment names", () => {
  test("deterministicGuid is SHA-1 of the parts laid out as a version-5 GUID", () => {
    expect(deterministicGuid("a", "b")).toBe("9abe6de2-4a87-5364-bf41-2a1c301698b5");
  });

  test("roleAssignmentName lower-cases scope, principal and role before hashing", () => {
    const scope = `/subscriptions/${SUB}/resourceGroups/llft-rg-dev-15d299`;
    const expected = "b0658d50-1066-5945-a19f-de48732e7f06";
    expect(roleAssignmentName(scope, "5f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", roleDefinitionId(SUB, "reader"))).toBe(expected);
    expect(roleAssignmentName(scope.toUpperCase(), "5F0E7C1A-2B3C-4D5E-8F90-A1B2C3D4E5F6", roleDefinitionId(SUB, "reader").toUpperCase())).toBe(expected);
  });
});
