/**
 * Storage accounts hold the training data. Each setting below is required *explicitly*:
 * Azure's defaults for them changed across API versions (e.g. the minimum TLS version
 * defaulted to 1.0 for years), so a stack that leaves them unset depends on whichever API
 * version the provider happens to call.
 */
import { T, type Finding, type ResourceRule, type ResourceUnderTest, type StackResource, type StackRule } from "./types";
import { at, equalsIgnoreCase, nestedProperties, show } from "./values";

const account = (r: ResourceUnderTest) => `Storage account "${r.name}"`;

/** `SystemDatastoresAuthMode.Identity` in @pulumi/azure-native (types/enums/machinelearningservices). */
export const SYSTEM_DATASTORES_IDENTITY = "Identity";

export const noPublicBlobAccessRule: ResourceRule = {
  kind: "resource",
  name: "storage-no-public-blob-access",
  description: "Storage accounts set allowBlobPublicAccess: false and no blob container allows anonymous access.",
  levels: ["mandatory"],
  types: [T.storageAccount, T.blobContainer],
  check(resource: ResourceUnderTest): Finding[] {
    if (resource.type === T.blobContainer) {
      const access = resource.props.publicAccess;
      if (access === undefined || equalsIgnoreCase(access, "None")) return [];
      return [
        {
          enforcement: "mandatory",
          message:
            `Blob container "${resource.name}" has publicAccess ${show(access)}, which lets anyone on the internet read the training data. ` +
            `Fix: remove publicAccess from the container (or set it to "None").`,
        },
      ];
    }
    const allow = resource.props.allowBlobPublicAccess;
    if (allow === false) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${account(resource)} has allowBlobPublicAccess ${show(allow)}; it must be false so no container can be made public. ` +
          `Fix: set \`allowBlobPublicAccess: false\` on the StorageAccount.`,
      },
    ];
  },
};

export const httpsOnlyRule: ResourceRule = {
  kind: "resource",
  name: "storage-https-only",
  description: "Storage accounts set enableHttpsTrafficOnly: true.",
  levels: ["mandatory"],
  types: [T.storageAccount],
  check(resource: ResourceUnderTest): Finding[] {
    const httpsOnly = resource.props.enableHttpsTrafficOnly;
    if (httpsOnly === true) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${account(resource)} has enableHttpsTrafficOnly ${show(httpsOnly)}; data and keys must never travel over plain HTTP. ` +
          `Fix: set \`enableHttpsTrafficOnly: true\` on the StorageAccount.`,
      },
    ];
  },
};

/** Versions Azure accepts that are 1.2 or newer. */
const SAFE_TLS_VERSIONS = ["TLS1_2", "TLS1_3"];

export const minimumTlsRule: ResourceRule = {
  kind: "resource",
  name: "storage-min-tls-1-2",
  description: 'Storage accounts set minimumTlsVersion to "TLS1_2" or newer.',
  levels: ["mandatory"],
  types: [T.storageAccount],
  check(resource: ResourceUnderTest): Finding[] {
    const version = resource.props.minimumTlsVersion;
    if (SAFE_TLS_VERSIONS.some((v) => equalsIgnoreCase(version, v))) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${account(resource)} has minimumTlsVersion ${show(version)}; TLS 1.0 and 1.1 are broken and retired by Azure. ` +
          `Fix: set \`minimumTlsVersion: "TLS1_2"\` on the StorageAccount.`,
      },
    ];
  },
};

/**
 * True when the resource reaches storage with an identity rather than account keys: an
 * Azure ML datastore with `credentials.credentialsType: "None"` (the workspace or user
 * identity is used), or a workspace with `systemDatastoresAuthMode: "Identity"` (azure-native's
 * enum `SystemDatastoresAuthMode.Identity`; Learn's ARM templates write "identity", and ARM
 * compares enum values case-insensitively, so both spellings count).
 */
function usesIdentity(resource: StackResource): boolean {
  if (resource.type === T.datastore) {
    return equalsIgnoreCase(at(nestedProperties(resource.type, resource.props), "credentials", "credentialsType"), "None");
  }
  if (resource.type === T.mlWorkspace) return equalsIgnoreCase(resource.props.systemDatastoresAuthMode, SYSTEM_DATASTORES_IDENTITY);
  return false;
}

/** Does `user` point at `storage`: by dependency, by account name, or by ARM id? */
function pointsAt(user: StackResource, storage: StackResource): boolean {
  if (user.dependsOn.includes(storage.urn)) return true;
  const names = [storage.props.accountName, storage.props.name].filter((n): n is string => typeof n === "string" && n !== "");
  const referenced = user.type === T.datastore ? at(nestedProperties(user.type, user.props), "accountName") : user.props.storageAccount;
  if (typeof referenced !== "string") return false;
  return names.some((n) => referenced === n || referenced.toLowerCase().endsWith(`/storageaccounts/${n.toLowerCase()}`));
}

export const sharedKeyOffRule: StackRule = {
  kind: "stack",
  name: "storage-shared-key-off-for-identity-datastores",
  description: "Storage accounts used by identity-based datastores set allowSharedKeyAccess: false.",
  levels: ["mandatory"],
  check(resources: readonly StackResource[]): Finding[] {
    const identityUsers = resources.filter(usesIdentity);
    const findings: Finding[] = [];
    for (const storage of resources.filter((r) => r.type === T.storageAccount)) {
      if (storage.props.allowSharedKeyAccess === false) continue;
      const users = identityUsers.filter((u) => pointsAt(u, storage));
      if (users.length === 0) continue;
      findings.push({
        enforcement: "mandatory",
        urn: storage.urn,
        resourceName: storage.name,
        message:
          `${account(storage)} has allowSharedKeyAccess ${show(storage.props.allowSharedKeyAccess)} although ` +
          `${users.map((u) => `"${u.name}"`).join(", ")} reach${users.length === 1 ? "es" : ""} it with an identity; ` +
          `leaving account keys on keeps a second, unaudited way in. Fix: set \`allowSharedKeyAccess: false\` on the StorageAccount.`,
      });
    }
    return findings;
  },
};
