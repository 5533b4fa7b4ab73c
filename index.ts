/**
 * The Pulumi program: read and validate the stack's config and data, build one fine-tuning
 * environment, export what a user needs next. The work lives in stack/, config/, components/
 * and data/.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/schema";
import { DataGateError, loadStackInputs } from "./stack/inputs";
import { declareEnvironment } from "./stack/program";

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
  return declareEnvironment(inputs, { project: pulumi.getProject(), stack });
};
