/**
 * index.ts itself, as `pulumi up` loads it: the program reads the stack config from the
 * runtime, validates it and its data, and returns the outputs.
 */
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readStackFile } from "../../config/stackFile";
import { armMocks } from "../../plan/armMocks";
import { PROJECT_DIR, repoStackConfig, writeStackFile } from "../helpers/plan";

/**
 * Register requests (and the serialization of dynamic providers' code) still in flight when a
 * test returns would run after Jest tears the environment down: under `jest --coverage` that
 * crashed the run. The SDK's own shutdown waits with this (internal) helper; so do these tests.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
afterEach(() => waitForRPCs());

async function runIndex(configDir: string, stack: string): Promise<Record<string, unknown>> {
  const file = readStackFile(configDir, stack);
  await pulumi.runtime.setMocks(armMocks, "llama-finetune-env", stack, false);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(join(PROJECT_DIR, "index.ts")) as () => Promise<Record<string, unknown>>;
  const outputs = await program();
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    resolved[key] = await new Promise((resolve) => (pulumi.output(value) as pulumi.Output<unknown>).apply(resolve));
  }
  await waitForRPCs();
  return resolved;
}

test("index.ts builds the dev stack from the runtime's config and exports what users need", async () => {
  // The deployer's principal type is given: the test machine may have no az login to detect it from.
  const outputs = await runIndex(writeStackFile("dev", { ...repoStackConfig("dev"), deployerPrincipalType: "User" }), "dev");
  expect(outputs.hubName).toMatch(/^llft-hub-dev-[0-9a-f]{6}$/);
  expect(outputs.projectName).toMatch(/^llft-proj-dev-[0-9a-f]{6}$/);
  expect(outputs.datastoreName).toBe("training_data");
  expect(Object.keys(outputs.dataAssetIds as object).sort()).toEqual(["training", "validation"]);
  expect(outputs.modelId).toBe("azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct");
  expect(outputs.contentSafety).toBe(true);
});

test("index.ts refuses bad config with a RunError that names the key", async () => {
  const dir = writeStackFile("broken", { ...repoStackConfig("dev"), environment: "qa" });
  await expect(runIndex(dir, "broken")).rejects.toThrow(/llama-finetune-env:environment: "qa" must be one of "prod", "dev", "test"/);
  await expect(runIndex(dir, "broken")).rejects.toBeInstanceOf(pulumi.RunError);
});
