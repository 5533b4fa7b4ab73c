/**
 * Helpers the rules share: type tokens, reading inputs, the dependency graph.
 */
import { buildGraph } from "../plan/graph";
import { UNKNOWN_SHOWN, type PlannedResource } from "../plan/types";

export const T = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  storageAccount: "azure-native:storage:StorageAccount",
  blobContainer: "azure-native:storage:BlobContainer",
  keyVault: "azure-native:keyvault:Vault",
  logAnalytics: "azure-native:operationalinsights:Workspace",
  appInsights: "azure-native:applicationinsights:Component",
  aiServices: "azure-native:cognitiveservices:Account",
  mlWorkspace: "azure-native:machinelearningservices:Workspace",
  dataContainer: "azure-native:machinelearningservices:DataContainer",
  dataVersion: "azure-native:machinelearningservices:DataVersion",
  marketplaceSubscription: "azure-native:machinelearningservices:MarketplaceSubscription",
  serverlessEndpoint: "azure-native:machinelearningservices:ServerlessEndpoint",
  budget: "azure-native:consumption:Budget",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  blobUpload: "pulumi-nodejs:dynamic/llama-finetune:BlobUpload",
  providerRegistration: "pulumi-nodejs:dynamic/llama-finetune:ProviderRegistration",
  dataAsset: "pulumi-nodejs:dynamic/llama-finetune:DataAsset",
  dataAssetVersion: "pulumi-nodejs:dynamic/llama-finetune:DataAssetVersion",
} as const;

export function get(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_SHOWN;
}

/** A known, non-empty string value, or undefined (absent or unknown until deployed). */
export function known(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
}

export const ofType = (resources: readonly PlannedResource[], type: string) => resources.filter((r) => r.custom && r.type === type);

/** URNs an input's value came from; falls back to all dependencies for plans without property dependencies. */
export function sourcesOf(r: PlannedResource, input: string): readonly string[] {
  return r.propertyDependencies ? (r.propertyDependencies[input] ?? []) : r.dependsOn;
}

/** `from` depends on `to`, directly or through others (components expanded to their resources). */
export function dependencyOracle(resources: readonly PlannedResource[]): (from: string, to: string) => boolean {
  const { edges } = buildGraph(resources);
  const closure = new Map<string, Set<string>>();
  const reach = (urn: string): Set<string> => {
    const cached = closure.get(urn);
    if (cached) return cached;
    const seen = new Set<string>();
    closure.set(urn, seen);
    for (const dep of edges.get(urn) ?? []) {
      seen.add(dep);
      for (const d of reach(dep)) seen.add(d);
    }
    return seen;
  };
  return (from, to) => reach(from).has(to);
}

/** The last segment of an ARM id, lower-cased, e.g. the account name of a storage account id. */
export function lastSegment(id: string): string {
  return id.replace(/\/+$/, "").split("/").pop()!.toLowerCase();
}
