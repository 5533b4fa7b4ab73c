/**
 * The real thing: deploys an ephemeral test stack to Azure with Pulumi's Automation API, checks
 * its outputs, then destroys and removes it. It needs the Pulumi CLI and ARM credentials
 * (ARM_SUBSCRIPTION_ID plus ARM_CLIENT_ID/ARM_TENANT_ID with OIDC or a secret, or `az login`
 * with LLFT_LIVE=1); without them it is skipped, and says why, so a skip is never taken for a pass.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../helpers/plan";

const hasCli = spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0;
const hasCredentials = Boolean(process.env.ARM_SUBSCRIPTION_ID && (process.env.ARM_CLIENT_ID || process.env.LLFT_LIVE === "1"));
const skipReason = !hasCli
  ? "the Pulumi CLI is not installed"
  : !hasCredentials
    ? "no ARM credentials (set ARM_SUBSCRIPTION_ID and ARM_CLIENT_ID/ARM_TENANT_ID, or LLFT_LIVE=1 after az login)"
    : "";
if (skipReason) {
  // Visible in the test output: this suite did not run.
  console.warn(`SKIPPED live Azure test: ${skipReason}`);
}
const live = skipReason ? describe.skip : describe;

live("ephemeral test stack on Azure", () => {
  const stackName = `live-${Date.now().toString(36)}`;
  const stateDir = mkdtempSync(join(tmpdir(), "llft-state-"));
  const stackFile = join(PROJECT_DIR, `Pulumi.${stackName}.yaml`);

  beforeAll(() => copyFileSync(join(PROJECT_DIR, "Pulumi.test.yaml"), stackFile));
  afterAll(() => {
    rmSync(stackFile, { force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  test(
    "up, outputs, destroy, remove",
    async () => {
      const envVars = { PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: "live-test" };
      const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: PROJECT_DIR }, { envVars });
      try {
        await stack.setConfig("llama-finetune-env:nameSalt", { value: stackName });
        const up = await stack.up({ onOutput: (line) => process.stdout.write(line) });
        expect(String(up.outputs.hubName.value)).toMatch(/^llft-hub-/);
        expect(up.outputs.baseEndpoint.secret).toBe(true);
      } finally {
        await stack.destroy({ onOutput: (line) => process.stdout.write(line) });
        await stack.workspace.removeStack(stackName);
      }
    },
    90 * 60 * 1000,
  );
});
