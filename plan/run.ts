/**
 * Runs the Pulumi program under the SDK's mock runtime and records what it declares: the
 * offline plan. Same config file, same validation (`loadStackInputs`), same client facts
 * (`deploymentClient`) and same declarations (`declareEnvironment`) as index.ts under
 * `pulumi up`; only the engine is replaced by a recorder that answers like Azure. Validation
 * runs before the mock runtime starts, so bad input is refused with the same message and
 * without a half-run program. The recorded graph then goes through the policy pack and the
 * deployability checks (deployability/: what ARM would refuse).
 */
import { basename } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isoDay } from "../config/budget";
import type { ModelCatalog } from "../config/models";
import { CONFIG_NAMESPACE } from "../config/schema";
import type { ValidationReport } from "../data";
import { checkPlan, type DeployabilityFinding } from "../deployability";
import { deploymentClient, type DeploymentClient } from "../stack/client";
import { readAzureProfile } from "../stack/deployer";
import { loadStackInputs } from "../stack/inputs";
import { declareEnvironment } from "../stack/program";
import { readStackFile } from "../config/stackFile";
import { evaluatePolicies, type PolicyViolation } from "../policy/offline";
import { makeArmMocks } from "./armMocks";
import { buildGraph } from "./graph";
import { RecordingMonitor } from "./recorder";
import type { EnvironmentKind, PlannedResource } from "./types";
import { planWarnings } from "./warnings";

/**
 * Waits until every register request the program issued has been answered. The SDK marks this
 * helper internal, but it is what its own shutdown uses; outputs alone would not cover
 * resources (such as role assignments) that no output refers to.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export interface PlanResult {
  stack: string;
  environment: EnvironmentKind;
  resources: PlannedResource[];
  waves: string[][];
  destroyOrder: string[];
  /** The stack outputs, secrets shown as "[secret]". */
  outputs: Record<string, unknown>;
  /** The data gate's report (warnings and statistics of the training data). */
  dataReport: ValidationReport;
  warnings: string[];
  violations: PolicyViolation[];
  /** What ARM would refuse (errors fail the plan), see deployability/. */
  deployability: DeployabilityFinding[];
  /** The day the plan was made for, YYYY-MM-DD (UTC). */
  today: string;
  /** True for a plan made like the preview of a fresh stack (outputs of new resources unknown). */
  preview: boolean;
  /** Subscription, tenant and deployer as the program used them. */
  client: DeploymentClient;
}

export interface RunPlanOptions {
  stack: string;
  /** The directory holding Pulumi.yaml and index.ts (data paths in config are relative to it). */
  projectDir: string;
  /** Where `Pulumi.<stack>.yaml` is read from; the project directory unless given (tests use temp dirs). */
  configDir?: string;
  /** The day to plan for, YYYY-MM-DD (UTC); today unless given. */
  today?: string;
  /** Plan like `pulumi preview` of a fresh stack: outputs of new resources are unknown. */
  preview?: boolean;
  /** Environment for the deployer's principal type (ARM_* variables); process.env unless given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The Azure CLI profile (parsed azureProfile.json); read from disk unless the key is given (undefined: none). */
  azureProfile?: unknown;
  /** The subscription the mocked getClientConfig reports (another deployment of the repo). */
  subscriptionId?: string;
  /** The model catalog (default: config/models.ts); tests pass their own. */
  catalog?: ModelCatalog;
}

/** Plans one stack. Throws StackFileError, ConfigError or DataGateError for bad input. */
export async function runPlan(options: RunPlanOptions): Promise<PlanResult> {
  const today = options.today ?? isoDay(new Date());
  const preview = options.preview ?? false;
  const env = options.env ?? process.env;
  const azureProfile = "azureProfile" in options ? options.azureProfile : readAzureProfile(env);
  const file = readStackFile(options.configDir ?? options.projectDir, options.stack);
  const inputs = await loadStackInputs({ allConfig: file.config, source: basename(file.path), projectDir: options.projectDir, today, ...(options.catalog ? { catalog: options.catalog } : {}) });

  // Each plan starts from a fresh SDK state, so several stacks can be planned in one process.
  (globalThis as { globalStore?: unknown }).globalStore = undefined;
  const mocks = makeArmMocks({ preview, ...(options.subscriptionId ? { subscriptionId: options.subscriptionId } : {}) });
  const monitor = new RecordingMonitor(mocks);
  await pulumi.runtime.setMocks(mocks, CONFIG_NAMESPACE, options.stack, preview);
  pulumi.runtime.setMockOptions(monitor, CONFIG_NAMESPACE, options.stack, preview);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  // Before the program body, so a bad subscription id is refused like bad config. Offline there
  // may be no az login: an undetectable deployer is planned as a user (and the plan says so).
  const client: DeploymentClient = await deploymentClient({ config: inputs.config, allConfig: file.config, env, azureProfile, fallbackDeployerType: "User" });
  await pulumi.runtime.runInPulumiStack(async () => declareEnvironment(inputs, { project: CONFIG_NAMESPACE, stack: options.stack, client, today }));
  await waitForRPCs();

  const resources = [...monitor.planned].sort((a, b) => a.urn.localeCompare(b.urn));
  const graph = buildGraph(resources);
  const detected = client.deployerDetection;
  return {
    stack: options.stack,
    environment: inputs.config.environment,
    resources,
    waves: graph.waves,
    destroyOrder: graph.destroyOrder,
    outputs: monitor.stackOutputs,
    dataReport: inputs.dataReport,
    warnings: [
      ...planWarnings(inputs.config, options.stack, new Date(`${today}T00:00:00Z`)),
      ...(detected.principalType
        ? []
        : [`the deployer's principal type is not known (${detected.reason}); the plan assumes User, while pulumi up refuses to guess: set llama-finetune-env:deployerPrincipalType`]),
      ...inputs.dataReport.warnings.map((w) => `data: ${w.file}${w.line > 0 ? `:${w.line}` : ""} [${w.code}] ${w.message}`),
    ],
    violations: evaluatePolicies(resources),
    deployability: await checkPlan({ stack: options.stack, resources, today, deployer: client.deployer, principals: inputs.config.principals }),
    today,
    preview,
    client,
  };
}
