/**
 * The whole program under Pulumi's mock runtime, for the repo's dev and prod stack files:
 * what is declared, with which key settings, in which order, with which protections.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isValidName } from "../../config/naming";
import type { PlanResult } from "../../plan/run";
import { dependsOnTransitively, get, ofType, one, planWith, TEST_GROUP } from "../helpers/plan";

const T = {
  stack: "pulumi:pulumi:Stack",
  rg: "azure-native:resources:ResourceGroup",
  storage: "azure-native:storage:StorageAccount",
  container: "azure-native:storage:BlobContainer",
  vault: "azure-native:keyvault:Vault",
  workspace: "azure-native:machinelearningservices:Workspace",
  connection: "azure-native:machinelearningservices:WorkspaceConnection",
  ais: "azure-native:cognitiveservices:Account",
  datastore: "azure-native:machinelearningservices:Datastore",
  // Data assets are this project's dynamic resources (archived, never deleted; arm/dataAssetResource.ts).
  dataContainer: "pulumi-nodejs:dynamic/llama-finetune:DataAsset",
  dataVersion: "pulumi-nodejs:dynamic/llama-finetune:DataAssetVersion",
  subscription: "azure-native:machinelearningservices:MarketplaceSubscription",
  endpoint: "azure-native:machinelearningservices:ServerlessEndpoint",
  budget: "azure-native:consumption:Budget",
  registration: "pulumi-nodejs:dynamic/llama-finetune:ProviderRegistration",
};

const hubOf = (plan: PlanResult) => one(plan, T.workspace, (r) => r.inputs.kind === "Hub");
const projectOf = (plan: PlanResult) => one(plan, T.workspace, (r) => r.inputs.kind === "Project");

describe.each(["dev", "prod"])("stack %s", (stack) => {
  let plan: PlanResult;
  beforeAll(async () => {
    plan = await planWith(stack, stack, { principals: [TEST_GROUP] });
  });

  test("one environment component composes one component per concern, typed llama-finetune:<module>:<Name>", () => {
    const components = plan.resources.filter((r) => !r.custom && r.type !== T.stack).map((r) => r.type).sort();
    expect(components).toEqual([
      "llama-finetune:access:Access",
      "llama-finetune:cost:CostControls",
      "llama-finetune:data:TrainingData",
      "llama-finetune:endpoints:ServerlessEndpoints",
      "llama-finetune:environment:FineTuningEnvironment",
      "llama-finetune:hub:AiHub",
      "llama-finetune:marketplace:ModelSubscription",
      // prod is private (issue 10): its subnet and private DNS zones are one more component.
      ...(stack === "prod" ? ["llama-finetune:network:PrivateNetwork"] : []),
      "llama-finetune:project:AiProject",
      "llama-finetune:providers:ResourceProviders",
    ]);
    const env = one(plan, "llama-finetune:environment:FineTuningEnvironment");
    for (const c of plan.resources.filter((r) => !r.custom && r.type.startsWith("llama-finetune:") && r !== env)) {
      expect(c.parent).toBe(env.urn);
    }
  });

  test("registers Microsoft.Network and every namespace the stack uses, kept on destroy", () => {
    const namespaces = ofType(plan, T.registration).map((r) => r.inputs.namespace);
    expect(namespaces).toEqual(
      expect.arrayContaining([
        "Microsoft.Network",
        "Microsoft.MachineLearningServices",
        "Microsoft.CognitiveServices",
        "Microsoft.Storage",
        "Microsoft.KeyVault",
        "Microsoft.Insights",
        "Microsoft.OperationalInsights",
        "Microsoft.Consumption",
        "Microsoft.SaaS",
      ]),
    );
    for (const r of ofType(plan, T.registration)) expect(r.retainOnDelete).toBe(true);
  });

  test("hub: kind Hub, system identity, secure storage and RBAC key vault, AAD connection to AI Services", () => {
    const hub = hubOf(plan);
    expect(get(hub.inputs, "identity.type")).toBe("SystemAssigned");
    expect(hub.inputs.storageAccount).toMatch(/\/providers\/Microsoft\.Storage\/storageAccounts\//);
    expect(hub.inputs.keyVault).toMatch(/\/providers\/Microsoft\.KeyVault\/vaults\//);
    expect(hub.inputs.applicationInsights).toMatch(/\/providers\/Microsoft\.Insights\/components\//);

    const storage = one(plan, T.storage);
    expect(storage.inputs).toMatchObject({ allowBlobPublicAccess: false, enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowSharedKeyAccess: false });
    expect(get(one(plan, T.vault).inputs, "properties.enableRbacAuthorization")).toBe(true);

    const ais = one(plan, T.ais);
    expect(ais.inputs.kind).toBe("AIServices");
    expect(get(ais.inputs, "properties.disableLocalAuth")).toBe(true);
    const connection = one(plan, T.connection);
    expect(get(connection.inputs, "properties.authType")).toBe("AAD");
    expect(get(connection.inputs, "properties.category")).toBe("AIServices");
    expect(JSON.stringify(connection.inputs)).not.toMatch(/key/i);
  });

  test("project: kind Project in the hub, same region, developers get Azure AI Developer on it", () => {
    const project = projectOf(plan);
    const hub = hubOf(plan);
    expect(project.inputs.hubResourceId).toMatch(new RegExp(`/workspaces/${hub.inputs.workspaceName}$`));
    expect(project.inputs.location).toBe(hub.inputs.location);
    const developer = ofType(plan, "azure-native:authorization:RoleAssignment").filter((r) => String(r.inputs.roleDefinitionId).endsWith("64702f94-c441-49e6-a78b-ef80e0188fee"));
    expect(developer).toHaveLength(1);
    expect(developer[0].inputs.scope).toMatch(/\/workspaces\/llft-proj-/);
    expect(developer[0].inputs).toMatchObject({ principalId: TEST_GROUP.objectId, principalType: "Group" });
  });

  test("training data: private container, identity-based datastore on it, uri_file assets versioned by content", () => {
    const container = one(plan, T.container);
    expect(container.inputs.publicAccess).toBe("None");
    const datastore = one(plan, T.datastore);
    expect(get(datastore.inputs, "properties.datastoreType")).toBe("AzureBlob");
    expect(get(datastore.inputs, "properties.containerName")).toBe(container.inputs.containerName);
    expect(get(datastore.inputs, "properties.accountName")).toBe(one(plan, T.storage).inputs.accountName);
    expect(get(datastore.inputs, "properties.credentials.credentialsType")).toBe("None");
    expect(ofType(plan, T.dataContainer).map((r) => r.inputs.name).sort()).toEqual(["training", "validation"]);
    // Uploads use Entra ID (shared keys are off): the deployer's blob access is granted first.
    expect(ofType(plan, "azure-native:storage:Blob")).toEqual([]);
    const uploads = ofType(plan, "pulumi-nodejs:dynamic/llama-finetune:BlobUpload");
    expect(uploads.map((u) => u.inputs.blobName).sort()).toEqual([expect.stringMatching(/^training\/[0-9a-f]{12}\/training\.jsonl$/), expect.stringMatching(/^validation\/[0-9a-f]{12}\/validation\.jsonl$/)]);
    const uploaderAccess = one(plan, "azure-native:authorization:RoleAssignment", (r) => r.name.endsWith("-uploader-access"));
    for (const u of uploads) expect(u.dependsOn).toContain(uploaderAccess.urn);
    for (const version of ofType(plan, T.dataVersion)) {
      expect(get(version.inputs, "properties.dataType")).toBe("uri_file");
      expect(version.inputs.version).toMatch(/^[0-9a-f]{12}$/);
      expect(get(version.inputs, "properties.dataUri")).toMatch(/^azureml:\/\/subscriptions\/.+\/datastores\/training_data\/paths\/(training|validation)\/[0-9a-f]{12}\//);
    }
  });

  test("marketplace subscription to the Meta model, endpoints with content safety declared", () => {
    const subscription = one(plan, T.subscription);
    expect(get(subscription.inputs, "properties.modelId")).toBe("azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct");
    expect(subscription.inputs.name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/);
    const endpoint = one(plan, T.endpoint);
    expect(get(endpoint.inputs, "sku.name")).toBe("Consumption");
    expect(get(endpoint.inputs, "properties.contentSafety.contentSafetyStatus")).toBe("Enabled");
    expect(get(endpoint.inputs, "properties.modelSettings.modelId")).toBe(get(subscription.inputs, "properties.modelId"));
  });

  test("dependency edges: endpoint -> subscription -> project -> hub", () => {
    const endpoint = one(plan, T.endpoint);
    const subscription = one(plan, T.subscription);
    const project = projectOf(plan);
    const hub = hubOf(plan);
    expect(endpoint.dependsOn).toContain(subscription.urn);
    expect(dependsOnTransitively(plan, subscription.urn, project.urn)).toBe(true);
    expect(project.dependsOn).toContain(hub.urn);
    // and the hub's first resources wait for the provider registrations
    const storage = one(plan, T.storage);
    for (const r of ofType(plan, T.registration)) expect(dependsOnTransitively(plan, storage.urn, r.urn)).toBe(true);
  });

  test("budget on the resource group with the configured thresholds and contacts", () => {
    const budget = one(plan, T.budget);
    expect(budget.inputs.scope).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/llft-rg-/);
    const notifications = Object.values(budget.inputs.notifications as Record<string, { threshold: number; contactEmails: string[] }>);
    const expected = stack === "prod" ? [50, 80, 100, 120] : [50, 80, 100];
    expect(notifications.map((n) => n.threshold).sort((a, b) => a - b)).toEqual(expected);
    for (const n of notifications) expect(n.contactEmails.length).toBeGreaterThan(0);
  });

  test("every taggable Azure resource carries the required tags", () => {
    const taggable = plan.resources.filter((r) => r.custom && "tags" in r.inputs);
    expect(taggable.length).toBeGreaterThanOrEqual(8);
    for (const r of taggable) {
      expect(r.inputs.tags).toMatchObject({ environment: stack, stack, "cost-center": "ml-platform", "managed-by": "pulumi" });
    }
  });

  test("names are within Azure's rules", () => {
    expect(isValidName("storageAccount", String(one(plan, T.storage).inputs.accountName))).toBe(true);
    expect(isValidName("keyVault", String(one(plan, T.vault).inputs.vaultName))).toBe(true);
    for (const ws of ofType(plan, T.workspace)) expect(isValidName("workspace", String(ws.inputs.workspaceName))).toBe(true);
    expect(isValidName("serverlessEndpoint", String(one(plan, T.endpoint).inputs.name))).toBe(true);
  });

  test("endpoint keys are exported only as secrets", () => {
    expect(get(plan.outputs, "baseEndpoint.primaryKey")).toBe("[secret]");
    expect(get(plan.outputs, "baseEndpoint.scoringUri")).toMatch(/^https:\/\//);
    expect(plan.outputs.studioUrl).toMatch(/^https:\/\/ai\.azure\.com\/build\/overview\?wsid=\/subscriptions\/.+\/workspaces\/llft-proj-/);
    expect(JSON.stringify(plan.outputs)).not.toContain("mock-primary-key");
  });

  test("protection follows the environment kind", () => {
    const stores = [one(plan, T.storage), one(plan, T.vault), hubOf(plan), projectOf(plan)];
    for (const r of stores) expect(r.protect).toBe(stack === "prod");
    const vault = one(plan, T.vault);
    expect(get(vault.inputs, "properties.enablePurgeProtection")).toBe(stack === "prod" ? true : undefined);
    expect(get(vault.inputs, "properties.softDeleteRetentionInDays")).toBe(stack === "prod" ? 90 : 7);
    expect(hubOf(plan).inputs.publicNetworkAccess).toBe(stack === "prod" ? "Disabled" : "Enabled");
  });
});

describe("per-stack choices", () => {
  test("content safety can be turned off per stack, and a fine-tuned model gets its own endpoint", async () => {
    const plan = await planWith("dev", "dev", {
      contentSafety: false,
      fineTunedModelId: "azureml://locations/westus3/workspaces/0f1e2d3c-0000-4000-8000-000000000000/models/llama-ft/versions/1",
    });
    const endpoints = ofType(plan, T.endpoint);
    expect(endpoints).toHaveLength(2);
    for (const e of endpoints) {
      expect(get(e.inputs, "properties.contentSafety.contentSafetyStatus")).toBe("Disabled");
      expect(e.dependsOn).toContain(one(plan, T.subscription).urn);
    }
    expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringContaining("content safety is OFF")]));
    expect(get(plan.outputs, "fineTunedEndpoint.primaryKey")).toBe("[secret]");
  });

  test("a test stack is fully destroyable and carries its expiry tag", async () => {
    const plan = await planWith("pr-7", "test", { nameSalt: "run-42" });
    expect(plan.resources.filter((r) => r.protect)).toEqual([]);
    expect(get(hubOf(plan).inputs, "tags.expires-on")).toBe("2026-12-31");
    expect(get(one(plan, T.vault).inputs, "properties.enablePurgeProtection")).toBeUndefined();
  });
});

describe("refusals", () => {
  test("bad config is refused before any resource is declared, with every problem", async () => {
    await expect(planWith("dev", "dev", { location: "eastus", environment: "staging" })).rejects.toThrow(
      /Invalid stack configuration in Pulumi\.dev\.yaml \(2 problems\):\n  - llama-finetune-env:environment: "staging" must be one of "prod", "dev", "test"\n  - llama-finetune-env:location: "eastus" is not a region/,
    );
  });

  test("an invalid data file stops the program with the validator's report", async () => {
    // A file the test writes itself (a user's clone has no ../shared): prompt/completion lines,
    // which a chat model's data gate refuses.
    const file = join(mkdtempSync(join(tmpdir(), "llft-bad-data-")), "recipes.jsonl");
    writeFileSync(file, `${JSON.stringify({ prompt: "Soup?", completion: "Boil water." })}\n`.repeat(3));
    const error = await planWith("dev", "dev", { data: { trainingFile: file } }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Training data failed validation; nothing was uploaded or created/);
    expect((error as Error).message).toMatch(/recipes\.jsonl:1 \[/);
  });
});
