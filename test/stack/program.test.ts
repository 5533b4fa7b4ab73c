/**
 * index.ts under `pulumi up`: it refuses to guess the deployer's principal type (ARM refuses a
 * wrong one with UnmatchedPrincipalType, after resources were created), and detects it from
 * the CI's ARM_* variables.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readStackFile } from "../../config/stackFile";
import { armMocks } from "../../plan/armMocks";
import { PROJECT_DIR, repoStackConfig, writeStackFile } from "../helpers/plan";

// The SDK's own wait for outstanding register requests (see plan/run.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

const saved = { ...process.env };
beforeEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith("ARM_")) delete process.env[key];
  process.env.AZURE_CONFIG_DIR = mkdtempSync(join(tmpdir(), "llft-az-empty-"));
});
afterAll(() => {
  process.env = saved;
});

async function runIndex(configDir: string, stack: string): Promise<Record<string, unknown>> {
  const file = readStackFile(configDir, stack);
  await pulumi.runtime.setMocks(armMocks, "llama-finetune-env", stack, false);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(join(PROJECT_DIR, "index.ts")) as () => Promise<Record<string, unknown>>;
  const outputs = await program();
  await waitForRPCs();
  return outputs;
}

test("with no ARM_* service principal and no az login, pulumi up stops and says what to set", async () => {
  const dir = writeStackFile("dev", repoStackConfig("dev"));
  const error = await runIndex(dir, "dev").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(pulumi.RunError);
  expect((error as Error).message).toMatch(/^Cannot tell whether the identity running pulumi is a user or a service principal .*pulumi config set deployerPrincipalType User \(or ServicePrincipal\)\.$/);
});

test("the CI's OIDC variables make it a service principal, and the program runs", async () => {
  process.env.ARM_CLIENT_ID = "00000000-aaaa-4bbb-8ccc-000000000001";
  process.env.ARM_USE_OIDC = "true";
  const outputs = await runIndex(writeStackFile("dev", repoStackConfig("dev")), "dev");
  expect(Object.keys(outputs)).toEqual(expect.arrayContaining(["hubName", "projectName", "dataAssetIds"]));
});
