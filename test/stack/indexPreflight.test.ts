/**
 * index.ts under `pulumi up` runs the network preflight of a private stack before it declares a
 * single resource: with credentials that give no token (a federated token Entra ID refuses, or
 * no network to reach it at all), it stops with the preflight's message and nothing registered.
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
afterAll(() => {
  process.env = saved;
});

async function runProdIndex(preview: boolean): Promise<{ error: unknown; registered: string[] }> {
  for (const key of Object.keys(process.env)) if (key.startsWith("ARM_")) delete process.env[key];
  process.env.AZURE_CONFIG_DIR = mkdtempSync(join(tmpdir(), "llft-az-empty-"));
  Object.assign(process.env, { ARM_CLIENT_ID: "00000000-aaaa-4bbb-8ccc-000000000001", ARM_TENANT_ID: "00000000-aaaa-4bbb-8ccc-000000000002", ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "not-a-federated-token" });
  const file = readStackFile(writeStackFile("prod", repoStackConfig("prod")), "prod");
  const registered: string[] = [];
  await pulumi.runtime.setMocks({ ...armMocks, newResource: (args) => (registered.push(args.type), armMocks.newResource(args)) }, "llama-finetune-env", "prod", preview);
  pulumi.runtime.setAllConfig(file.config, file.secretKeys);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(join(PROJECT_DIR, "index.ts")) as () => Promise<Record<string, unknown>>;
  const error = await program().then(() => undefined, (e: unknown) => e);
  await waitForRPCs();
  return { error, registered };
}

test("pulumi up: a private stack whose deployer gets no storage token is refused before any resource is registered", async () => {
  const { error, registered } = await runProdIndex(false);
  expect(error).toBeInstanceOf(pulumi.RunError);
  expect((error as Error).message).toMatch(/^Network mode "private": could not get an Entra ID token for storage with the credentials azure-native uses: /);
  expect(registered).toEqual([]);
});

test("pulumi preview: the same refusal is a warning, and the preview goes on", async () => {
  const { error, registered } = await runProdIndex(true);
  expect(error).toBeUndefined();
  expect(registered).toEqual(expect.arrayContaining(["azure-native:network:PrivateEndpoint"]));
});
