/**
 * Watching a job until it ends: poll Jobs_Get, report each status change (and the training
 * metrics the service exposes), and stop at a terminal status, when the bound passes, or when
 * the caller aborts (Ctrl-C stops the *watch*, never the job).
 *
 * Polling backs off from `initialDelayMs` to `maxDelayMs` while nothing changes and starts over
 * after a change; throttling (429 with Retry-After) and token refresh are handled below, in
 * http.ts, for every single call.
 */
import { TERMINAL_STATUSES, type ArmJob, type ArmJobsClient } from "./armJobs";
import type { JsonHttpClient, Sleep } from "./http";
import { fetchMetrics } from "./metrics";

export type WatchEvent =
  | { kind: "status"; status: string; previous?: string; elapsedMs: number; metrics?: Record<string, number> }
  | { kind: "tick"; status: string; elapsedMs: number; metrics?: Record<string, number> };

export interface WatchOptions {
  jobs: ArmJobsClient;
  /** Client for the metrics endpoint (best effort); no metrics when absent. */
  metricsHttp?: JsonHttpClient;
  name: string;
  sleep: Sleep;
  now: () => number;
  signal?: AbortSignal;
  onEvent: (event: WatchEvent) => void;
  /** Stop watching (not the job) after this long; undefined means until the job ends. */
  maxWaitMs?: number;
  /** Default 15 s. */
  initialDelayMs?: number;
  /** Default 2 minutes. */
  maxDelayMs?: number;
}

export type WatchResult = { kind: "terminal" | "timeout"; job: ArmJob; status: string; elapsedMs: number };

export class JobVanishedError extends Error {
  constructor(name: string) {
    super(`job ${name} no longer exists in the project (deleted, or the project was torn down)`);
    this.name = "JobVanishedError";
  }
}

export async function watchJob(options: WatchOptions): Promise<WatchResult> {
  const { jobs, name, now, sleep, signal } = options;
  const started = now();
  const deadline = options.maxWaitMs === undefined ? Infinity : started + options.maxWaitMs;
  const initialDelay = options.initialDelayMs ?? 15_000;
  const maxDelay = options.maxDelayMs ?? 120_000;
  let delay = initialDelay;
  let previous: string | undefined;
  let createdAt: number | undefined;
  for (;;) {
    const job = await jobs.getJob(name, signal);
    if (job === undefined) throw new JobVanishedError(name);
    createdAt ??= parseTime(job.systemData?.createdAt, now());
    const status = job.properties.status ?? "Unknown";
    const metrics = options.metricsHttp ? await fetchMetrics(options.metricsHttp, job, signal) : undefined;
    const elapsedMs = now() - (createdAt ?? started);
    if (status !== previous) {
      options.onEvent({ kind: "status", status, previous, elapsedMs, metrics });
      previous = status;
      delay = initialDelay;
    } else {
      options.onEvent({ kind: "tick", status, elapsedMs, metrics });
    }
    if (TERMINAL_STATUSES.has(status)) return { kind: "terminal", job, status, elapsedMs };
    const remaining = deadline - now();
    if (remaining <= 0) return { kind: "timeout", job, status, elapsedMs };
    await sleep(Math.min(delay, remaining), signal);
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** A creation time in the past, else undefined (clock skew, or an unparseable value). */
function parseTime(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) || t > now ? undefined : t;
}

/** `1h 02m 03s`, `4m 05s`, `6s`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m ${String(sec).padStart(2, "0")}s`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}
