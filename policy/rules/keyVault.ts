/**
 * Key vaults hold the connection secrets of the hub. RBAC authorization puts vault access
 * under the same role assignments and audit as everything else (access policies are a
 * separate, easily forgotten permission model). Purge protection stops a deleted prod vault
 * from being purged before the retention period ends; it is prod-only because it can never
 * be turned off and keeps the vault name reserved, which would break short-lived stacks.
 */
import { describeEnvironment, resourceEnvironment } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";
import { at, show } from "./values";

export const keyVaultRbacRule: ResourceRule = {
  kind: "resource",
  name: "key-vault-rbac-authorization",
  description: "Key vaults set properties.enableRbacAuthorization: true.",
  levels: ["mandatory"],
  types: [T.keyVault],
  check(resource: ResourceUnderTest): Finding[] {
    const rbac = at(resource.props, "properties", "enableRbacAuthorization");
    if (rbac === true) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `Key vault "${resource.name}" has properties.enableRbacAuthorization ${show(rbac)}; access policies bypass the stack's role assignments. ` +
          `Fix: set \`properties.enableRbacAuthorization: true\` on the Vault and grant access with role assignments.`,
      },
    ];
  },
};

export const keyVaultPurgeProtectionRule: ResourceRule = {
  kind: "resource",
  name: "key-vault-purge-protection-in-prod",
  description: "Prod key vaults keep soft delete and set properties.enablePurgeProtection: true (not checked outside prod).",
  levels: ["mandatory"],
  types: [T.keyVault],
  check(resource: ResourceUnderTest): Finding[] {
    const env = resourceEnvironment(resource);
    if (env.kind !== "prod") return [];
    const purge = at(resource.props, "properties", "enablePurgeProtection");
    const softDelete = at(resource.props, "properties", "enableSoftDelete");
    const problems: string[] = [];
    if (purge !== true) problems.push(`properties.enablePurgeProtection ${show(purge)} (must be true)`);
    if (softDelete === false) problems.push("properties.enableSoftDelete false (purge protection needs soft delete)");
    if (problems.length === 0) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `Key vault "${resource.name}" (${describeEnvironment(env)}) has ${problems.join(" and ")}; a deleted prod vault could be purged with its secrets. ` +
          `Fix: set \`properties.enablePurgeProtection: true\` and leave soft delete on (the stack does this when \`environment\` is prod).`,
      },
    ];
  },
};
