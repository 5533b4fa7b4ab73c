/**
 * `npm run finetune` without its process: flags → stack → (cancel | data gate → project check →
 * attach or cost gate + submit → watch → model id). Returns the exit code (flags.ts: EXIT), so
 * tests run it in-process against the loopback fake ARM and cli/finetune.ts stays a thin shell.
 */
import { resolve } from "node:path";
import type { TokenCredential } from "@azure/identity";
import { CommanderError } from "commander";
import { createCredential, planCredential } from "../arm/credentials";
import { resolveArmCloud, resolveArmEndpoint } from "../arm/environment";
import { ConfigError } from "../config/schema";
import { StackFileError } from "../config/stackFile";
import { ArmJobsClient, type ArmJob } from "./armJobs";
import { cancelStackJobs } from "./cancel";
import { ConfigWriteError, writeFineTunedModelId } from "./configWriter";
import { decideCost, estimateCost, type CostDecision } from "./cost";
import { buildFinetuneProgram, EXIT, parseFinetuneFlags, resumeCommand, UsageError, type FinetuneFlags } from "./flags";
import { isAbortError, JsonHttpClient, realSleep, TokenSource, type Sleep } from "./http";
import { buildJobSpec, type JobSpec } from "./jobSpec";
import { isInteractive, WatchReporter } from "./progress";
import { FinetuneRefusal, loadStack, runDataGate, type StackContext } from "./stack";
import { watchJob } from "./watch";

export interface FinetuneIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Directory with Pulumi.yaml; data paths in config are relative to it. Default: this checkout. */
  projectDir?: string;
  /** Whether stderr is a terminal (one updating status line instead of a line per change). */
  isTTY?: boolean;
  /** Stops watching (Ctrl-C); the job is left running. */
  signal?: AbortSignal;
  /** Test seams: a credential, a CA to trust, the clock, `az account show`. */
  credential?: TokenCredential;
  trustedCaPem?: string;
  sleep?: Sleep;
  now?: () => number;
  azAccountShow?: () => Promise<string>;
}

interface Clients {
  jobs: ArmJobsClient;
  metricsHttp: JsonHttpClient;
}

export async function runFinetuneCommand(args: readonly string[], io: FinetuneIo): Promise<number> {
  const program = buildFinetuneProgram().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  let flags: FinetuneFlags;
  try {
    program.parse([...args], { from: "user" });
    flags = parseFinetuneFlags(program.opts());
  } catch (error) {
    if (error instanceof CommanderError) return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? EXIT.ok : usage(io);
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
  const json: Record<string, unknown> = { stack: flags.stack };
  const finish = (code: number, extra: Record<string, unknown> = {}): number => {
    if (flags.json) io.stdout(`${JSON.stringify({ ...json, ...extra }, null, 2)}\n`);
    return code;
  };
  try {
    const ctx = await loadStack({
      stack: flags.stack,
      projectDir: io.projectDir ?? resolve(__dirname, ".."),
      configDir: flags.configDir === undefined ? undefined : resolve(io.cwd, flags.configDir),
      env: io.env,
      subscriptionId: flags.subscription,
      azAccountShow: io.azAccountShow,
    });
    const clients = makeClients(ctx, flags, io);
    return flags.cancel ? await cancel(ctx, flags, clients, io, finish) : await submitAndWatch(ctx, flags, clients, io, json, finish);
  } catch (error) {
    if (isAbortError(error)) {
      io.stderr(`\nStopped watching; the job keeps running. Resume with:\n  ${resumeCommand(flags)}\n`);
      return finish(EXIT.interrupted, { outcome: "interrupted" });
    }
    if (error instanceof FinetuneRefusal || error instanceof StackFileError || error instanceof ConfigError || error instanceof ConfigWriteError) {
      io.stderr(`finetune: ${error.message}\n`);
      return finish(EXIT.failed, { outcome: "refused", error: error.message });
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`finetune: ${message}\n`);
    return finish(EXIT.failed, { outcome: "error", error: message });
  }
}

function usage(io: FinetuneIo, message?: string): number {
  if (message) io.stderr(`finetune: ${message}\n`);
  io.stderr("Run with --help for the flags.\n");
  return EXIT.usage;
}

function makeClients(ctx: StackContext, flags: FinetuneFlags, io: FinetuneIo): Clients {
  const cloud = resolveArmCloud(io.env);
  const endpoint = resolveArmEndpoint(cloud, flags.armEndpoint);
  const credential = io.credential ?? createCredential(planCredential(io.env, cloud.authorityHost), io.env);
  const now = io.now ?? Date.now;
  const tokens = new TokenSource(credential, `${endpoint}/.default`, now);
  const base = { auth: { kind: "bearer" as const, tokens }, trustedCaPem: io.trustedCaPem, sleep: io.sleep, now, userAgent: "llama-finetune-env-finetune" };
  const scope = { subscriptionId: ctx.subscriptionId, resourceGroup: ctx.names.resourceGroup, workspace: ctx.names.project };
  return { jobs: new ArmJobsClient(new JsonHttpClient(base), endpoint, scope), metricsHttp: new JsonHttpClient({ ...base, maxAttempts: 2 }) };
}

async function cancel(ctx: StackContext, flags: FinetuneFlags, clients: Clients, io: FinetuneIo, finish: (code: number, extra?: Record<string, unknown>) => number): Promise<number> {
  const outcome = await cancelStackJobs({
    jobs: clients.jobs,
    stack: ctx.stack,
    sleep: io.sleep ?? realSleep,
    now: io.now ?? Date.now,
    signal: io.signal,
    maxWaitMs: (flags.maxWait ?? 10) * 60_000,
    log: (line) => io.stderr(`${line}\n`),
  });
  if (outcome.kind === "skipped") {
    if (!flags.json) io.stdout(`skipped: ${outcome.reason}\n`);
    return finish(EXIT.ok, { outcome: "skipped", reason: outcome.reason });
  }
  const list = outcome.jobs.map((j) => `${j.name} (${j.status})`).join(", ");
  if (outcome.kind === "timeout") {
    io.stderr(`finetune: still not stopped after ${flags.maxWait ?? 10} minutes: ${list}; run --cancel again, or raise --max-wait\n`);
    return finish(EXIT.failed, { outcome: "timeout", jobs: outcome.jobs });
  }
  if (!flags.json) io.stdout(`canceled: ${list}\n`);
  return finish(EXIT.ok, { outcome: "canceled", jobs: outcome.jobs });
}

async function submitAndWatch(
  ctx: StackContext,
  flags: FinetuneFlags,
  clients: Clients,
  io: FinetuneIo,
  json: Record<string, unknown>,
  finish: (code: number, extra?: Record<string, unknown>) => number,
): Promise<number> {
  const log = (line: string) => io.stderr(`${line}\n`);
  const gate = await runDataGate(ctx);
  const training = gate.assets.find((a) => a.role === "training")!;
  const validation = gate.assets.find((a) => a.role === "validation");
  const spec = buildJobSpec({
    stack: ctx.stack,
    namePrefix: ctx.config.namePrefix,
    model: ctx.config.model,
    finetune: ctx.config.finetune,
    scope: clients.jobs.scope,
    training,
    validation,
    tags: { environment: ctx.config.environment, "cost-center": ctx.config.costCenter },
  });
  Object.assign(json, { job: spec.name, baseModel: spec.modelUri, dataAssets: gate.assets.map(({ role, name, version, sha256 }) => ({ role, name, version, sha256 })) });

  const workspace = await clients.jobs.getWorkspace(io.signal);
  if (workspace === undefined) {
    throw new FinetuneRefusal(
      `project ${ctx.names.project} was not found in resource group ${ctx.names.resourceGroup} (subscription ${ctx.subscriptionId}): deploy the stack first (pulumi up --stack ${ctx.stack})`,
    );
  }

  let job = await clients.jobs.getJob(spec.name, io.signal);
  if (job !== undefined) {
    log(`attaching to ${spec.name}, submitted before with the same model, data and hyperparameters (${job.properties.status ?? "Unknown"})`);
    json.attached = true;
  } else {
    const cost = await preflight(ctx, spec, gate.report.stats.trainingTokensTimesEpochs, clients, flags, io);
    json.estimate = { ...cost.estimate, budget: cost.budget };
    log(cost.message);
    if (!cost.allowed) throw new FinetuneRefusal(`not submitted: ${cost.message}`);
    job = await clients.jobs.createJob(spec.name, spec.body, io.signal);
    log(`submitted ${spec.name} (${job.properties.status ?? "Unknown"})`);
    json.attached = false;
  }
  recordResolvedModel(job, json);
  if (json.resolvedBaseModel !== undefined && json.resolvedBaseModel !== spec.modelUri) log(`base model as the service resolved it: ${String(json.resolvedBaseModel)}`);

  if (!flags.wait) {
    if (!flags.json) io.stdout(`${spec.name}\n`);
    log(`not watching (--no-wait). Watch it with:\n  ${resumeCommand(flags)}`);
    return finish(EXIT.ok, { outcome: "submitted", status: job.properties.status ?? "Unknown" });
  }

  const reporter = new WatchReporter({ write: io.stderr }, isInteractive(io.isTTY ?? false, io.env), spec.name);
  let result;
  try {
    result = await watchJob({
      jobs: clients.jobs,
      metricsHttp: clients.metricsHttp,
      name: spec.name,
      sleep: io.sleep ?? realSleep,
      now: io.now ?? Date.now,
      signal: io.signal,
      onEvent: (e) => reporter.onEvent(e),
      maxWaitMs: flags.maxWait === undefined ? undefined : flags.maxWait * 60_000,
    });
  } finally {
    reporter.finish();
  }
  recordResolvedModel(result.job, json);
  json.status = result.status;
  if (result.kind === "timeout") {
    log(`still ${result.status} after --max-wait ${flags.maxWait} minutes; the job goes on. Resume watching with:\n  ${resumeCommand(flags)}`);
    return finish(EXIT.stillRunning, { outcome: "running" });
  }
  if (result.status !== "Completed") {
    const error = result.job.properties.error;
    const why = error?.message ? `${error.code ? `${error.code}: ` : ""}${error.message}` : "the service gave no reason in the job";
    const studio = result.job.properties.services?.Studio?.endpoint;
    const next = (ctx.config.finetune.attempt ?? 1) + 1;
    io.stderr(
      `finetune: job ${spec.name} ${result.status === "Failed" ? "failed" : "was canceled"}: ${why}${studio ? `\n  logs: ${studio}` : ""}\n` +
        `  Running this command again attaches to the same job. To train again with the same inputs, set llama-finetune-env:finetune.attempt: ${next} in ${ctx.stackFilePath} (a new job; this one keeps its logs).\n`,
    );
    return finish(EXIT.failed, { outcome: result.status.toLowerCase(), error: why });
  }

  const modelId = await fineTunedModelId(result.job, spec, workspace, clients);
  json.fineTunedModelId = modelId;
  if (!flags.json) io.stdout(`${modelId}\n`);
  if (flags.writeConfig) {
    const written = writeFineTunedModelId(ctx.stackFilePath, modelId);
    json.configWritten = written.changed;
    log(written.changed ? `set fineTunedModelId in ${written.path}; run \`pulumi up --stack ${ctx.stack}\` to deploy the fine-tuned endpoint` : `${written.path} already names this model`);
  } else {
    log(`fine-tuned model: ${modelId}\n  to deploy it: npm run finetune -- --stack ${ctx.stack} --write-config, then pulumi up --stack ${ctx.stack}`);
  }
  return finish(EXIT.ok, { outcome: "completed" });
}

/** Before a new job: the data versions must be registered, and the cost gate must pass. */
async function preflight(ctx: StackContext, spec: JobSpec, tokens: number | null, clients: Clients, flags: FinetuneFlags, io: FinetuneIo): Promise<CostDecision> {
  const missing: string[] = [];
  const body = spec.body.properties.fineTuningDetails as Record<string, { uri: string }>;
  for (const key of ["trainingData", "validationData"]) {
    const uri = body[key]?.uri;
    const m = uri === undefined ? null : /\/data\/([^/]+)\/versions\/([^/]+)$/.exec(uri);
    if (m && !(await clients.jobs.dataVersionExists(m[1]!, m[2]!, io.signal))) missing.push(`${m[1]}:${m[2]}`);
  }
  if (missing.length > 0) {
    throw new FinetuneRefusal(
      `data asset version${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not registered in project ${ctx.names.project}: ` +
        `the local files differ from what the stack last uploaded. Deploy the stack first (pulumi up --stack ${ctx.stack}), then run this again`,
    );
  }
  return decideCost(estimateCost(ctx.config.finetune, tokens), ctx.config.budget.amount, flags.force);
}

/** The base model as the service resolved it (a pinned version, or what `labels/latest` meant). */
function recordResolvedModel(job: ArmJob, json: Record<string, unknown>): void {
  const uri = job.properties.fineTuningDetails?.model?.uri;
  if (uri) json.resolvedBaseModel = uri;
}

/** `azureml://locations/<loc>/workspaces/<workspace guid>/models/<name>/versions/<v>`, the id serverless endpoints take. */
async function fineTunedModelId(job: ArmJob, spec: JobSpec, ws: { location: string; workspaceId: string }, clients: Clients): Promise<string> {
  const name = job.properties.outputs?.registered_model?.assetName ?? spec.outputModelName;
  const version = await clients.jobs.latestModelVersion(name);
  if (version === undefined) throw new Error(`job ${spec.name} completed but registered no model named ${name} in project ${clients.jobs.scope.workspace}`);
  return `azureml://locations/${ws.location}/workspaces/${ws.workspaceId}/models/${name}/versions/${version}`;
}
