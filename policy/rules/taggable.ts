/**
 * Which resource types take tags, and where azure-native keeps them.
 *
 * Decided per type token from the `Args` types in `@pulumi/azure-native` 3.28
 * (`<module>/<resource>.d.ts` and `types/input.d.ts`); `test/policy/tags.test.ts` re-reads
 * those files so the list cannot drift silently when the SDK is upgraded:
 * - top-level `tags`: ResourceGroup, StorageAccount, Vault, Log Analytics workspace,
 *   Application Insights component, Cognitive Services account, ML Workspace (hub/project),
 *   ServerlessEndpoint;
 * - `properties.tags` (Azure ML asset metadata, not ARM tags): Datastore, DataContainer, DataVersion,
 *   and the stack's own DataAsset/DataAssetVersion dynamic resources, which send the same body;
 * - no tags at all (not listed): BlobContainer and Blob (metadata only), WorkspaceConnection,
 *   MarketplaceSubscription, Budget, RoleAssignment, providers, dynamic resources, components.
 *
 * An azure-native type missing from the list is still checked when its inputs carry a
 * top-level `tags` object, so a new resource that is tagged gets the same scrutiny.
 */
import { T } from "./types";
import { isRecord, nestedProperties } from "./values";

export type TagLocation = "tags" | "properties.tags";

export const TAG_LOCATIONS: Readonly<Record<string, TagLocation>> = {
  [T.resourceGroup]: "tags",
  [T.storageAccount]: "tags",
  [T.keyVault]: "tags",
  [T.logAnalytics]: "tags",
  [T.appInsights]: "tags",
  [T.aiServices]: "tags",
  [T.mlWorkspace]: "tags",
  [T.serverlessEndpoint]: "tags",
  [T.datastore]: "properties.tags",
  [T.dataContainer]: "properties.tags",
  [T.dataVersion]: "properties.tags",
};

/** The stack's own (dynamic) resources that carry Azure ML asset tags; not in azure-native's SDK. */
export const OWN_TAG_LOCATIONS: Readonly<Record<string, TagLocation>> = {
  [T.dataAsset]: "properties.tags",
  [T.dataAssetVersion]: "properties.tags",
};

/** Types known to have no tags input, listed so the drift test can check them too. */
export const UNTAGGABLE_TYPES: readonly string[] = [
  T.blobContainer,
  T.blob,
  T.workspaceConnection,
  T.marketplaceSubscription,
  T.budget,
  T.roleAssignment,
];

/** Where this resource's tags live, or undefined if the type takes none. */
export function tagLocation(type: string, props: unknown): TagLocation | undefined {
  const known = TAG_LOCATIONS[type] ?? OWN_TAG_LOCATIONS[type];
  if (known) return known;
  if (type.startsWith("azure-native:") && !UNTAGGABLE_TYPES.includes(type) && isRecord(props) && isRecord(props.tags)) return "tags";
  return undefined;
}

/** The resource's tags (empty when it has none or takes none). */
export function tagsOf(type: string, props: unknown): Readonly<Record<string, unknown>> {
  const location = tagLocation(type, props);
  if (location === undefined) return {};
  const tags = location === "tags" ? (isRecord(props) ? props.tags : undefined) : nestedProperties(type, props)?.tags;
  return isRecord(tags) ? tags : {};
}
