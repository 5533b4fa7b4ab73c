/**
 * Everything the fine-tuning loop knows about a stack, derived from `Pulumi.<stack>.yaml` with
 * the same pure functions the Pulumi program uses (config/schema, config/naming,
 * config/dataAssets), so no Pulumi CLI and no state backend is needed: the resource group,
 * project and endpoint names, and the data asset versions (the content hashes of the files
 * this stack uploads).
 *
 * The naming input is built in ONE place ({@link namingInputFor}), so a change of what names
 * are hashed over (e.g. the subscription id) is one line here.
 */
import { execFile } from "node:child_process";
import { isAbsolute, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { sha256File } from "../arm/blobUpload";
import { contentVersion, DATA_ASSET_NAMES, type DataAssetRole } from "../config/dataAssets";
import { namingInput, serverlessEndpointName, stackNames, type NamingInput, type StackNames } from "../config/naming";
import { CONFIG_NAMESPACE, decodePulumiConfig, parseStackConfig, type StackConfig } from "../config/schema";
import { readStackFile } from "../config/stackFile";
import { formatReport, validateDataset, type ValidationReport } from "../data";

/** Refused before anything was sent to Azure: the message says what to fix. */
export class FinetuneRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FinetuneRefusal";
  }
}

export interface StackContext {
  stack: string;
  /** Path of the stack file read. */
  stackFilePath: string;
  /** Directory data paths in the config are relative to. */
  projectDir: string;
  config: StackConfig;
  subscriptionId: string;
  names: StackNames;
  endpoints: { base: string; fineTuned: string };
}

export interface LoadStackOptions {
  stack: string;
  projectDir: string;
  /** Where `Pulumi.<stack>.yaml` is read from (default: projectDir). */
  configDir?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--subscription`: wins over every other source. */
  subscriptionId?: string;
  /** Runs `az account show`; injectable for tests. */
  azAccountShow?: () => Promise<string>;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The one place a stack's NamingInput is built (see components/environment.ts for the program's). */
export function namingInputFor(config: StackConfig, stack: string, subscriptionId: string): NamingInput {
  return namingInput(config, CONFIG_NAMESPACE, stack, subscriptionId);
}

export async function loadStack(options: LoadStackOptions): Promise<StackContext> {
  const file = readStackFile(options.configDir ?? options.projectDir, options.stack);
  const config = parseStackConfig(decodePulumiConfig(file.config), file.path);
  const subscriptionId = options.subscriptionId ?? (await resolveSubscriptionId(options.env, file.config["azure-native:subscriptionId"], options.azAccountShow ?? azAccountShow));
  const naming = namingInputFor(config, options.stack, subscriptionId);
  return {
    stack: options.stack,
    stackFilePath: file.path,
    projectDir: options.projectDir,
    config,
    subscriptionId,
    names: stackNames(naming),
    endpoints: { base: serverlessEndpointName(naming, "base"), fineTuned: serverlessEndpointName(naming, "ft") },
  };
}

/**
 * The subscription the stack deploys to, as azure-native finds it: ARM_SUBSCRIPTION_ID, then the
 * stack's `azure-native:subscriptionId`, then the Azure CLI's current account. Must be a GUID.
 */
export async function resolveSubscriptionId(env: Readonly<Record<string, string | undefined>>, fromConfig: string | undefined, azShow: () => Promise<string>): Promise<string> {
  const candidates: [string, string | undefined][] = [
    ["ARM_SUBSCRIPTION_ID", env.ARM_SUBSCRIPTION_ID?.trim() || undefined],
    ["azure-native:subscriptionId in the stack file", fromConfig?.trim() || undefined],
  ];
  for (const [source, value] of candidates) {
    if (value === undefined) continue;
    if (!GUID.test(value)) throw new FinetuneRefusal(`${source} is "${value}", which is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)`);
    return value;
  }
  let fromCli: string;
  try {
    fromCli = (await azShow()).trim();
  } catch (error) {
    throw new FinetuneRefusal(
      `the Azure subscription is unknown: set ARM_SUBSCRIPTION_ID (or azure-native:subscriptionId in the stack file), or sign in with \`az login\` (az account show failed: ${(error as Error).message.split("\n")[0]})`,
    );
  }
  if (!GUID.test(fromCli)) throw new FinetuneRefusal(`\`az account show\` gave "${fromCli}", which is not a subscription id; set ARM_SUBSCRIPTION_ID`);
  return fromCli;
}

async function azAccountShow(): Promise<string> {
  const { stdout } = await promisify(execFile)("az", ["account", "show", "--query", "id", "--output", "tsv"], { timeout: 30_000 });
  return stdout;
}

export interface DataAsset {
  role: DataAssetRole;
  /** Data asset name in the project. */
  name: string;
  /** Asset version: the content hash's first 12 hex characters. */
  version: string;
  sha256: string;
  path: string;
}

export interface DataGateResult {
  report: ValidationReport;
  assets: DataAsset[];
}

/**
 * The data gate, as `pulumi up` runs it (stack/inputs.ts): the same validator, model, epochs and
 * price. Refuses with the validator's report when the data is invalid.
 */
export async function runDataGate(ctx: StackContext): Promise<DataGateResult> {
  const { config } = ctx;
  const files: [DataAssetRole, string][] = [["training", resolveDataPath(ctx.projectDir, config.data.trainingFile)]];
  if (config.data.validationFile) files.push(["validation", resolveDataPath(ctx.projectDir, config.data.validationFile)]);
  const report = await validateDataset({
    trainingFile: files[0]![1],
    validationFile: files[1]?.[1],
    model: config.model,
    epochs: config.finetune.epochs,
    pricePer1kTokens: config.finetune.pricePer1kTokens,
  });
  if (!report.valid) {
    throw new FinetuneRefusal(`the training data fails the data gate; nothing was submitted. Fix these and run again:\n${formatReport(report)}`);
  }
  const assets: DataAsset[] = [];
  for (const [role, path] of files) {
    const sha256 = await sha256File(path);
    assets.push({ role, name: DATA_ASSET_NAMES[role], version: contentVersion(sha256), sha256, path });
  }
  return { report, assets };
}

/** Paths in config are relative to the project; messages show them relative to the working directory. */
function resolveDataPath(projectDir: string, path: string): string {
  const absolute = isAbsolute(path) ? path : resolve(projectDir, path);
  const shown = relative(process.cwd(), absolute);
  return shown.startsWith("..") ? absolute : shown || absolute;
}
