/**
 * A loopback HTTPS server that answers the Azure ML control-plane calls of the fine-tuning
 * loop like ARM does (api-version 2025-12-01): workspaces, data versions, jobs (create, get,
 * list, cancel) moving through scripted statuses, model versions, serverless endpoints and
 * their keys, plus the MLflow `runs/get` the watch reads metrics from.
 *
 * Behaviour worth testing is scriptable: the status sequence each job walks through (one step
 * per GET), faults injected on matching requests (e.g. 429 with Retry-After), and tokens the
 * server refuses with 401 (an expired token). Every request is recorded, with its body.
 */
import { createServer, type Server } from "node:https";
import { listenOnLoopback, makeCertificate } from "../arm/loopbackHttps";

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
  /** The status the fake answered with. */
  status?: number;
}

export interface Canned {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Fault {
  method?: string;
  /** Matches the request path (without the query). */
  path: RegExp;
  response: Canned;
  /** How many times to answer with the fault before letting requests through. */
  times: number;
}

export interface FakeJob {
  name: string;
  workspace: string;
  /** The PUT body's `properties`, as received (or as seeded). */
  properties: Record<string, unknown>;
  status: string;
  /** Statuses still to come, one per GET. */
  script: string[];
  createdAt: string;
  metrics: Record<string, number>;
  error?: { code: string; message: string };
}

export interface FakeMl {
  endpoint: string;
  caPem: string;
  requests: Recorded[];
  workspaces: Map<string, { location: string; workspaceId: string }>;
  /** `workspace/name/version`. */
  dataVersions: Set<string>;
  jobs: Map<string, FakeJob>;
  /** `workspace/model name` → versions. */
  models: Map<string, string[]>;
  endpoints: Map<string, { uri: string; authMode: string; key: string }>;
  faults: Fault[];
  /** Tokens answered with 401 (revoked, or expired by the server's clock). */
  rejectedTokens: Set<string>;
  /** Expiry of known tokens by the fake's clock: a token used after it gets 401, like ARM. */
  tokenExpiry: Map<string, number>;
  /** Statuses a newly submitted job walks through, one per GET. */
  nextScript: string[];
  /** Statuses a job walks through after a cancel request. */
  cancelScript: string[];
  /** Metrics a job reports once Running. */
  runningMetrics: Record<string, number>;
  /** Error a job that reaches Failed carries. */
  failure?: { code: string; message: string };
  /** Items per page of the job list. */
  pageSize: number;
  /** The registry version `labels/latest` resolves to. */
  latestModelVersion: string;
  close(): Promise<void>;
}

const WS = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)(\/.*)?$/;
const MLFLOW = /^\/mlflow\/v1\.0\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/api\/2\.0\/mlflow\/runs\/get$/;
const TERMINAL = new Set(["Completed", "Failed", "Canceled"]);

export function armError(status: number, code: string, message: string, headers?: Record<string, string>): Canned {
  return { status, headers, body: { error: { code, message } } };
}

export async function startFakeMl(now: () => number = Date.now): Promise<FakeMl> {
  const { key, cert } = makeCertificate();
  const fake: Omit<FakeMl, "endpoint" | "close"> = {
    caPem: cert,
    requests: [],
    workspaces: new Map(),
    dataVersions: new Set(),
    jobs: new Map(),
    models: new Map(),
    endpoints: new Map(),
    faults: [],
    rejectedTokens: new Set(),
    tokenExpiry: new Map(),
    nextScript: ["Queued", "Running", "Completed"],
    cancelScript: ["CancelRequested", "Canceled"],
    runningMetrics: { train_loss: 0.8125, eval_loss: 0.9 },
    pageSize: 50,
    latestModelVersion: "5",
  };
  let endpoint = "";

  const jobView = (job: FakeJob, sub: string, rg: string) => ({
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${job.workspace}/jobs/${job.name}`,
    name: job.name,
    type: "Microsoft.MachineLearningServices/workspaces/jobs",
    properties: {
      ...job.properties,
      status: job.status,
      ...(job.error && job.status === "Failed" ? { error: job.error } : {}),
      services: {
        Tracking: {
          jobServiceType: "Tracking",
          endpoint: `${endpoint.replace("https://", "azureml://")}/mlflow/v1.0/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${job.workspace}`,
        },
        Studio: { jobServiceType: "Studio", endpoint: `https://ml.azure.com/runs/${job.name}` },
      },
    },
    systemData: { createdAt: job.createdAt },
  });

  const advance = (job: FakeJob) => {
    const next = job.script.shift();
    if (next === undefined) return;
    job.status = next;
    if (next === "Failed") job.error = fake.failure ?? { code: "UserError", message: "training failed" };
    if (next === "Completed") {
      const output = (job.properties.outputs as Record<string, { assetName?: string }> | undefined)?.registered_model?.assetName;
      if (output) fake.models.set(`${job.workspace}/${output}`, [...(fake.models.get(`${job.workspace}/${output}`) ?? []), "1"]);
    }
  };

  const route = (method: string, path: string, query: Record<string, string>, body: unknown): Canned => {
    const ml = MLFLOW.exec(path);
    if (ml && method === "GET") {
      const job = fake.jobs.get(query.run_id ?? "");
      if (!job) return armError(404, "RESOURCE_DOES_NOT_EXIST", "run not found");
      return { status: 200, body: { run: { info: { run_id: job.name }, data: { metrics: Object.entries(job.metrics).map(([k, value]) => ({ key: k, value, step: 1, timestamp: 0 })) } } } };
    }
    const m = WS.exec(path);
    if (!m) return armError(404, "NoRoute", `no route for ${method} ${path}`);
    if (query["api-version"] !== "2025-12-01") return armError(400, "InvalidApiVersion", `api-version ${query["api-version"]} is not served here`);
    const [, sub, rg, ws, rest = ""] = m as unknown as [string, string, string, string, string];
    const workspace = fake.workspaces.get(ws);
    if (!workspace) return armError(404, "ResourceNotFound", `workspace ${ws} not found`);
    if (rest === "" && method === "GET") return { status: 200, body: { name: ws, location: workspace.location, properties: { workspaceId: workspace.workspaceId } } };
    let r: RegExpExecArray | null;
    if ((r = /^\/data\/([^/]+)\/versions\/([^/]+)$/.exec(rest)) && method === "GET") {
      return fake.dataVersions.has(`${ws}/${r[1]}/${r[2]}`) ? { status: 200, body: { name: r[2], properties: { dataType: "uri_file" } } } : armError(404, "UserError", "data version not found");
    }
    if (rest === "/jobs" && method === "GET") {
      const all = [...fake.jobs.values()].filter((j) => j.workspace === ws);
      const skip = Number(query.skip ?? "0");
      const page = all.slice(skip, skip + fake.pageSize);
      const nextLink = skip + fake.pageSize < all.length ? `${endpoint}${path}?api-version=2025-12-01&skip=${skip + fake.pageSize}` : undefined;
      return { status: 200, body: { value: page.map((j) => jobView(j, sub, rg)), ...(nextLink ? { nextLink } : {}) } };
    }
    if ((r = /^\/jobs\/([^/]+)$/.exec(rest))) {
      const name = r[1]!;
      const job = fake.jobs.get(name);
      if (method === "GET") {
        if (!job) return armError(404, "UserError", `job ${name} not found`);
        advance(job);
        if (job.status === "Running") job.metrics = { ...fake.runningMetrics };
        return { status: 200, body: jobView(job, sub, rg) };
      }
      if (method === "PUT") {
        if (job) return armError(409, "UserError", `job ${name} already exists and cannot be updated`);
        const props = structuredClone((body as { properties: Record<string, unknown> }).properties);
        // Like the service, answer with the registry version that `labels/latest` stood for.
        const model = (props.fineTuningDetails as { model?: { uri?: string } } | undefined)?.model;
        if (model?.uri) model.uri = model.uri.replace(/\/labels\/latest$/, `/versions/${fake.latestModelVersion}`);
        const created: FakeJob = { name, workspace: ws, properties: props, status: "NotStarted", script: [...fake.nextScript], createdAt: new Date(now()).toISOString(), metrics: {} };
        fake.jobs.set(name, created);
        return { status: 201, body: jobView(created, sub, rg) };
      }
    }
    if ((r = /^\/jobs\/([^/]+)\/cancel$/.exec(rest)) && method === "POST") {
      const job = fake.jobs.get(r[1]!);
      if (!job) return armError(404, "UserError", "job not found");
      if (TERMINAL.has(job.status)) return armError(400, "UserError", `job is ${job.status} and cannot be canceled`);
      job.status = "CancelRequested";
      job.script = [...fake.cancelScript];
      return { status: 202, headers: { location: `${endpoint}${path}` } };
    }
    if ((r = /^\/models\/([^/]+)\/versions$/.exec(rest)) && method === "GET") {
      const versions = fake.models.get(`${ws}/${r[1]}`);
      if (!versions) return armError(404, "UserError", "model not found");
      return { status: 200, body: { value: versions.map((v) => ({ name: v, properties: {} })) } };
    }
    if ((r = /^\/serverlessEndpoints\/([^/]+)(\/listKeys)?$/.exec(rest))) {
      const ep = fake.endpoints.get(r[1]!);
      if (!ep) return armError(404, "ResourceNotFound", "endpoint not found");
      if (r[2] && method === "POST") return { status: 200, body: { primaryKey: ep.key, secondaryKey: `${ep.key}-2` } };
      if (!r[2] && method === "GET") {
        return { status: 200, body: { name: r[1], location: workspace.location, properties: { authMode: ep.authMode, provisioningState: "Succeeded", inferenceEndpoint: { uri: ep.uri } } } };
      }
    }
    return armError(404, "NoRoute", `no route for ${method} ${path}`);
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text === "" ? undefined : (JSON.parse(text) as unknown);
      const query = Object.fromEntries(url.searchParams);
      const method = req.method ?? "";
      fake.requests.push({ method, path: url.pathname, query, authorization: req.headers.authorization, body });
      const token = req.headers.authorization?.replace(/^Bearer /, "");
      const expired = token !== undefined && (fake.tokenExpiry.get(token) ?? Infinity) <= now();
      let answer: Canned;
      const fault = fake.faults.find((f) => f.times > 0 && f.path.test(url.pathname) && (f.method === undefined || f.method === method));
      if (token === undefined) answer = armError(401, "AuthenticationFailed", "no token");
      else if (fake.rejectedTokens.has(token) || expired) answer = armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
      else if (fault) {
        fault.times--;
        answer = fault.response;
      } else answer = route(method, url.pathname, query, body);
      fake.requests[fake.requests.length - 1]!.status = answer.status;
      res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  const listening = await listenOnLoopback(server);
  endpoint = listening.endpoint;
  return Object.assign(fake, { endpoint, close: listening.close });
}

/** A clock that moves only when the code under test sleeps; records each sleep. */
export function fakeClock(start = Date.UTC(2026, 11, 1)): {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  sleeps: number[];
  /** Moves time without a sleep (a server that takes this long to answer). */
  advance: (ms: number) => void;
} {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) {
        const e = new Error("aborted");
        e.name = "AbortError";
        throw e;
      }
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

/** Hands out `token-1`, `token-2`, ... each valid for `lifetimeMs` of the given clock, told to `expiry` (the fake's map). */
export function countingCredential(now: () => number, expiry?: Map<string, number>, lifetimeMs = 60 * 60_000) {
  let n = 0;
  const issued: string[] = [];
  return {
    issued,
    getToken: async () => {
      const token = `token-${++n}`;
      issued.push(token);
      expiry?.set(token, now() + lifetimeMs);
      return { token, expiresOnTimestamp: now() + lifetimeMs };
    },
  };
}
