/**
 * The ARM operations of the fine-tuning loop on one project (workspace), api-version 2025-12-01
 * (azure-rest-api-specs, specification/machinelearningservices/resource-manager/
 * Microsoft.MachineLearningServices/stable/2025-12-01): Workspaces_Get, DataVersions_Get,
 * Jobs_Get / Jobs_CreateOrUpdate / Jobs_List / Jobs_Cancel (POST `.../jobs/{id}/cancel`, 200 or
 * 202, examples/Job/cancel.json), ModelVersions_List, ServerlessEndpoints_Get / _ListKeys.
 * Every response body is checked with zod (loosely: only the fields used are required).
 */
import { z } from "zod";
import { errorDetail, type HttpResponse, type JsonHttpClient } from "./http";
import type { WorkspaceScope } from "./jobSpec";

export const ML_API_VERSION = "2025-12-01";

/**
 * Job statuses that will not change any more. JobStatus in the spec also has NotStarted,
 * Starting, Provisioning, Preparing, Queued, Running, Finalizing, CancelRequested, NotResponding,
 * Paused and Unknown; azure-ai-ml's model-as-a-service notebook waits for exactly these three
 * (azureml-examples sdk/python/jobs/finetuning/standalone/model-as-a-service/chat-completion/
 * chat_completion_with_model_as_service.ipynb).
 */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["Completed", "Failed", "Canceled"]);

const jobSchema = z
  .object({
    name: z.string(),
    id: z.string().optional(),
    properties: z
      .object({
        status: z.string().optional(),
        jobType: z.string().optional(),
        displayName: z.string().nullish(),
        tags: z.record(z.string(), z.string().nullable()).nullish(),
        fineTuningDetails: z.object({ model: z.object({ uri: z.string().optional() }).loose().optional() }).loose().nullish(),
        outputs: z.record(z.string(), z.object({ assetName: z.string().nullish(), jobOutputType: z.string().optional() }).loose().nullable()).nullish(),
        services: z.record(z.string(), z.object({ endpoint: z.string().nullish() }).loose().nullable()).nullish(),
        /** Not in the 2025-12-01 schema for jobs, but read when present: the reason a job failed. */
        error: z.object({ code: z.string().optional(), message: z.string().optional() }).loose().nullish(),
      })
      .loose(),
    systemData: z.object({ createdAt: z.string().optional() }).loose().optional(),
  })
  .loose();

export type ArmJob = z.infer<typeof jobSchema>;

const workspaceSchema = z.object({ location: z.string(), properties: z.object({ workspaceId: z.string() }).loose() }).loose();
const pageSchema = z.object({ value: z.array(z.unknown()), nextLink: z.string().nullish() }).loose();
const modelVersionSchema = z.object({ name: z.string(), systemData: z.object({ createdAt: z.string().optional() }).loose().optional() }).loose();
const endpointSchema = z
  .object({
    name: z.string(),
    properties: z
      .object({
        authMode: z.string().optional(),
        provisioningState: z.string().optional(),
        inferenceEndpoint: z.object({ uri: z.string() }).loose().nullish(),
        modelSettings: z.object({ modelId: z.string() }).loose().nullish(),
      })
      .loose(),
  })
  .loose();
const keysSchema = z.object({ primaryKey: z.string().nullish(), secondaryKey: z.string().nullish() }).loose();

export type ServerlessEndpointInfo = z.infer<typeof endpointSchema>;

/** An ARM call failed for good: operation, status, ARM's code and message, and what to check. */
export class ArmCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${operation} failed with HTTP ${status}: ${detail}${hint(status)}`);
    this.name = "ArmCallError";
  }
}

function hint(status: number): string {
  if (status === 401) return ". Check the ARM_* credentials (or `az login`) and that ARM_TENANT_ID is the subscription's tenant.";
  if (status === 403) return ". The identity needs the Azure AI Developer role on the project (it can read and submit jobs) — see README \"Azure permissions\".";
  return "";
}

export class ArmJobsClient {
  private readonly base: string;

  constructor(
    private readonly http: JsonHttpClient,
    armEndpoint: string,
    readonly scope: WorkspaceScope,
  ) {
    this.base = `${armEndpoint.replace(/\/+$/, "")}/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scope.workspace}`;
  }

  private url(path: string, query: Record<string, string> = {}): string {
    const params = new URLSearchParams({ "api-version": ML_API_VERSION, ...query });
    return `${this.base}${path}?${params.toString()}`;
  }

  /** The project's location and workspace GUID, or undefined when the project (or its resource group) does not exist. */
  async getWorkspace(signal?: AbortSignal): Promise<{ location: string; workspaceId: string } | undefined> {
    const res = await this.http.request("GET", this.url(""), undefined, signal);
    if (res.status === 404) return undefined;
    const ws = parse(workspaceSchema, ok(res, `Reading project ${this.scope.workspace}`), `project ${this.scope.workspace}`);
    return { location: ws.location, workspaceId: ws.properties.workspaceId };
  }

  async dataVersionExists(name: string, version: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.request("GET", this.url(`/data/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`), undefined, signal);
    if (res.status === 404) return false;
    ok(res, `Reading data asset ${name}:${version}`);
    return true;
  }

  async getJob(name: string, signal?: AbortSignal): Promise<ArmJob | undefined> {
    const res = await this.http.request("GET", this.url(`/jobs/${encodeURIComponent(name)}`), undefined, signal);
    if (res.status === 404) return undefined;
    return parse(jobSchema, ok(res, `Reading job ${name}`), `job ${name}`);
  }

  async createJob(name: string, body: unknown, signal?: AbortSignal): Promise<ArmJob> {
    const res = await this.http.request("PUT", this.url(`/jobs/${encodeURIComponent(name)}`), body, signal);
    return parse(jobSchema, ok(res, `Submitting job ${name}`), `job ${name}`);
  }

  /** Asks the service to cancel a job (Jobs_Cancel). The job then passes through CancelRequested. */
  async cancelJob(name: string, signal?: AbortSignal): Promise<void> {
    const res = await this.http.request("POST", this.url(`/jobs/${encodeURIComponent(name)}/cancel`), undefined, signal);
    ok(res, `Canceling job ${name}`);
  }

  /** Every fine-tuning job of the project (all pages). */
  async listJobs(signal?: AbortSignal): Promise<ArmJob[]> {
    const jobs: ArmJob[] = [];
    let next: string | undefined = this.url("/jobs", { jobType: "FineTuning" });
    for (let page = 0; next !== undefined && page < 100; page++) {
      const res = await this.http.request("GET", next, undefined, signal);
      const body = parse(pageSchema, ok(res, "Listing jobs"), "job list");
      for (const item of body.value) jobs.push(parse(jobSchema, item, "job list entry"));
      next = body.nextLink ?? undefined;
    }
    return jobs;
  }

  /** The newest registered version of a model in the project, or undefined when it has none. */
  async latestModelVersion(name: string, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.http.request("GET", this.url(`/models/${encodeURIComponent(name)}/versions`, { $orderBy: "createdtime desc", $top: "1" }), undefined, signal);
    if (res.status === 404) return undefined;
    const body = parse(pageSchema, ok(res, `Reading model ${name}`), `model ${name} versions`);
    const versions = body.value.map((v) => parse(modelVersionSchema, v, `model ${name} version`));
    versions.sort((a, b) => compareVersions(b.name, a.name));
    return versions[0]?.name;
  }

  async getServerlessEndpoint(name: string, signal?: AbortSignal): Promise<ServerlessEndpointInfo | undefined> {
    const res = await this.http.request("GET", this.url(`/serverlessEndpoints/${encodeURIComponent(name)}`), undefined, signal);
    if (res.status === 404) return undefined;
    return parse(endpointSchema, ok(res, `Reading serverless endpoint ${name}`), `serverless endpoint ${name}`);
  }

  async listServerlessEndpointKeys(name: string, signal?: AbortSignal): Promise<string> {
    const res = await this.http.request("POST", this.url(`/serverlessEndpoints/${encodeURIComponent(name)}/listKeys`), undefined, signal);
    const keys = parse(keysSchema, ok(res, `Listing keys of serverless endpoint ${name}`), `keys of ${name}`);
    const key = keys.primaryKey ?? keys.secondaryKey;
    if (!key) throw new ArmCallError(`Listing keys of serverless endpoint ${name}`, res.status, "the answer holds no key");
    return key;
  }
}

function ok(res: HttpResponse, operation: string): unknown {
  if (res.status >= 200 && res.status < 300) return res.json;
  throw new ArmCallError(operation, res.status, errorDetail(res));
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`ARM answered with an unexpected body for ${what}: ${issues.join("; ")}`);
  }
  return parsed.data;
}

/** Numeric versions compare as numbers ("10" > "9"), anything else as text. */
function compareVersions(a: string, b: string): number {
  return /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
}
