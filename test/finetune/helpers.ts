/**
 * Running `npm run finetune` in-process against the fake ML server: a temporary stack file,
 * the fake's names registered as deployed, and the command's output captured.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFinetuneCommand } from "../../finetune/command";
import { loadStack, runDataGate, type StackContext } from "../../finetune/stack";
import { countingCredential, fakeClock, type FakeMl } from "./fakeMl";

export const ROOT = join(__dirname, "..", "..");
export const SUB = "11111111-2222-3333-4444-555555555555";
export const WORKSPACE_GUID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const STACK = "ft";

/** A stack file with comments in odd places, so a rewrite that drops them is caught. */
export function stackYaml(finetune = "    epochs: 2\n    pricePer1kTokens: 0.5\n", extra = ""): string {
  return `# Fine-tuning test stack. This comment must survive --write-config.
config:
  llama-finetune-env:environment: dev # inline comment
  llama-finetune-env:location: westus3
  llama-finetune-env:model: Meta-Llama-3.1-8B-Instruct
  llama-finetune-env:costCenter: ml-platform
  llama-finetune-env:budget:
    amount: 200
    startDate: "2026-12-01"
    thresholds: [50, 80, 100]
    contactEmails: [ml-platform@example.com]
  # The sample data of this repository.
  llama-finetune-env:data:
    trainingFile: examples/data/train.jsonl
    validationFile: examples/data/validation.jsonl
  llama-finetune-env:finetune:
${finetune}${extra}`;
}

export function writeStack(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "finetune-stack-"));
  writeFileSync(join(dir, `Pulumi.${STACK}.yaml`), text);
  return dir;
}

export const ENV = { ARM_SUBSCRIPTION_ID: SUB, CI: "true" };

export async function stackContext(configDir: string): Promise<StackContext> {
  return loadStack({ stack: STACK, projectDir: ROOT, configDir, env: ENV });
}

/** Registers the stack's project and its data versions in the fake, as `pulumi up` would have. */
export async function deploy(fake: FakeMl, configDir: string): Promise<StackContext> {
  const ctx = await stackContext(configDir);
  fake.workspaces.set(ctx.names.project, { location: "westus3", workspaceId: WORKSPACE_GUID });
  const gate = await runDataGate(ctx);
  for (const a of gate.assets) fake.dataVersions.add(`${ctx.names.project}/${a.name}/${a.version}`);
  return ctx;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Harness {
  clock: ReturnType<typeof fakeClock>;
  credential: ReturnType<typeof countingCredential>;
  run(args: string[], extra?: { signal?: AbortSignal; isTTY?: boolean; env?: Record<string, string> }): Promise<Run>;
}

export function harness(fake: FakeMl, configDir: string, clock = fakeClock()): Harness {
  const credential = countingCredential(clock.now, fake.tokenExpiry);
  return {
    clock,
    credential,
    async run(args, extra = {}) {
      let stdout = "";
      let stderr = "";
      const code = await runFinetuneCommand(["--stack", STACK, "--config-dir", configDir, "--arm-endpoint", fake.endpoint, ...args], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        env: { ...ENV, ...extra.env },
        cwd: ROOT,
        projectDir: ROOT,
        credential,
        trustedCaPem: fake.caPem,
        sleep: clock.sleep,
        now: clock.now,
        isTTY: extra.isTTY ?? false,
        signal: extra.signal,
      });
      return { code, stdout, stderr };
    },
  };
}
