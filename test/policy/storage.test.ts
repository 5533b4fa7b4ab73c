import { httpsOnlyRule, minimumTlsRule, noPublicBlobAccessRule, sharedKeyOffRule } from "../../policy/rules/storage";
import type { StackResource } from "../../policy/rules";
import { resource, storageProps, urnOf } from "./fixtures";

const SA = "azure-native:storage:StorageAccount";
const CONTAINER = "azure-native:storage:BlobContainer";
const DATASTORE = "azure-native:machinelearningservices:Datastore";
const WORKSPACE = "azure-native:machinelearningservices:Workspace";

describe("storage-no-public-blob-access", () => {
  it("passes an account with allowBlobPublicAccess false and a private container", () => {
    expect(noPublicBlobAccessRule.check(resource(SA, "st", storageProps("dev")))).toEqual([]);
    expect(noPublicBlobAccessRule.check(resource(CONTAINER, "c", { accountName: "a" }))).toEqual([]);
    expect(noPublicBlobAccessRule.check(resource(CONTAINER, "c", { publicAccess: "None" }))).toEqual([]);
  });

  it("refuses an account that allows, or does not forbid, public blob access", () => {
    for (const value of [true, undefined]) {
      const [finding] = noPublicBlobAccessRule.check(resource(SA, "st", { ...storageProps("dev"), allowBlobPublicAccess: value }));
      expect(finding.enforcement).toBe("mandatory");
      expect(finding.message).toContain(`Storage account "st" has allowBlobPublicAccess ${value === undefined ? "not set" : "true"}`);
      expect(finding.message).toContain("set `allowBlobPublicAccess: false`");
    }
  });

  it("refuses a container with anonymous access", () => {
    const [finding] = noPublicBlobAccessRule.check(resource(CONTAINER, "training", { publicAccess: "Container" }));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain('Blob container "training" has publicAccess "Container"');
  });
});

describe("storage-https-only", () => {
  it("passes enableHttpsTrafficOnly true", () => {
    expect(httpsOnlyRule.check(resource(SA, "st", storageProps("prod")))).toEqual([]);
  });
  it("refuses false or unset", () => {
    const [off] = httpsOnlyRule.check(resource(SA, "st", { ...storageProps("prod"), enableHttpsTrafficOnly: false }));
    expect(off.enforcement).toBe("mandatory");
    expect(off.message).toContain('Storage account "st" has enableHttpsTrafficOnly false');
    expect(off.message).toContain("set `enableHttpsTrafficOnly: true`");
    const { enableHttpsTrafficOnly: _omit, ...unset } = storageProps("prod");
    expect(httpsOnlyRule.check(resource(SA, "st", unset))[0].message).toContain("enableHttpsTrafficOnly not set");
  });
});

describe("storage-min-tls-1-2", () => {
  it("passes TLS1_2 and TLS1_3", () => {
    expect(minimumTlsRule.check(resource(SA, "st", storageProps("dev")))).toEqual([]);
    expect(minimumTlsRule.check(resource(SA, "st", { ...storageProps("dev"), minimumTlsVersion: "TLS1_3" }))).toEqual([]);
  });
  it("refuses TLS1_0, TLS1_1 and unset", () => {
    for (const version of ["TLS1_0", "TLS1_1", undefined]) {
      const [finding] = minimumTlsRule.check(resource(SA, "st", { ...storageProps("dev"), minimumTlsVersion: version }));
      expect(finding.enforcement).toBe("mandatory");
      expect(finding.message).toContain(`has minimumTlsVersion ${version === undefined ? "not set" : `"${version}"`}`);
      expect(finding.message).toContain('set `minimumTlsVersion: "TLS1_2"`');
    }
  });
});

describe("storage-shared-key-off-for-identity-datastores", () => {
  const stack = (storage: Record<string, unknown>, datastore: Record<string, unknown>, dependsOn: string[] = []): StackResource[] => [
    { ...resource(SA, "storage", storage), dependsOn: [] },
    { ...resource(DATASTORE, "training_data", datastore), dependsOn },
  ];
  const identityDatastore = (accountName?: string) => ({ properties: { datastoreType: "AzureBlob", accountName, credentials: { credentialsType: "None" } } });
  const keyDatastore = { properties: { datastoreType: "AzureBlob", accountName: "llftprodst1a2b", credentials: { credentialsType: "AccountKey" } } };

  it("passes when the account used by an identity datastore has shared keys off", () => {
    expect(sharedKeyOffRule.check(stack(storageProps("prod"), identityDatastore("llftprodst1a2b")))).toEqual([]);
  });

  it("refuses shared keys on an account an identity datastore uses, matched by account name", () => {
    const [finding, ...rest] = sharedKeyOffRule.check(stack({ ...storageProps("prod"), allowSharedKeyAccess: true }, identityDatastore("llftprodst1a2b")));
    expect(rest).toEqual([]);
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.urn).toBe(urnOf("prod", SA, "storage"));
    expect(finding.resourceName).toBe("storage");
    expect(finding.message).toContain('Storage account "storage" has allowSharedKeyAccess true although "training_data" reaches it with an identity');
    expect(finding.message).toContain("set `allowSharedKeyAccess: false`");
  });

  it("matches the datastore to the account by dependency when the name is not known yet", () => {
    const unset = { ...storageProps("prod"), allowSharedKeyAccess: undefined };
    const findings = sharedKeyOffRule.check(stack(unset, identityDatastore(undefined), [urnOf("prod", SA, "storage")]));
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain("allowSharedKeyAccess not set");
  });

  it.each(["Identity", "identity"])("also counts a workspace whose system datastores use identity (spelt %s)", (mode) => {
    const resources: StackResource[] = [
      { ...resource(SA, "storage", { ...storageProps("prod"), allowSharedKeyAccess: true }), dependsOn: [] },
      { ...resource(WORKSPACE, "aihub", { kind: "Hub", systemDatastoresAuthMode: mode, storageAccount: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/llftprodst1a2b" }), dependsOn: [] },
    ];
    expect(sharedKeyOffRule.check(resources)[0].message).toContain('"aihub" reaches it with an identity');
  });

  it("counts only datastores and workspaces as identity users, and never matches an empty name", () => {
    const shared = { ...storageProps("prod"), allowSharedKeyAccess: true };
    const storageUrn = urnOf("prod", SA, "storage");
    const others: StackResource[] = [
      { ...resource(SA, "storage", shared), dependsOn: [] },
      // Depend on the account and carry identity-looking inputs, but are neither a datastore nor a workspace.
      { ...resource(CONTAINER, "training", { accountName: "llftprodst1a2b", systemDatastoresAuthMode: "Identity" }), dependsOn: [storageUrn] },
      { ...resource("azure-native:cognitiveservices:Account", "ai", { systemDatastoresAuthMode: "Identity", storageAccount: "llftprodst1a2b" }), dependsOn: [storageUrn] },
    ];
    expect(sharedKeyOffRule.check(others)).toEqual([]);
    const unnamed: StackResource[] = [
      { ...resource(SA, "storage", { ...shared, accountName: "" }), dependsOn: [] },
      { ...resource(DATASTORE, "training_data", identityDatastore("")), dependsOn: [] },
    ];
    expect(sharedKeyOffRule.check(unnamed)).toEqual([]);
  });

  it("does not apply to accounts only reached with keys, or not used by a datastore", () => {
    const shared = { ...storageProps("prod"), allowSharedKeyAccess: true };
    expect(sharedKeyOffRule.check(stack(shared, keyDatastore))).toEqual([]);
    expect(sharedKeyOffRule.check(stack(shared, identityDatastore("someoneelse")))).toEqual([]);
  });
});
