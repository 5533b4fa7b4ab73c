/**
 * One complete fine-tuning environment: the top-level component a stack builds.
 *
 * It only composes. Every decision (names, ARM ids, tags, per-environment safety, the budget's
 * start) is computed by the pure functions in `config/` and handed to the components as typed
 * values, so each can be read and tested on its own:
 *
 *   ResourceProviders ─┐
 *   ResourceGroup ─────┼─> PrivateNetwork (private stacks: subnet, private DNS zones, VNet links)
 *                      ├─> AiHub (storage, key vault, logs, AI Services + AAD connection, hub;
 *                      │          private endpoints in private stacks)
 *                      │     └─> AiProject ─┬─> TrainingData (container, datastore, blobs, data assets)
 *                      │                    ├─> Access (roles of the configured principals)
 *                      │                    └─> ModelSubscription (Marketplace) ─> ServerlessEndpoints
 *                      └─> CostControls (budget on the resource group)
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { stackArmIds } from "../config/armIds";
import { budgetStartDate } from "../config/budget";
import { environmentPolicy } from "../config/environments";
import { namingInput, serverlessEndpointName, stackNames } from "../config/naming";
import { networkNames } from "../config/networkNames";
import type { PrincipalType } from "../config/roles";
import type { StackConfig } from "../config/schema";
import { stackTags } from "../config/tags";
import { Access } from "./access";
import { typeToken } from "./common";
import { CostControls } from "./costControls";
import { ServerlessEndpoints, type EndpointOutputs } from "./endpoints";
import { AiHub } from "./hub";
import { ModelSubscription } from "./modelSubscription";
import { PrivateNetwork } from "./network";
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
  /** What Azure says about this deployment (stack/client.ts). */
  client: { subscriptionId: string; tenantId: string; deployer: { objectId: string; principalType: PrincipalType } };
  /** The day the program runs, YYYY-MM-DD (UTC): the budget of a new stack starts in its month. */
  today: string;
}

export class FineTuningEnvironment extends pulumi.ComponentResource {
  readonly providers: ResourceProviders;
  readonly resourceGroup: resources.ResourceGroup;
  /** `private` stacks only. */
  readonly privateNetwork?: PrivateNetwork;
  readonly hub: AiHub;
  readonly project: AiProject;
  readonly trainingData: TrainingData;
  readonly access: Access;
  readonly modelSubscription: ModelSubscription;
  readonly endpoints: ServerlessEndpoints;
  readonly costControls: CostControls;
  /** Studio URL of the project. */
  readonly studioUrl: pulumi.Output<string>;
  readonly baseEndpoint: EndpointOutputs;
  readonly fineTunedEndpoint?: EndpointOutputs;

  constructor(name: string, args: FineTuningEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("environment", "FineTuningEnvironment"), name, {}, opts);
    const { config, client } = args;
    const subscriptionId = client.subscriptionId;
    const policy = environmentPolicy(config.environment);
    const naming = namingInput(config, args.project, args.stack, subscriptionId);
    const names = stackNames(naming);
    const ids = stackArmIds(naming.subscriptionId, names);
    const tags = stackTags({ environment: config.environment, stack: args.stack, costCenter: config.costCenter, expiresOn: config.expiresOn });

    this.providers = new ResourceProviders(`${name}-providers`, { subscriptionId, namespaces: REQUIRED_NAMESPACES }, { parent: this });

    // Microsoft.Resources is always registered, so the group need not wait for the others:
    // it is created in parallel with the registrations.
    this.resourceGroup = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: names.resourceGroup, location: config.location, tags },
      { parent: this },
    );
    const placed = { resourceGroupName: this.resourceGroup.name, location: config.location, tags };

    const net = config.network;
    if (net.mode === "private") {
      this.privateNetwork = new PrivateNetwork(
        `${name}-network`,
        {
          ...placed,
          subscriptionId,
          resourceGroup: names.resourceGroup,
          names: networkNames(naming),
          virtualNetwork: net.virtualNetwork,
          existingZoneIds: net.privateDnsZoneIds,
          dnsLinkedNetworkIds: net.dnsLinkedNetworkIds,
          dependsOn: [this.providers],
        },
        { parent: this },
      );
    }
    const network = {
      mode: net.mode,
      allowedIpRanges: net.mode === "restricted" ? net.allowedIpRanges : [],
      ...(this.privateNetwork ? { privateLink: this.privateNetwork.placement } : {}),
    };

    this.hub = new AiHub(
      `${name}-hub`,
      {
        ...placed,
        subscriptionId,
        tenantId: client.tenantId,
        ids,
        names,
        storageSku: policy.protectData ? "Standard_ZRS" : "Standard_LRS",
        protectData: policy.protectData,
        keyVaultPurgeProtection: policy.keyVaultPurgeProtection,
        keyVaultSoftDeleteRetentionDays: policy.keyVaultSoftDeleteRetentionDays,
        network,
        dependsOn: [this.providers],
      },
      { parent: this },
    );

    this.project = new AiProject(
      `${name}-project`,
      { ...placed, projectName: names.project, hubId: this.hub.hub.id, network, protectData: policy.protectData },
      { parent: this },
    );
    const projectName = this.project.project.name;

    this.trainingData = new TrainingData(
      `${name}-data`,
      {
        resourceGroupName: names.resourceGroup,
        subscriptionId,
        storageAccountName: names.storageAccount,
        storageAccount: this.hub.storageAccount,
        containerName: names.trainingContainer,
        containerId: ids.trainingContainer,
        deployer: client.deployer,
        project: { name: names.project, resource: this.project.project, principalId: this.project.principalId },
        datastoreName: names.datastore,
        files: args.datasets,
        // Private stacks: uploads go through the blob private endpoint, and the project's identity
        // reads through the storage endpoints (Reader on each, see TrainingData).
        ...(this.hub.privateEndpoints["storage-blob"] ? { privateStorage: [this.hub.privateEndpoints["storage-blob"], this.hub.privateEndpoints["storage-file"]!] } : {}),
        tags,
        protectData: policy.protectData,
      },
      { parent: this },
    );

    this.access = new Access(
      `${name}-access`,
      {
        subscriptionId,
        ids,
        principals: config.principals,
        resources: { project: this.project.project, hub: this.hub.hub, resourceGroup: this.resourceGroup, storageAccount: this.hub.storageAccount },
      },
      { parent: this },
    );

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
        authMode: config.endpointAuth.mode,
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
      {
        budgetName: names.budget,
        scope: this.resourceGroup.id,
        budget: { ...config.budget, startDate: budgetStartDate(args.today, config.budget.startDate) },
        dependsOn: [this.providers],
      },
      { parent: this },
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
