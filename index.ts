/**
 * The Pulumi program: read and validate the stack's config and data, ask Azure which
 * subscription and identity this is, build one fine-tuning environment, export what a user
 * needs next. The work lives in stack/, config/, components/ and data/.
 */
import * as pulumi from "@pulumi/pulumi";
import { isoDay } from "./config/budget";
import { ConfigError } from "./config/schema";
import { DeployerTypeError, deploymentClient } from "./stack/client";
import { readAzureProfile } from "./stack/deployer";
import { DataGateError, loadStackInputs } from "./stack/inputs";
import { NetworkPreflightError, preflightStack } from "./stack/networkPreflight";
import { declareEnvironment } from "./stack/program";

export = async () => {
  const stack = pulumi.getStack();
  const today = isoDay(new Date());
  const allConfig = pulumi.runtime.allConfig();
  try {
    const inputs = await loadStackInputs({ allConfig, source: `Pulumi.${stack}.yaml`, projectDir: __dirname, today });
    const client = await deploymentClient({ config: inputs.config, allConfig, env: process.env, azureProfile: readAzureProfile(process.env) });
    // Restricted and private stacks: refuse a deployer the storage firewall would refuse, before any
    // resource is declared. A preview changes nothing, so there it is a warning.
    await preflightStack({ config: inputs.config, project: pulumi.getProject(), stack, subscriptionId: client.subscriptionId, allConfig, env: process.env }).catch((error: unknown) => {
      if (!(error instanceof NetworkPreflightError) || !pulumi.runtime.isDryRun()) throw error;
      void pulumi.log.warn(`${error.message} (pulumi up would stop here)`);
    });
    return declareEnvironment(inputs, { project: pulumi.getProject(), stack, client, today });
  } catch (error) {
    // A RunError prints its message alone, without a stack trace: these errors are for people.
    if (error instanceof ConfigError || error instanceof DataGateError || error instanceof DeployerTypeError || error instanceof NetworkPreflightError) throw new pulumi.RunError(error.message);
    throw error;
  }
};
