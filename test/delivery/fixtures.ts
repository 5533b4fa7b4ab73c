/** Temporary project directories holding Pulumi.<stack>.yaml files for the teardown tests. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A valid test-stack config (keys in the llama-finetune-env namespace). */
export function stackYaml(overrides: { environment?: string; nameSalt?: string; expiresOn?: string | null; location?: string } = {}): string {
  const lines = [
    "config:",
    `  llama-finetune-env:environment: ${overrides.environment ?? "test"}`,
    `  llama-finetune-env:location: ${overrides.location ?? "westus3"}`,
    "  llama-finetune-env:model: Meta-Llama-3.1-8B-Instruct",
    "  llama-finetune-env:costCenter: ml-platform",
    `  llama-finetune-env:nameSalt: ${overrides.nameSalt ?? "run-1234"}`,
  ];
  if (overrides.expiresOn !== null) lines.push(`  llama-finetune-env:expiresOn: "${overrides.expiresOn ?? "2026-12-31"}"`);
  lines.push(
    "  llama-finetune-env:budget:",
    "    amount: 50",
    '    startDate: "2026-12-01"',
    "    contactEmails: [ml-platform@example.com]",
    "  llama-finetune-env:data:",
    "    trainingFile: examples/data/train.jsonl",
    "    validationFile: examples/data/validation.jsonl",
    "",
  );
  return lines.join("\n");
}

/** A fresh directory with one file per entry: `{ "pr-42": yaml }` → `Pulumi.pr-42.yaml`. */
export function projectDir(stacks: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "teardown-test-"));
  for (const [stack, yaml] of Object.entries(stacks)) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), yaml);
  return dir;
}

export const SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";
