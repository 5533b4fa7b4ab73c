/**
 * The pure derivations other folders build resources from: ARM ids (config/armIds.ts), tags
 * (config/tags.ts), data asset versions and blob paths (config/dataAssets.ts), network resource
 * names (config/networkNames.ts) and what each environment kind decides (config/environments.ts).
 * Expected values are written out; the stack dev's hash is 15d299 (see naming.test.ts).
 */
import { stackArmIds } from "../../config/armIds";
import { blobPath, contentVersion, DATA_ASSET_NAMES } from "../../config/dataAssets";
import { environmentPolicy, ENVIRONMENT_KINDS } from "../../config/environments";
import { stackNames, type NamingInput } from "../../config/naming";
import { networkNames } from "../../config/networkNames";
import { REQUIRED_TAGS, stackTags } from "../../config/tags";
import { REQUIRED_TAGS as POLICY_REQUIRED_TAGS } from "../../policy/rules/tags";

const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const dev: NamingInput = { prefix: "llft", project: "llama-finetune-env", stack: "dev", subscriptionId: SUB };

describe("stackArmIds", () => {
  test("the ids ARM gives the stack's resources, from their names", () => {
    const rg = `/subscriptions/${SUB}/resourceGroups/llft-rg-dev-15d299`;
    expect(stackArmIds(SUB, stackNames(dev))).toEqual({
      subscription: `/subscriptions/${SUB}`,
      resourceGroup: rg,
      storageAccount: `${rg}/providers/Microsoft.Storage/storageAccounts/llftstdev15d299`,
      trainingContainer: `${rg}/providers/Microsoft.Storage/storageAccounts/llftstdev15d299/blobServices/default/containers/training-data`,
      keyVault: `${rg}/providers/Microsoft.KeyVault/vaults/llft-kv-dev-15d299`,
      appInsights: `${rg}/providers/Microsoft.Insights/components/llft-appi-dev-15d299`,
      aiServices: `${rg}/providers/Microsoft.CognitiveServices/accounts/llft-ais-dev-15d299`,
      hub: `${rg}/providers/Microsoft.MachineLearningServices/workspaces/llft-hub-dev-15d299`,
      project: `${rg}/providers/Microsoft.MachineLearningServices/workspaces/llft-proj-dev-15d299`,
    });
  });
});

describe("stackTags", () => {
  test("the four tags the policy pack requires, expires-on only when given", () => {
    expect(stackTags({ environment: "test", stack: "pr-42", costCenter: "cc-1" })).toEqual({ environment: "test", stack: "pr-42", "cost-center": "cc-1", "managed-by": "pulumi" });
    expect(stackTags({ environment: "test", stack: "pr-42", costCenter: "cc-1", expiresOn: "2026-12-31" })).toEqual({
      environment: "test",
      stack: "pr-42",
      "cost-center": "cc-1",
      "managed-by": "pulumi",
      "expires-on": "2026-12-31",
    });
    expect(REQUIRED_TAGS).toEqual(["environment", "stack", "cost-center", "managed-by"]);
    expect([...POLICY_REQUIRED_TAGS]).toEqual([...REQUIRED_TAGS]);
  });
});

describe("data assets", () => {
  // SHA-256 of "abc" (FIPS 180-2 test vector).
  const sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  test("one asset per role; the version is 12 hex digits of the content hash; the blob path nests asset and version", () => {
    expect(DATA_ASSET_NAMES).toEqual({ training: "training", validation: "validation" });
    expect(contentVersion(sha)).toBe("ba7816bf8f01");
    expect(blobPath({ assetName: "training", sha256: sha })).toBe("training/ba7816bf8f01/training.jsonl");
  });
});

describe("networkNames", () => {
  test("network, subnet and link names of stack dev; endpoint names per target and group, cut at 80", () => {
    const names = networkNames(dev);
    expect([names.virtualNetwork, names.subnet, names.zoneLink]).toEqual(["llft-vnet-dev-15d299", "private-endpoints", "llft-dev-15d299"]);
    expect(names.privateEndpoint("llft-kv-dev-15d299", "vault")).toBe("pe-llft-kv-dev-15d299-vault");
    expect(names.privateEndpoint("x".repeat(90), "account")).toBe(`pe-${"x".repeat(77)}`);
  });

  test("a long stack name is cut to 40 characters, without a trailing hyphen", () => {
    // hash 0eed82 (naming.test.ts): the first 40 characters of the slug end in "branch-n".
    expect(networkNames({ ...dev, stack: "pr-99999-extremely-long-feature-branch-name" }).virtualNetwork).toBe("llft-vnet-pr-99999-extremely-long-feature-branch-n-0eed82");
    // 39 letters, then "-b" (hash e90a05): the cut ends on the hyphen, which is dropped.
    expect(networkNames({ ...dev, stack: `${"a".repeat(39)}-b` }).zoneLink).toBe(`llft-${"a".repeat(39)}-e90a05`);
  });
});

describe("environment kinds", () => {
  test("prod protects its data, keeps vaults 90 days with purge protection and is private; dev and test are cheap to tear down", () => {
    expect(ENVIRONMENT_KINDS).toEqual(["prod", "dev", "test"]);
    expect(environmentPolicy("prod")).toEqual({ protectData: true, keyVaultPurgeProtection: true, keyVaultSoftDeleteRetentionDays: 90, networkModeByDefault: "private", contentSafetyByDefault: true });
    for (const kind of ["dev", "test"] as const) {
      expect(environmentPolicy(kind)).toEqual({ protectData: false, keyVaultPurgeProtection: false, keyVaultSoftDeleteRetentionDays: 7, networkModeByDefault: "public", contentSafetyByDefault: true });
    }
  });
});
