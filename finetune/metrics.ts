/**
 * Training metrics of a running job, as the service exposes them: Azure ML jobs log to the
 * workspace's MLflow tracking server, whose address the job carries in
 * `properties.services.Tracking.endpoint` (an `azureml://<region>.api.azureml.ms/mlflow/v1.0/...`
 * URI). The run id of a job is its name; MLflow's REST API `GET /api/2.0/mlflow/runs/get?run_id=`
 * answers `{ run: { data: { metrics: [{ key, value, step }] } } }` with each metric's latest value.
 *
 * Best effort by design: metrics make the watch more informative, but a tracking server that is
 * unreachable or answers in another shape must never stop the watch, so failures yield undefined.
 */
import { z } from "zod";
import type { ArmJob } from "./armJobs";
import type { JsonHttpClient } from "./http";

const runSchema = z
  .object({
    run: z.object({ data: z.object({ metrics: z.array(z.object({ key: z.string(), value: z.number(), step: z.number().optional() }).loose()).optional() }).loose() }).loose(),
  })
  .loose();

/** The MLflow `runs/get` URL for a job, or undefined when the job names no tracking endpoint. */
export function metricsUrl(job: ArmJob): string | undefined {
  const endpoint = job.properties.services?.Tracking?.endpoint ?? undefined;
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint.replace(/^azureml:\/\//, "https://"));
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:") return undefined;
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/2.0/mlflow/runs/get`;
  url.search = new URLSearchParams({ run_id: job.name }).toString();
  return url.toString();
}

/** Latest value of each metric, or undefined when the tracking server could not tell. */
export async function fetchMetrics(http: JsonHttpClient, job: ArmJob, signal?: AbortSignal): Promise<Record<string, number> | undefined> {
  const url = metricsUrl(job);
  if (url === undefined) return undefined;
  try {
    const res = await http.request("GET", url, undefined, signal);
    if (res.status !== 200) return undefined;
    const parsed = runSchema.safeParse(res.json);
    if (!parsed.success) return undefined;
    const out: Record<string, number> = {};
    for (const m of parsed.data.run.data.metrics ?? []) out[m.key] = m.value;
    return out;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}

/** `train_loss=0.812 eval_loss=0.903`, sorted, at most `max` metrics. */
export function formatMetrics(metrics: Record<string, number> | undefined, max = 4): string {
  if (!metrics) return "";
  return Object.keys(metrics)
    .sort()
    .slice(0, max)
    .map((k) => `${k}=${formatNumber(metrics[k]!)}`)
    .join(" ");
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4).replace(/\.?0+$/, "");
}
