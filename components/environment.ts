/**
 * One complete fine-tuning environment: the top-level component a stack builds.
 *
 * It only composes. Every decision (names, tags, per-environment safety) is computed by the
 * pure functions in `config/` and handed to the components as typed values, so each can be
 * read and tested on its own:
 *
 *   ResourceProviders ─┐
 *   ResourceGroup ─────┼─> AiHub (storage, key vault, logs, AI Services + AAD connection, hub)
 *                      │     └─> AiProject (project, developer role assignments)
 *                      │           ├─> TrainingData (container, datastore, blobs, data assets)
 *                      │           └─> ModelSubscription (Marketplace) ─> ServerlessEndpoints
 *                      └─> CostControls (budget on the resource group)
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { environmentPolicy } from "../config/environments";
import { serverlessEndpointName, stackNames, type NamingInput } from "../config/naming";
import type { StackConfig } from "../config/schema";
import { stackTags } from "../config/tags";
import { typeToken } from "./common";
import { CostControls } from "./costControls";
import { grantRole } from "./grants";
import { ServerlessEndpoints, type EndpointOutputs } from "./endpoints";
import { AiHub } from "./hub";
import { ModelSubscription } from "./modelSubscription";
import { AiProject } from "./project";
import { REQUIRED_NAMESPACES, ResourceProviders } from "./resourceProviders";
import { TrainingData, type DatasetFile } from "./trainingData";

export interface FineTuningEnvironmentArgs {
  /** The validated stack configuration. */
  config: StackConfig;
  /** The Pulumi project and stack names (naming and tags). */
  project: string;
  stack: string;
  /** The validated training (and validation) files with their content hashes. */
  datasets: readonly DatasetFile[];
}

export class FineTuningEnvironment extends pulumi.ComponentResource {
  readonly providers: ResourceProviders;
  readonly resourceGroup: resources.ResourceGroup;
  readonly hub: AiHub;
  readonly project: AiProject;
  readonly trainingData: TrainingData;
  readonly modelSubscription: ModelSubscription;
  readonly endpoints: ServerlessEndpoints;
  readonly costControls: CostControls;
  /** Studio URL of the project. */
  readonly studioUrl: pulumi.Output<string>;
  readonly baseEndpoint: EndpointOutputs;
  readonly fineTunedEndpoint?: EndpointOutputs;

  constructor(name: string, args: FineTuningEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("environment", "FineTuningEnvironment"), name, {}, opts);
    const { config } = args;
    const policy = environmentPolicy(config.environment);
    const naming: NamingInput = { prefix: config.namePrefix, project: args.project, stack: args.stack, salt: config.nameSalt };
    const names = stackNames(naming);
    const tags = stackTags({
      environment: config.environment,
      stack: args.stack,
      costCenter: config.costCenter,
      expiresOn: config.expiresOn,
      allowPublicNetwork: config.publicNetworkAccess,
    });
    const client = authorization.getClientConfigOutput({ parent: this });

    this.providers = new ResourceProviders(
      `${name}-providers`,
      { subscriptionId: client.subscriptionId, namespaces: REQUIRED_NAMESPACES },
      { parent: this },
    );

    // Microsoft.Resources is always registered, so the group need not wait for the others:
    // it is created in parallel with the registrations.
    this.resourceGroup = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: names.resourceGroup, location: config.location, tags },
      { parent: this },
    );
    const placed = { resourceGroupName: this.resourceGroup.name, location: config.location, tags };

    this.hub = new AiHub(
      `${name}-hub`,
      {
        ...placed,
        subscriptionId: client.subscriptionId,
        tenantId: client.tenantId,
        names,
        storageSku: policy.protectData ? "Standard_ZRS" : "Standard_LRS",
        protectData: policy.protectData,
        keyVaultPurgeProtection: policy.keyVaultPurgeProtection,
        keyVaultSoftDeleteRetentionDays: policy.keyVaultSoftDeleteRetentionDays,
        publicNetworkAccess: config.publicNetworkAccess,
        dependsOn: [this.providers],
      },
      { parent: this },
    );

    this.project = new AiProject(
      `${name}-project`,
      {
        ...placed,
        subscriptionId: client.subscriptionId,
        projectName: names.project,
        hubId: this.hub.hub.id,
        publicNetworkAccess: config.publicNetworkAccess,
        protectData: policy.protectData,
        principals: config.principals,
      },
      { parent: this },
    );
    const projectName = this.project.project.name;

    this.trainingData = new TrainingData(
      `${name}-data`,
      {
        resourceGroupName: this.resourceGroup.name,
        subscriptionId: client.subscriptionId,
        storageAccountName: this.hub.storageAccount.name,
        storageAccountId: this.hub.storageAccount.id,
        deployerObjectId: client.objectId,
        containerName: names.trainingContainer,
        projectName,
        datastoreName: names.datastore,
        files: args.datasets,
        tags,
        protectData: policy.protectData,
      },
      { parent: this },
    );

    // The project's identity reads training data through the identity-based datastore; people
    // who fine-tune may add data files to the same container.
    const containerScope = pulumi.interpolate`${this.hub.storageAccount.id}/blobServices/default/containers/${this.trainingData.blobContainer.name}`;
    const grant = { scope: containerScope, subscriptionId: client.subscriptionId };
    grantRole(
      `${name}-project-reads-data`,
      {
        ...grant,
        role: "storageBlobDataReader",
        principalId: this.project.project.identity.apply((identity) => identity?.principalId ?? ""),
        principalType: "ServicePrincipal",
        key: [names.project, names.trainingContainer],
      },
      { parent: this },
    );
    for (const principal of config.principals) {
      grantRole(
        `${name}-data-writer-${principal.objectId}`,
        { ...grant, role: "storageBlobDataContributor", principalId: principal.objectId, principalType: principal.type, key: [names.trainingContainer, principal.objectId] },
        { parent: this },
      );
    }

    this.modelSubscription = new ModelSubscription(
      `${name}-model`,
      { resourceGroupName: this.resourceGroup.name, projectName, model: config.model },
      { parent: this },
    );

    this.endpoints = new ServerlessEndpoints(
      `${name}-endpoints`,
      {
        ...placed,
        projectName,
        contentSafety: config.contentSafety,
        subscription: this.modelSubscription.subscription,
        base: { name: serverlessEndpointName(naming, "base"), modelId: this.modelSubscription.modelId },
        fineTuned: config.fineTunedModelId ? { name: serverlessEndpointName(naming, "ft"), modelId: config.fineTunedModelId } : undefined,
      },
      { parent: this },
    );
    this.baseEndpoint = this.endpoints.outputsOf(this.endpoints.base, this.resourceGroup.name, projectName);
    if (this.endpoints.fineTuned) {
      this.fineTunedEndpoint = this.endpoints.outputsOf(this.endpoints.fineTuned, this.resourceGroup.name, projectName);
    }

    this.costControls = new CostControls(
      `${name}-cost`,
      { budgetName: names.budget, scope: this.resourceGroup.id, budget: config.budget },
      { parent: this, dependsOn: [this.providers] },
    );

    this.studioUrl = pulumi.interpolate`https://ai.azure.com/build/overview?wsid=${this.project.project.id}`;

    this.registerOutputs({
      hubName: this.hub.hub.name,
      projectName,
      studioUrl: this.studioUrl,
      datastoreName: this.trainingData.datastore.name,
    });
  }
}
