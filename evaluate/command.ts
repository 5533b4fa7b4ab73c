/**
 * `npm run evaluate` without its process: the stack's validation set sent to its base and
 * fine-tuned serverless endpoints, scored, and reported as text, JSON or a Markdown table.
 * Endpoint URLs and keys come from ARM (ServerlessEndpoints_Get gives
 * `properties.inferenceEndpoint.uri` and `authMode`; ServerlessEndpoints_ListKeys the keys when
 * authMode is Key), by the names the stack derives (config/naming.ts), so no Pulumi CLI is needed.
 */
import { writeFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { TokenCredential } from "@azure/identity";
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { createCredential, planCredential } from "../arm/credentials";
import { resolveArmCloud, resolveArmEndpoint } from "../arm/environment";
import { STACK_NAME } from "../config/stackFile";
import { ArmJobsClient } from "../finetune/armJobs";
import { JsonHttpClient, TokenSource, type Auth, type Sleep } from "../finetune/http";
import { FinetuneRefusal, loadStack, type StackContext } from "../finetune/stack";
import { renderMarkdown, renderText, type Evaluation } from "./report";
import { evaluateEndpoint, type EndpointTarget } from "./run";
import { readSamples } from "./samples";

/** Entra ID audience of Azure ML endpoints (serverless endpoints with authMode AAD). */
export const ML_SCOPE = "https://ml.azure.com/.default";

export interface EvaluateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  projectDir?: string;
  signal?: AbortSignal;
  credential?: TokenCredential;
  trustedCaPem?: string;
  sleep?: Sleep;
  now?: () => number;
}

const positive = (what: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number of ${what} from 1 to ${max}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `must be a whole number of ${what} from 1 to ${max}` });

const flagsSchema = z.object({
  stack: z.string().regex(STACK_NAME, { error: "must be a stack name: letters, digits, '-', '_' or '.' (e.g. dev, prod, pr-42)" }),
  configDir: z.string().min(1).optional(),
  armEndpoint: z.url({ protocol: /^https$/, error: "must be an https URL, e.g. https://management.azure.com" }).optional(),
  samples: positive("examples", 10_000).default(20),
  concurrency: positive("requests", 32).default(4),
  maxTokens: positive("tokens", 8192).default(512),
  json: z.boolean().default(false),
  markdown: z.string().min(1).optional(),
});

export function buildEvaluateProgram(): Command {
  return new Command("evaluate")
    .description("Send the stack's validation conversations (without their last assistant turn) to its base and fine-tuned endpoints and score the answers.")
    .requiredOption("--stack <name>", "stack whose validation data and endpoints are used (reads Pulumi.<name>.yaml)")
    .option("--config-dir <dir>", "read Pulumi.<stack>.yaml from <dir> instead of the project directory")
    .option("--arm-endpoint <url>", "Azure Resource Manager endpoint (https), instead of the one of ARM_ENVIRONMENT's cloud")
    .option("--samples <n>", "how many validation examples to send, from the top of the file (default 20)")
    .option("--concurrency <n>", "requests in flight per endpoint (default 4)")
    .option("--max-tokens <n>", "max_tokens of each answer (default 512)")
    .option("--json", "print one JSON document (scores, every answer) instead of the table")
    .option("--markdown <file>", "also write the table as Markdown to <file> (for the pull-request comment)")
    .showHelpAfterError(false)
    .exitOverride();
}

export async function runEvaluateCommand(args: readonly string[], io: EvaluateIo): Promise<number> {
  const program = buildEvaluateProgram().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  let flags: z.output<typeof flagsSchema>;
  try {
    program.parse([...args], { from: "user" });
    const parsed = flagsSchema.safeParse(program.opts());
    if (!parsed.success) {
      for (const i of parsed.error.issues) io.stderr(`evaluate: --${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${i.message}\n`);
      io.stderr("Run with --help for the flags.\n");
      return 2;
    }
    flags = parsed.data;
  } catch (error) {
    if (error instanceof CommanderError) return error.code === "commander.helpDisplayed" ? 0 : 2;
    throw error;
  }
  try {
    const projectDir = io.projectDir ?? resolve(__dirname, "..");
    const ctx = await loadStack({ stack: flags.stack, projectDir, configDir: flags.configDir === undefined ? undefined : resolve(io.cwd, flags.configDir), env: io.env });
    const validationFile = ctx.config.data.validationFile;
    if (!validationFile) throw new FinetuneRefusal(`${ctx.stackFilePath}: data.validationFile is not set; the evaluation sends the validation set, so add one`);
    const samples = await readSamples(isAbsolute(validationFile) ? validationFile : resolve(projectDir, validationFile), ctx.config.model.task, flags.samples);
    const { targets, notes } = await endpointTargets(ctx, flags.armEndpoint, io);

    const endpoints = [];
    for (const target of targets) {
      io.stderr(`evaluating ${target.role} endpoint ${target.name} on ${samples.length} example(s)...\n`);
      endpoints.push(await evaluateEndpoint(target, samples, { concurrency: flags.concurrency, maxTokens: flags.maxTokens, signal: io.signal }));
    }
    const evaluation: Evaluation = { stack: ctx.stack, samples: samples.length, validationFile, endpoints, notes };
    if (flags.markdown) writeFileSync(resolve(io.cwd, flags.markdown), renderMarkdown(evaluation));
    io.stdout(flags.json ? `${JSON.stringify(evaluation, null, 2)}\n` : renderText(evaluation));
    const silent = endpoints.filter((e) => e.answered === 0);
    if (silent.length > 0) {
      io.stderr(`evaluate: ${silent.map((e) => `${e.role} endpoint ${e.name}`).join(" and ")} answered none of the ${samples.length} example(s): ${silent[0]!.errors[0] ?? ""}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    // Refusals (bad stack file, config, samples, missing endpoint) and failed ARM calls alike: one line, no stack trace.
    io.stderr(`evaluate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function endpointTargets(ctx: StackContext, armEndpointFlag: string | undefined, io: EvaluateIo): Promise<{ targets: EndpointTarget[]; notes: string[] }> {
  const cloud = resolveArmCloud(io.env);
  const armEndpoint = resolveArmEndpoint(cloud, armEndpointFlag);
  const credential = io.credential ?? createCredential(planCredential(io.env, cloud.authorityHost), io.env);
  const now = io.now ?? Date.now;
  const common = { trustedCaPem: io.trustedCaPem, sleep: io.sleep, now, userAgent: "llama-finetune-env-evaluate" };
  const arm = new ArmJobsClient(new JsonHttpClient({ ...common, auth: { kind: "bearer", tokens: new TokenSource(credential, `${armEndpoint}/.default`, now) } }), armEndpoint, {
    subscriptionId: ctx.subscriptionId,
    resourceGroup: ctx.names.resourceGroup,
    workspace: ctx.names.project,
  });
  const mlTokens = new TokenSource(credential, ML_SCOPE, now);
  const wanted: { role: EndpointTarget["role"]; name: string; modelId?: string }[] = [{ role: "base", name: ctx.endpoints.base }];
  const notes: string[] = [];
  if (ctx.config.fineTunedModelId) wanted.push({ role: "fine-tuned", name: ctx.endpoints.fineTuned, modelId: ctx.config.fineTunedModelId });
  else notes.push(`the stack names no fineTunedModelId yet, so only the base endpoint was evaluated: run \`npm run finetune -- --stack ${ctx.stack} --write-config\`, then \`pulumi up\``);

  const targets: EndpointTarget[] = [];
  for (const w of wanted) {
    const ep = await arm.getServerlessEndpoint(w.name, io.signal);
    const uri = ep?.properties.inferenceEndpoint?.uri;
    if (!ep || !uri) {
      throw new FinetuneRefusal(
        `the ${w.role} serverless endpoint ${w.name} ${ep ? "has no inference URI yet (still provisioning?)" : `does not exist in project ${ctx.names.project}`}: deploy the stack first (pulumi up --stack ${ctx.stack})`,
      );
    }
    const auth: Auth =
      (ep.properties.authMode ?? "Key").toLowerCase() === "aad"
        ? { kind: "bearer", tokens: mlTokens }
        : { kind: "header", name: "authorization", value: await arm.listServerlessEndpointKeys(w.name, io.signal) };
    targets.push({ role: w.role, name: w.name, uri, modelId: w.modelId, http: { ...common, auth } });
  }
  return { targets, notes };
}
