import { keyVaultPurgeProtectionRule, keyVaultRbacRule } from "../../policy/rules/keyVault";
import { resource, vaultProps } from "./fixtures";

const KV = "azure-native:keyvault:Vault";
const withProperties = (env: "prod" | "dev", change: Record<string, unknown>) => {
  const base = vaultProps(env);
  return { ...base, properties: { ...base.properties, ...change } };
};

describe("key-vault-rbac-authorization", () => {
  it("passes enableRbacAuthorization true", () => {
    expect(keyVaultRbacRule.check(resource(KV, "kv", vaultProps("dev")))).toEqual([]);
  });
  it("refuses access-policy vaults (false or unset), in every environment", () => {
    for (const value of [false, undefined]) {
      const [finding] = keyVaultRbacRule.check(resource(KV, "kv", withProperties("dev", { enableRbacAuthorization: value }), { stack: "dev" }));
      expect(finding.enforcement).toBe("mandatory");
      expect(finding.message).toContain(`Key vault "kv" has properties.enableRbacAuthorization ${value === undefined ? "not set" : "false"}`);
      expect(finding.message).toContain("set `properties.enableRbacAuthorization: true`");
    }
  });
});

describe("key-vault-purge-protection-in-prod", () => {
  it("passes a prod vault with purge protection and soft delete", () => {
    expect(keyVaultPurgeProtectionRule.check(resource(KV, "kv", vaultProps("prod")))).toEqual([]);
  });
  it("refuses a prod vault without purge protection", () => {
    const [finding] = keyVaultPurgeProtectionRule.check(resource(KV, "kv", withProperties("prod", { enablePurgeProtection: false })));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain('Key vault "kv" (environment prod) has properties.enablePurgeProtection false (must be true)');
    expect(finding.message).toContain("set `properties.enablePurgeProtection: true`");
  });
  it("refuses a prod vault with soft delete off", () => {
    const [finding] = keyVaultPurgeProtectionRule.check(resource(KV, "kv", withProperties("prod", { enableSoftDelete: false })));
    expect(finding.message).toContain("properties.enableSoftDelete false (purge protection needs soft delete)");
  });
  it("names both problems of a prod vault without purge protection and soft delete", () => {
    const [finding, ...rest] = keyVaultPurgeProtectionRule.check(resource(KV, "kv", withProperties("prod", { enablePurgeProtection: false, enableSoftDelete: false })));
    expect(rest).toEqual([]);
    expect(finding.message).toBe(
      'Key vault "kv" (environment prod) has properties.enablePurgeProtection false (must be true) and properties.enableSoftDelete false (purge protection needs soft delete); ' +
        "a deleted prod vault could be purged with its secrets. Fix: set `properties.enablePurgeProtection: true` and leave soft delete on (the stack does this when `environment` is prod).",
    );
  });
  it("does not require purge protection outside prod (it would reserve the vault name)", () => {
    expect(keyVaultPurgeProtectionRule.check(resource(KV, "kv", withProperties("dev", { enablePurgeProtection: undefined }), { stack: "dev" }))).toEqual([]);
  });
  it("requires it when the environment tag is missing (strict by default)", () => {
    const props = { ...withProperties("dev", { enablePurgeProtection: undefined }), tags: {} };
    const [finding] = keyVaultPurgeProtectionRule.check(resource(KV, "kv", props, { stack: "dev" }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain("environment prod, assumed");
  });
});
