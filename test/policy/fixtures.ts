/**
 * A compliant stack, as the offline plan would record it, for the policy tests. Each test
 * starts from it and breaks exactly one thing, so a failure points at one rule.
 */
import type { EnvironmentKind, PlannedResource } from "../../plan/types";
import type { ResourceUnderTest } from "../../policy/rules";

export const PROJECT = "llama-finetune-env";

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

export function tagsFor(env: EnvironmentKind, stack = env): Record<string, string> {
  return { environment: env, stack, "cost-center": "cc-1234", "managed-by": "pulumi" };
}

/** A resource for calling a rule's `check` directly. */
export function resource(type: string, name: string, props: Record<string, unknown>, opts: { stack?: string; protect?: boolean } = {}): ResourceUnderTest {
  return { type, name, urn: urnOf(opts.stack ?? "prod", type, name), props, protect: opts.protect };
}

export function planned(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  opts: { protect?: boolean; dependsOn?: string[]; custom?: boolean } = {},
): PlannedResource {
  return {
    urn: urnOf(stack, type, name),
    type,
    name,
    custom: opts.custom ?? true,
    dependsOn: opts.dependsOn ?? [],
    inputs,
    protect: opts.protect ?? false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
  };
}

export const CATALOG_MODEL_ID = "azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct";

export const storageProps = (env: EnvironmentKind) => ({
  accountName: "llftprodst1a2b",
  kind: "StorageV2",
  sku: { name: "Standard_LRS" },
  allowBlobPublicAccess: false,
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowSharedKeyAccess: false,
  publicNetworkAccess: env === "prod" ? "Disabled" : "Enabled",
  tags: tagsFor(env),
});

export const vaultProps = (env: EnvironmentKind) => ({
  properties: {
    tenantId: "00000000-0000-0000-0000-000000000000",
    sku: { family: "A", name: "standard" },
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    enablePurgeProtection: env === "prod" ? true : undefined,
    publicNetworkAccess: env === "prod" ? "Disabled" : "Enabled",
  },
  tags: tagsFor(env),
});

export const workspaceProps = (env: EnvironmentKind, kind: "Hub" | "Project") => ({
  kind,
  identity: { type: "SystemAssigned" },
  publicNetworkAccess: env === "prod" ? "Disabled" : "Enabled",
  systemDatastoresAuthMode: "Identity",
  tags: tagsFor(env),
});

export const endpointProps = (env: EnvironmentKind, contentSafety: "Enabled" | "Disabled" = "Enabled", modelId = CATALOG_MODEL_ID) => ({
  properties: { authMode: "Key", contentSafety: { contentSafetyStatus: contentSafety }, modelSettings: { modelId } },
  sku: { name: "Consumption" },
  tags: tagsFor(env),
});

export const budgetProps = (contactEmails: string[] = ["owner@example.com"]) => ({
  amount: 500,
  category: "Cost",
  timeGrain: "Monthly",
  scope: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg",
  timePeriod: { startDate: "2026-12-01T00:00:00Z" },
  notifications: {
    actual_GreaterThan_80_Percent: { enabled: true, operator: "GreaterThan", threshold: 80, contactEmails },
  },
});

/** Every resource type the stack registers, all compliant for `env`. */
export function compliantStack(env: EnvironmentKind): PlannedResource[] {
  const s = env;
  const prod = env === "prod";
  const storage = planned(s, "azure-native:storage:StorageAccount", "storage", storageProps(env), { protect: prod });
  return [
    planned(s, "llama-finetune:hub:AiHub", "hub", {}, { custom: false }),
    planned(s, "azure-native:resources:ResourceGroup", "rg", { tags: tagsFor(env) }),
    storage,
    planned(s, "azure-native:storage:BlobContainer", "training", { accountName: "llftprodst1a2b", resourceGroupName: "rg" }),
    planned(s, "azure-native:storage:Blob", "train.jsonl", { accountName: "llftprodst1a2b", containerName: "training", resourceGroupName: "rg" }),
    planned(s, "azure-native:keyvault:Vault", "vault", vaultProps(env), { protect: prod }),
    planned(s, "azure-native:operationalinsights:Workspace", "logs", { tags: tagsFor(env), retentionInDays: 30 }),
    planned(s, "azure-native:applicationinsights:Component", "insights", { kind: "web", applicationType: "web", tags: tagsFor(env) }),
    planned(s, "azure-native:cognitiveservices:Account", "ai", { kind: "AIServices", properties: { publicNetworkAccess: prod ? "Disabled" : "Enabled" }, tags: tagsFor(env) }),
    planned(s, "azure-native:machinelearningservices:Workspace", "aihub", workspaceProps(env, "Hub"), { protect: prod, dependsOn: [storage.urn] }),
    planned(s, "azure-native:machinelearningservices:Workspace", "project", { ...workspaceProps(env, "Project"), hubResourceId: "[unknown]" }, { protect: prod }),
    planned(s, "azure-native:machinelearningservices:WorkspaceConnection", "ai-conn", { properties: { authType: "AAD", category: "AIServices" } }),
    planned(
      s,
      "azure-native:machinelearningservices:Datastore",
      "training_data",
      { properties: { datastoreType: "AzureBlob", accountName: "llftprodst1a2b", containerName: "training", credentials: { credentialsType: "None" }, tags: tagsFor(env) } },
      { dependsOn: [storage.urn] },
    ),
    planned(s, "azure-native:machinelearningservices:DataContainer", "train", { properties: { dataType: "uri_file", tags: tagsFor(env) } }),
    planned(s, "azure-native:machinelearningservices:DataVersion", "train-1", { name: "1", properties: { dataType: "uri_file", dataUri: "azureml://x", tags: tagsFor(env) } }),
    planned(s, "azure-native:machinelearningservices:MarketplaceSubscription", "llama-sub", { properties: { modelId: CATALOG_MODEL_ID } }),
    planned(s, "azure-native:machinelearningservices:ServerlessEndpoint", "llama-ep", endpointProps(env)),
    planned(s, "azure-native:consumption:Budget", "budget", budgetProps()),
    planned(s, "azure-native:authorization:RoleAssignment", "blob-reader", { principalId: "p", roleDefinitionId: "r", scope: "s" }),
    planned(s, "pulumi-nodejs:dynamic:Resource", "token-count", { __provider: "[serialized]", tokens: 1200 }),
  ];
}

/** The stack with one resource's inputs (or options) replaced. */
export function withResource(stack: PlannedResource[], name: string, change: (r: PlannedResource) => PlannedResource): PlannedResource[] {
  const found = stack.some((r) => r.name === name);
  if (!found) throw new Error(`fixture has no resource ${name}`);
  return stack.map((r) => (r.name === name ? change(r) : r));
}
