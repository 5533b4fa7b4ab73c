/**
 * `--cancel`: cancel every job this tool submitted in the stack's project that has not ended,
 * and wait until they have left the running states (or the bound passes). Idempotent on
 * purpose, because teardown runs it before purging the workspaces: a missing project or no
 * running job is a successful no-op, and a job that ends on its own while we cancel is fine.
 *
 * "Submitted by this tool" means tagged `llama-finetune-env.tool: finetune` and `stack: <stack>`
 * (jobSpec.ts), so jobs people started in the portal are never touched.
 */
import { TERMINAL_STATUSES, type ArmJob, type ArmJobsClient } from "./armJobs";
import type { Sleep } from "./http";
import { STACK_TAG, TOOL_TAG, TOOL_TAG_VALUE } from "./jobSpec";

export type CancelOutcome =
  | { kind: "skipped"; reason: "project not found" | "no running job" }
  | { kind: "canceled"; jobs: { name: string; status: string }[] }
  | { kind: "timeout"; jobs: { name: string; status: string }[] };

export interface CancelOptions {
  jobs: ArmJobsClient;
  stack: string;
  sleep: Sleep;
  now: () => number;
  signal?: AbortSignal;
  /** How long to wait for the jobs to leave the running states. Default 10 minutes. */
  maxWaitMs?: number;
  /** Poll interval while waiting. Default 10 s. */
  pollMs?: number;
  log: (line: string) => void;
}

export function isOurs(job: ArmJob, stack: string): boolean {
  const tags = job.properties.tags ?? {};
  return tags[TOOL_TAG] === TOOL_TAG_VALUE && tags[STACK_TAG] === stack;
}

export function isRunning(job: ArmJob): boolean {
  return !TERMINAL_STATUSES.has(job.properties.status ?? "Unknown");
}

export async function cancelStackJobs(options: CancelOptions): Promise<CancelOutcome> {
  const { jobs, stack, sleep, now, signal, log } = options;
  if ((await jobs.getWorkspace(signal)) === undefined) return { kind: "skipped", reason: "project not found" };
  const running = (await jobs.listJobs(signal)).filter((j) => isOurs(j, stack) && isRunning(j));
  if (running.length === 0) return { kind: "skipped", reason: "no running job" };

  for (const job of running) {
    // A job may end between the list and the cancel: the service may then refuse the cancel, which is fine.
    log(`canceling ${job.name} (${job.properties.status ?? "Unknown"})`);
    try {
      await jobs.cancelJob(job.name, signal);
    } catch (error) {
      const now = await jobs.getJob(job.name, signal);
      if (now !== undefined && isRunning(now)) throw error;
      log(`${job.name} ended on its own (${now?.properties.status ?? "deleted"})`);
    }
  }

  const deadline = now() + (options.maxWaitMs ?? 10 * 60_000);
  const state = new Map(running.map((j) => [j.name, j.properties.status ?? "Unknown"]));
  for (;;) {
    for (const name of state.keys()) {
      const job = await jobs.getJob(name, signal);
      state.set(name, job?.properties.status ?? "Canceled");
    }
    const list = [...state].map(([name, status]) => ({ name, status }));
    if (list.every((j) => TERMINAL_STATUSES.has(j.status))) return { kind: "canceled", jobs: list };
    const remaining = deadline - now();
    if (remaining <= 0) return { kind: "timeout", jobs: list };
    await sleep(Math.min(options.pollMs ?? 10_000, remaining), signal);
  }
}
