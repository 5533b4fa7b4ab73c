/**
 * The Azure Marketplace subscription that lets the project use (and fine-tune) a Meta model.
 *
 * Meta's models live in the `azureml-meta` registry and are sold through the Marketplace, so a
 * project needs a subscription to the model's offer before a serverless endpoint or a
 * fine-tuning job can use it (Microsoft's own `azureml` registry models need none). The
 * subscription's name has to match `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`, hence the sanitised name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import { marketplaceSubscriptionName } from "../config/naming";
import { registryModelId, type LlamaModel } from "../config/models";
import { typeToken } from "./common";

export interface ModelSubscriptionArgs {
  resourceGroupName: pulumi.Input<string>;
  /** The AI project (workspace) name that subscribes. */
  projectName: pulumi.Input<string>;
  model: LlamaModel;
}

export class ModelSubscription extends pulumi.ComponentResource {
  readonly subscription: machinelearningservices.MarketplaceSubscription;
  readonly modelId: string;

  constructor(name: string, args: ModelSubscriptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("marketplace", "ModelSubscription"), name, {}, opts);
    this.modelId = registryModelId(args.model);

    this.subscription = new machinelearningservices.MarketplaceSubscription(
      `${name}-subscription`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.projectName,
        name: marketplaceSubscriptionName(args.model.name),
        properties: { modelId: this.modelId },
      },
      // The name is fixed by the model, so a replacement must delete the old one first.
      { parent: this, deleteBeforeReplace: true },
    );

    this.registerOutputs({ subscriptionName: this.subscription.name, modelId: this.modelId });
  }
}
