import { dataProtectionRule, DATA_RESOURCE_TYPES } from "../../policy/rules/dataProtection";
import { resource, storageProps, vaultProps, workspaceProps } from "./fixtures";

const SA = "azure-native:storage:StorageAccount";

describe("data-resources-protected-in-prod", () => {
  it("covers storage, key vaults and hub/project workspaces (what config/environments.ts protects)", () => {
    expect(DATA_RESOURCE_TYPES).toEqual(["azure-native:storage:StorageAccount", "azure-native:keyvault:Vault", "azure-native:machinelearningservices:Workspace"]);
  });

  it("passes protected prod data resources", () => {
    expect(dataProtectionRule.check(resource(SA, "storage", storageProps("prod"), { protect: true }))).toEqual([]);
    expect(dataProtectionRule.check(resource("azure-native:keyvault:Vault", "kv", vaultProps("prod"), { protect: true }))).toEqual([]);
  });

  it("refuses an unprotected prod data resource", () => {
    const [finding] = dataProtectionRule.check(resource("azure-native:machinelearningservices:Workspace", "aihub", workspaceProps("prod", "Hub"), { protect: false }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain('azure-native:machinelearningservices:Workspace "aihub" (environment prod) holds data but is not protected');
    expect(finding.message).toContain("`protect: true`");
  });

  it("does not require protection in dev and test", () => {
    expect(dataProtectionRule.check(resource(SA, "storage", storageProps("dev"), { stack: "dev" }))).toEqual([]);
    expect(dataProtectionRule.check(resource(SA, "storage", storageProps("test"), { stack: "test" }))).toEqual([]);
  });
});
