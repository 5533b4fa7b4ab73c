/**
 * Runs the real Pulumi program (index.ts) under the SDK's mock runtime and records what it
 * declares: the offline plan. Same config file, same validation, same program as `pulumi up`;
 * only the engine is replaced by a recorder that answers like Azure.
 */
import { basename, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, decodePulumiConfig, parseStackConfig } from "../config/schema";
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

/**
 * Plans one stack. Throws ConfigError / StackFileError for bad config, and the program's own
 * error (a pulumi.RunError with the data gate's report) for bad data.
 */
export async function runPlan(options: RunPlanOptions): Promise<PlanResult> {
  const file = readStackFile(options.configDir ?? options.projectDir, options.stack);
  // Parsed here too (it is cheap and pure) for the plan's warnings; the program parses it again.
  const config = parseStackConfig(decodePulumiConfig(file.config), basename(file.path));

  // Each plan starts from a fresh SDK state, so several stacks can be planned in one process.
  (globalThis as { globalStore?: unknown }).globalStore = undefined;
  const monitor = new RecordingMonitor(armMocks);
  await pulumi.runtime.setMocks(armMocks, CONFIG_NAMESPACE, options.stack, false);
  pulumi.runtime.setMockOptions(monitor, CONFIG_NAMESPACE, options.stack, false);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);

  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is loaded like the CLI loads it
  const program = require(join(options.projectDir, "index.ts")) as () => Promise<Record<string, unknown>>;
  await runProgram(program);

  const resources = [...monitor.planned].sort((a, b) => a.urn.localeCompare(b.urn));
  const graph = buildGraph(resources);
  return {
    stack: options.stack,
    environment: config.environment,
    resources,
    waves: graph.waves,
    destroyOrder: graph.destroyOrder,
    warnings: planWarnings(config, options.stack),
    violations: evaluatePolicies(resources),
  };
}

/**
 * Runs the program as the Pulumi runtime does. A program that throws (bad data, say) rejects
 * both the stack's outputs and the stack's own registration; the second rejection has no
 * handler of ours, so it is caught here instead of crashing the process with a trace.
 */
async function runProgram(program: () => Promise<Record<string, unknown>>): Promise<void> {
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => stray.push(reason);
  process.on("unhandledRejection", onStray);
  try {
    await pulumi.runtime.runInPulumiStack(program);
    await waitForRPCs();
  } finally {
    await new Promise((resolveTick) => setImmediate(resolveTick));
    process.off("unhandledRejection", onStray);
  }
  if (stray.length > 0) throw stray[0];
}
