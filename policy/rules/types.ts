/**
 * The shapes every guardrail rule shares. Rules are plain functions over plain data so that
 * the same code runs under the Pulumi CLI (CrossGuard, see `../policies.ts`) and in the
 * offline plan (`../offline.ts`), and can be unit-tested without either.
 */

/** How a violation is treated: `mandatory` stops the deployment, `advisory` only warns. */
export type Enforcement = "mandatory" | "advisory";

/** One resource as a rule sees it: CrossGuard's `args` and the plan's `PlannedResource` both map onto this. */
export interface ResourceUnderTest {
  /** Pulumi type token, e.g. `azure-native:storage:StorageAccount`. */
  readonly type: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  readonly urn: string;
  /** The resource's inputs, by azure-native input name. */
  readonly props: Readonly<Record<string, unknown>>;
  /** The `protect` resource option. */
  readonly protect?: boolean;
}

/** A resource seen by a stack-level rule, which may need to relate resources to each other. */
export interface StackResource extends ResourceUnderTest {
  /** URNs this resource depends on (explicit `dependsOn` and the dependencies its inputs carry). */
  readonly dependsOn: readonly string[];
}

/** What a rule reports: one problem, how seriously it is treated, and (for stack rules) where. */
export interface Finding {
  readonly enforcement: Enforcement;
  /** What is wrong, on which resource, and how to fix it. */
  readonly message: string;
  /** The offending resource; stack rules set it, resource rules leave it to the caller. Absent = the stack as a whole. */
  readonly urn?: string;
  readonly resourceName?: string;
}

interface RuleInfo {
  /** Unique, stable id; also the CrossGuard policy name (see `policyName`). */
  readonly name: string;
  /** One sentence for `pulumi preview` output and the README. */
  readonly description: string;
  /** The levels this rule can report; a rule with two levels becomes two CrossGuard policies. */
  readonly levels: readonly Enforcement[];
}

/** A rule that judges one resource at a time. */
export interface ResourceRule extends RuleInfo {
  readonly kind: "resource";
  /** The type tokens the rule looks at; `undefined` means every resource. */
  readonly types?: readonly string[];
  check(resource: ResourceUnderTest): Finding[];
}

/** A rule that needs the whole stack (e.g. "a budget exists"). */
export interface StackRule extends RuleInfo {
  readonly kind: "stack";
  check(resources: readonly StackResource[]): Finding[];
}

export type Rule = ResourceRule | StackRule;

/** The azure-native type tokens the rules refer to, spelled once. */
export const T = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  storageAccount: "azure-native:storage:StorageAccount",
  blobContainer: "azure-native:storage:BlobContainer",
  blob: "azure-native:storage:Blob",
  keyVault: "azure-native:keyvault:Vault",
  logAnalytics: "azure-native:operationalinsights:Workspace",
  appInsights: "azure-native:applicationinsights:Component",
  aiServices: "azure-native:cognitiveservices:Account",
  mlWorkspace: "azure-native:machinelearningservices:Workspace",
  workspaceConnection: "azure-native:machinelearningservices:WorkspaceConnection",
  datastore: "azure-native:machinelearningservices:Datastore",
  dataContainer: "azure-native:machinelearningservices:DataContainer",
  dataVersion: "azure-native:machinelearningservices:DataVersion",
  /** The stack's own data asset resources (arm/dataAssetResource.ts): same body as DataContainer/DataVersion. */
  dataAsset: "pulumi-nodejs:dynamic/llama-finetune:DataAsset",
  dataAssetVersion: "pulumi-nodejs:dynamic/llama-finetune:DataAssetVersion",
  serverlessEndpoint: "azure-native:machinelearningservices:ServerlessEndpoint",
  marketplaceSubscription: "azure-native:machinelearningservices:MarketplaceSubscription",
  budget: "azure-native:consumption:Budget",
  roleAssignment: "azure-native:authorization:RoleAssignment",
} as const;
