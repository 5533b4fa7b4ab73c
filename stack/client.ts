/**
 * Facts about the deployment that Azure knows and the program needs before it declares
 * anything: the subscription (names and ARM ids are derived from it), the tenant, and the
 * identity running `pulumi up` with its principal type.
 *
 * `getClientConfig` is an invoke, answered in `pulumi preview` as well as `up`, and by the
 * offline plan's mocks.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import { checkSubscriptionId } from "../config/naming";
import type { StackConfig } from "../config/schema";
import { detectDeployerType, undetectedDeployerMessage, type DeployerDetection, type DeployerType } from "./deployer";

export interface DeploymentClient {
  subscriptionId: string;
  tenantId: string;
  deployer: { objectId: string; principalType: DeployerType };
  /** How the deployer's type was found (the plan shows it). */
  deployerDetection: DeployerDetection;
}

export interface ClientOptions {
  config: StackConfig;
  /** Config as Pulumi passes it (`namespace:key` → string). */
  allConfig: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
  azureProfile?: unknown;
  /** Used when the type cannot be detected; undefined refuses instead (what `pulumi up` does). */
  fallbackDeployerType?: DeployerType;
}

/** Thrown when the deployer's principal type cannot be told and no fallback is allowed. */
export class DeployerTypeError extends Error {
  constructor(detection: DeployerDetection) {
    super(undetectedDeployerMessage(detection));
    this.name = "DeployerTypeError";
  }
}

export async function deploymentClient(options: ClientOptions): Promise<DeploymentClient> {
  const client = await authorization.getClientConfig();
  const subscriptionId = checkSubscriptionId(client.subscriptionId, "the subscription azure-native deploys to (ARM_SUBSCRIPTION_ID, azure-native:subscriptionId or the Azure CLI's default)");
  const detection = detectDeployerType({
    env: options.env,
    config: options.allConfig,
    azureProfile: options.azureProfile,
    override: options.config.deployerPrincipalType,
  });
  const principalType = detection.principalType ?? options.fallbackDeployerType;
  if (!principalType) throw new DeployerTypeError(detection);
  return { subscriptionId, tenantId: client.tenantId, deployer: { objectId: client.objectId, principalType }, deployerDetection: detection };
}
