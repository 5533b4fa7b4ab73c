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
  "timeout-minutes": z.number().optional(),
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

/** Every job of every workflow file, with its file and id. */
export function allJobs(): { file: string; id: string; job: Job; workflow: Workflow }[] {
  return workflowFiles().flatMap((file) => {
    const workflow = loadWorkflow(file);
    return Object.entries(workflow.jobs).map(([id, job]) => ({ file, id, job, workflow }));
  });
}

/** The values a matrix key takes (a literal list), or [] when it is computed (e.g. fromJSON). */
export function matrixValues(j: Job, key: string): string[] {
  const values = j.strategy?.matrix[key];
  return Array.isArray(values) ? values.map(String) : [];
}

/**
 * The stacks a job acts on, as written: `stack-name` of the pulumi/actions steps (with
 * `${{ env.STACK }}` replaced by the job's STACK), `--stack` of pulumi and teardown command
 * lines (with "$STACK" likewise). Offline plans (`npm run plan`) touch no stack and are left out.
 */
export function stacksOf(j: Job): string[] {
  const resolve = (value: string) => value.replace("${{ env.STACK }}", j.env?.STACK ?? "$STACK").replace(/^"?\$STACK"?$/, j.env?.STACK ?? "$STACK");
  const fromActions = stepUsing(j, "pulumi/actions").flatMap((s) => (typeof s.with?.["stack-name"] === "string" ? [resolve(s.with["stack-name"])] : []));
  const fromLines = runLines(j)
    .filter((l) => /^(pulumi |npm run (--silent )?teardown )/.test(l) || /\bpulumi (preview|up|destroy|refresh) /.test(l))
    .flatMap((l) => [...l.matchAll(/--stack (\S+)/g)].map((m) => resolve(m[1])));
  return [...new Set([...fromActions, ...fromLines])];
}

/** Whether a job changes a stack's state or resources (rather than only previewing it). */
export function changesStack(j: Job): boolean {
  const actions = stepUsing(j, "pulumi/actions").some((s) => ["up", "update", "refresh", "destroy"].includes(String(s.with?.command ?? "")));
  const lines = runLines(j).some((l) => /^npm run teardown -- --stack /.test(l) || /^pulumi (up|destroy|refresh|stack rm)\b/.test(l));
  return actions || lines;
}

/** The GitHub environments a job may run in (`${{ matrix.x }}-suffix` is expanded over the matrix). */
export function environmentsOf(j: Job): string[] {
  if (!j.environment) return [];
  const m = /^\$\{\{ matrix\.(\w+) \}\}(.*)$/.exec(j.environment);
  return m ? matrixValues(j, m[1]).map((v) => `${v}${m[2]}`) : [j.environment];
}

export const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
export const NOT_DEPENDABOT = "github.event.pull_request.user.login != 'dependabot[bot]'";
