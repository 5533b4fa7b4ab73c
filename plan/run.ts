/**
 * Runs the Pulumi program under the SDK's mock runtime and records what it declares: the
 * offline plan. Same config file, same validation (`loadStackInputs`) and same declarations
 * (`declareEnvironment`) as index.ts under `pulumi up`; only the engine is replaced by a
 * recorder that answers like Azure. Validation runs before the mock runtime starts, so bad
 * input is refused with the same message and without a half-run program.
 */
import { basename } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../config/schema";
import type { ValidationReport } from "../data";
import { loadStackInputs } from "../stack/inputs";
import { declareEnvironment } from "../stack/program";
import { readStackFile } from "../config/stackFile";
import { evaluatePolicies, type PolicyViolation } from "../policy/offline";
import { armMocks } from "./armMocks";
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
}

export interface RunPlanOptions {
  stack: string;
  /** The directory holding Pulumi.yaml and index.ts (data paths in config are relative to it). */
  projectDir: string;
  /** Where `Pulumi.<stack>.yaml` is read from; the project directory unless given (tests use temp dirs). */
  configDir?: string;
}

/** Plans one stack. Throws StackFileError, ConfigError or DataGateError for bad input. */
export async function runPlan(options: RunPlanOptions): Promise<PlanResult> {
  const file = readStackFile(options.configDir ?? options.projectDir, options.stack);
  const inputs = await loadStackInputs({ allConfig: file.config, source: basename(file.path), projectDir: options.projectDir });

  // Each plan starts from a fresh SDK state, so several stacks can be planned in one process.
  (globalThis as { globalStore?: unknown }).globalStore = undefined;
  const monitor = new RecordingMonitor(armMocks);
  await pulumi.runtime.setMocks(armMocks, CONFIG_NAMESPACE, options.stack, false);
  pulumi.runtime.setMockOptions(monitor, CONFIG_NAMESPACE, options.stack, false);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  await pulumi.runtime.runInPulumiStack(async () => declareEnvironment(inputs, { project: CONFIG_NAMESPACE, stack: options.stack }));
  await waitForRPCs();

  const resources = [...monitor.planned].sort((a, b) => a.urn.localeCompare(b.urn));
  const graph = buildGraph(resources);
  return {
    stack: options.stack,
    environment: inputs.config.environment,
    resources,
    waves: graph.waves,
    destroyOrder: graph.destroyOrder,
    outputs: monitor.stackOutputs,
    dataReport: inputs.dataReport,
    warnings: [
      ...planWarnings(inputs.config, options.stack),
      ...inputs.dataReport.warnings.map((w) => `data: ${w.file}${w.line > 0 ? `:${w.line}` : ""} [${w.code}] ${w.message}`),
    ],
    violations: evaluatePolicies(resources),
  };
}
