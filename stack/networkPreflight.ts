/**
 * Before `pulumi up` (or `preview`) of a `restricted` or `private` stack declares anything: can
 * this machine reach the stack's storage account, where it uploads the training data? The config
 * already says how the deployer reaches storage (config/network.ts `network.deployer`); this
 * checks that it really does, once the account exists (a later `up`), so a deployer the firewall
 * refuses gets a message naming the mode and what to add, instead of a 403 AuthorizationFailure
 * half-way through the update.
 *
 * - One Get Container Properties request (arm/blobPreflight.ts), with the credential azure-native
 *   uses (arm/credentials.ts), to `https://<account>.blob.<cloud suffix>`.
 * - A name that does not resolve means the account does not exist yet (storage account names are
 *   public DNS names: an existing account resolves from anywhere, a private one through its
 *   `privatelink` CNAME): the first `up` creates it, and the upload then goes through the blob
 *   private endpoint this stack declares first (components/trainingData.ts). That is also what a
 *   machine sees whose DNS has a `privatelink.blob` zone without the account's record, which this
 *   check cannot tell apart, and says so.
 * - `public` stacks are not probed (nothing restricts the deployer). In `pulumi preview` (which
 *   changes nothing) index.ts shows a refusal as a warning and goes on. The offline plan never calls
 *   it (no Azure). `LLAMA_FINETUNE_SKIP_NETWORK_PREFLIGHT=1` skips it, e.g. where outbound HTTPS
 *   to storage is blocked but the upload is known to go through another route.
 */
import type { TokenCredential } from "@azure/identity";
import { storageEndpointSuffix } from "../arm/blobClient";
import { probeBlobEndpoint, type BlobReachability } from "../arm/blobPreflight";
import { createCredential, planCredential, readAzureNativeConfig } from "../arm/credentials";
import { resolveArmCloud } from "../arm/environment";
import { namingInput, stackNames } from "../config/naming";
import type { NetworkConfig } from "../config/network";
import type { StackConfig } from "../config/schema";

export const SKIP_PREFLIGHT_VARIABLE = "LLAMA_FINETUNE_SKIP_NETWORK_PREFLIGHT";
/** storage-blob's default token scope. */
const STORAGE_SCOPE = "https://storage.azure.com/.default";

/** The deployer cannot reach the storage account in the stack's network mode: nothing was changed. */
export class NetworkPreflightError extends Error {
  constructor(
    message: string,
    readonly probe: BlobReachability,
  ) {
    super(message);
    this.name = "NetworkPreflightError";
  }
}

export interface NetworkPreflightOptions {
  network: NetworkConfig;
  accountName: string;
  containerName: string;
  credential: TokenCredential;
  env: Readonly<Record<string, string | undefined>>;
  /** Blob DNS suffix of the cloud (arm/blobClient.ts storageEndpointSuffix), or a full endpoint (tests). */
  endpointSuffix?: string;
  endpoint?: string;
  trustedCaPem?: string;
  timeoutMs?: number;
}

export interface NetworkPreflightResult {
  outcome: "skipped" | "not-created" | "reachable";
  /** Why, in words. */
  detail: string;
}

/** What to add so that this machine gets through, per mode. */
function remedy(network: NetworkConfig): string {
  if (network.mode === "restricted") {
    return (
      `In mode "restricted" only llama-finetune-env:network.allowedIpRanges get through (now: ${network.allowedIpRanges.join(", ") || "none"}). ` +
      "Add this machine's public egress IP to network.allowedIpRanges and network.deployer.ipRanges, or run pulumi up from a runner whose fixed egress is listed there"
    );
  }
  return (
    'In mode "private" the account has no public endpoint. Run pulumi up inside the network: a self-hosted runner in the stack\'s virtual network or a network peered to it, or a VPN into it, ' +
    "with DNS that resolves privatelink.blob.core.windows.net through the stack's private DNS zone"
  );
}

/** Why there is nothing to probe, or undefined. */
function skipped(network: NetworkConfig, env: Readonly<Record<string, string | undefined>>): NetworkPreflightResult | undefined {
  if (network.mode === "public") return { outcome: "skipped", detail: 'network mode "public": nothing restricts the deployer' };
  if (env[SKIP_PREFLIGHT_VARIABLE] === "1") return { outcome: "skipped", detail: `${SKIP_PREFLIGHT_VARIABLE}=1` };
  return undefined;
}

/** Probes the storage account unless there is nothing to check; throws NetworkPreflightError when this machine is refused. */
export async function checkDeployerReachesStorage(options: NetworkPreflightOptions): Promise<NetworkPreflightResult> {
  const network = options.network;
  const skip = skipped(network, options.env);
  if (skip) return skip;
  // A token first: a credential problem is not a network problem (the probe would only see "no connection").
  try {
    await options.credential.getToken(STORAGE_SCOPE);
  } catch (error) {
    const message = `could not get an Entra ID token for storage with the credentials azure-native uses: ${(error as Error).message}`;
    throw new NetworkPreflightError(`Network mode "${network.mode}": ${message}. Fix the Azure credentials (README "Deploying with the Pulumi CLI"); nothing was created or changed.`, { kind: "authentication", networkOk: true, message });
  }
  const probe = await probeBlobEndpoint({
    accountName: options.accountName,
    containerName: options.containerName,
    credential: options.credential,
    ...(options.endpointSuffix !== undefined ? { endpointSuffix: options.endpointSuffix } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.trustedCaPem !== undefined ? { trustedCaPem: options.trustedCaPem } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (probe.networkOk) return { outcome: "reachable", detail: probe.message };
  if (probe.kind === "nameNotResolved") {
    return {
      outcome: "not-created",
      detail: `storage account ${options.accountName} does not resolve: not created yet (the first pulumi up creates it), or this machine's private DNS zone lacks its record`,
    };
  }
  throw new NetworkPreflightError(
    `Network mode "${network.mode}": this machine cannot reach storage account ${options.accountName}, where pulumi up uploads the training data. ${probe.message} ` +
      `${remedy(network)}. Nothing was created or changed (${SKIP_PREFLIGHT_VARIABLE}=1 skips this check).`,
    probe,
  );
}

export interface StackPreflightContext {
  config: StackConfig;
  project: string;
  stack: string;
  subscriptionId: string;
  /** Config as Pulumi passes it (`namespace:key` → string): azure-native's credential settings. */
  allConfig: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
}

/** The check as index.ts runs it: the stack's own account and container, azure-native's credential and cloud. */
export async function preflightStack(context: StackPreflightContext): Promise<NetworkPreflightResult> {
  const { config, env } = context;
  const skip = skipped(config.network, env);
  if (skip) return skip;
  const names = stackNames(namingInput(config, context.project, context.stack, context.subscriptionId));
  const azureConfig = readAzureNativeConfig((key) => context.allConfig[key]);
  const cloud = resolveArmCloud(env, { ...(azureConfig.environment !== undefined ? { environment: azureConfig.environment } : {}) });
  const credential = createCredential(planCredential(env, cloud.authorityHost, azureConfig), env, azureConfig);
  return checkDeployerReachesStorage({
    network: config.network,
    accountName: names.storageAccount,
    containerName: names.trainingContainer,
    credential,
    env,
    endpointSuffix: storageEndpointSuffix(cloud.name),
  });
}

