/**
 * The Pulumi program: read and validate the stack's config and data, build one fine-tuning
 * environment, export what a user needs next. Everything else lives in config/, components/
 * and data/.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/schema";
import { FineTuningEnvironment } from "./components/environment";
import { DataGateError, loadStackInputs } from "./stack/inputs";

export = async () => {
  const stack = pulumi.getStack();
  let inputs;
  try {
    inputs = await loadStackInputs({ allConfig: pulumi.runtime.allConfig(), source: `Pulumi.${stack}.yaml`, projectDir: __dirname });
  } catch (error) {
    // A RunError prints its message alone, without a stack trace: these errors are for people.
    if (error instanceof ConfigError || error instanceof DataGateError) throw new pulumi.RunError(error.message);
    throw error;
  }

  const env = new FineTuningEnvironment("llama", {
    config: inputs.config,
    project: pulumi.getProject(),
    stack,
    datasets: inputs.datasets,
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
};
