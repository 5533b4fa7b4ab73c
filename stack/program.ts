/**
 * The body of the Pulumi program once its inputs are validated: build the environment and
 * pick the outputs a user needs next. index.ts (for `pulumi up`) and the offline plan both
 * call this, after `loadStackInputs` has accepted the config and the data.
 */
import { FineTuningEnvironment } from "../components/environment";
import type { DeploymentClient } from "./client";
import type { StackInputs } from "./inputs";

export interface ProgramContext {
  project: string;
  stack: string;
  /** Subscription, tenant and deployer (stack/client.ts). */
  client: DeploymentClient;
  /** The day the program runs, YYYY-MM-DD (UTC). */
  today: string;
}

export function declareEnvironment(inputs: StackInputs, context: ProgramContext) {
  const env = new FineTuningEnvironment("llama", {
    config: inputs.config,
    project: context.project,
    stack: context.stack,
    datasets: inputs.datasets,
    client: { subscriptionId: context.client.subscriptionId, tenantId: context.client.tenantId, deployer: context.client.deployer },
    today: context.today,
  });

  return {
    resourceGroupName: env.resourceGroup.name,
    hubName: env.hub.hub.name,
    hubId: env.hub.hub.id,
    projectName: env.project.project.name,
    projectId: env.project.project.id,
    studioUrl: env.studioUrl,
    datastoreName: env.trainingData.datastore.name,
    dataAssetIds: Object.fromEntries(Object.entries(env.trainingData.datasets).map(([asset, d]) => [asset, d.version.id])),
    marketplaceSubscription: env.modelSubscription.subscription.name,
    modelId: env.modelSubscription.modelId,
    contentSafety: inputs.config.contentSafety,
    // Endpoint keys are Pulumi secrets: encrypted in state, shown only with --show-secrets.
    baseEndpoint: env.baseEndpoint,
    ...(env.fineTunedEndpoint ? { fineTunedEndpoint: env.fineTunedEndpoint } : {}),
  };
}
