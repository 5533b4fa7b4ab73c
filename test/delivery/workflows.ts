/**
 * The workflow files read as plain YAML, with just enough typing for the assertions.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

export const WORKFLOW_DIR = join(__dirname, "..", "..", ".github", "workflows");

const step = z.looseObject({
  name: z.string().optional(),
  id: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  if: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  env: z.record(z.string(), z.unknown()).optional(),
});
const job = z.looseObject({
  name: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  if: z.string().optional(),
  environment: z.string().optional(),
  permissions: z.record(z.string(), z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  strategy: z.looseObject({ matrix: z.record(z.string(), z.unknown()) }).optional(),
  concurrency: z.looseObject({ group: z.string(), "cancel-in-progress": z.boolean() }).optional(),
  steps: z.array(step),
});
const workflow = z.looseObject({
  name: z.string(),
  on: z.record(z.string(), z.unknown()),
  permissions: z.record(z.string(), z.string()),
  jobs: z.record(z.string(), job),
});

export type Workflow = z.infer<typeof workflow>;
export type Job = z.infer<typeof job>;
export type Step = z.infer<typeof step>;

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function readWorkflowText(file: string): string {
  return readFileSync(join(WORKFLOW_DIR, file), "utf8");
}

export function loadWorkflow(file: string): Workflow {
  return workflow.parse(parse(readWorkflowText(file)));
}

/** Every shell line the job runs (multi-line `run:` blocks split, comments dropped). */
export function runLines(j: Job): string[] {
  return j.steps.flatMap((s) => (s.run ?? "").split("\n").map((l) => l.trim())).filter((l) => l !== "" && !l.startsWith("#"));
}

export function usesOf(j: Job): string[] {
  return j.steps.flatMap((s) => (s.uses ? [s.uses] : []));
}

export function stepUsing(j: Job, action: string): Step[] {
  return j.steps.filter((s) => s.uses?.startsWith(`${action}@`));
}
