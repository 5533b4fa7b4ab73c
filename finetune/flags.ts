/**
 * The command line of `npm run finetune`, parsed by commander and checked by zod, and the
 * exit codes the workflows and the teardown rely on.
 */
import { Command } from "commander";
import { z } from "zod";
import { STACK_NAME } from "../config/stackFile";

export const EXIT = {
  /** Done: the job completed, was submitted (--no-wait), or --cancel finished (or had nothing to do). */
  ok: 0,
  /** Refused before submitting, or the job failed or was canceled, or a call failed. */
  failed: 1,
  /** Bad flags. */
  usage: 2,
  /** --max-wait passed while the job is still running; run the same command again to resume watching. */
  stillRunning: 3,
  /** Ctrl-C: watching stopped, the job goes on. */
  interrupted: 130,
} as const;

export function buildFinetuneProgram(): Command {
  return new Command("finetune")
    .description(
      "Submit the stack's fine-tuning job (serverless, model as a service), watch it, and print the fine-tuned model id.\n" +
        "Everything is derived from Pulumi.<stack>.yaml; the same inputs attach to the job already submitted instead of training twice.",
    )
    .requiredOption("--stack <name>", "stack whose config, data and project are used (reads Pulumi.<name>.yaml)")
    .option("--config-dir <dir>", "read Pulumi.<stack>.yaml from <dir> instead of the project directory")
    .option("--subscription <id>", "Azure subscription id (default: ARM_SUBSCRIPTION_ID, the stack's azure-native:subscriptionId, then `az account show`)")
    .option("--arm-endpoint <url>", "Azure Resource Manager endpoint (https), instead of the one of ARM_ENVIRONMENT's cloud")
    .option("--no-wait", "return once the job is submitted (or found), without watching it")
    .option("--cancel", "cancel every running job this tool submitted in the stack's project, and wait until they stop")
    .option("--write-config", "on success, set fineTunedModelId in Pulumi.<stack>.yaml (comments are kept)")
    .option("--force", "submit even when the estimated cost is over the budget or unknown")
    .option("--max-wait <minutes>", "stop watching after this many minutes (exit 3; the job goes on); with --cancel, how long to wait for jobs to stop (default 10)")
    .option("--json", "print one JSON document on stdout instead of text")
    .showHelpAfterError(false)
    .exitOverride();
}

const flagsSchema = z
  .object({
    stack: z.string().regex(STACK_NAME, { error: "must be a stack name: letters, digits, '-', '_' or '.' (e.g. dev, prod, pr-42)" }),
    configDir: z.string().min(1).optional(),
    subscription: z
      .string()
      .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { error: "must be a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)" })
      .optional(),
    armEndpoint: z.url({ protocol: /^https$/, error: "must be an https URL, e.g. https://management.azure.com" }).optional(),
    wait: z.boolean().default(true),
    cancel: z.boolean().default(false),
    writeConfig: z.boolean().default(false),
    force: z.boolean().default(false),
    maxWait: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { error: "must be a number of minutes, e.g. 300" })
      .transform(Number)
      .refine((n) => n > 0 && n <= 100_000, { error: "must be greater than 0 minutes" })
      .optional(),
    json: z.boolean().default(false),
  })
  .superRefine((f, ctx) => {
    if (f.cancel && (f.writeConfig || f.force || !f.wait)) {
      ctx.addIssue({ code: "custom", path: ["cancel"], message: "cannot be combined with --write-config, --force or --no-wait" });
    }
    if (!f.wait && f.maxWait !== undefined) ctx.addIssue({ code: "custom", path: ["max-wait"], message: "has no effect with --no-wait" });
    if (!f.wait && f.writeConfig) ctx.addIssue({ code: "custom", path: ["write-config"], message: "needs the job to finish: drop --no-wait" });
  });

export type FinetuneFlags = z.output<typeof flagsSchema>;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseFinetuneFlags(opts: Record<string, unknown>): FinetuneFlags {
  const parsed = flagsSchema.safeParse(opts);
  if (!parsed.success) {
    const flag = (p: PropertyKey[]) => `--${String(p[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(parsed.error.issues.map((i) => `${flag(i.path)} ${i.message}`).join("\n"));
  }
  return parsed.data;
}

/** The command that picks the same job up again (it attaches by name). */
export function resumeCommand(flags: FinetuneFlags): string {
  const parts = ["npm", "run", "finetune", "--", "--stack", flags.stack];
  if (flags.configDir) parts.push("--config-dir", flags.configDir);
  if (flags.subscription) parts.push("--subscription", flags.subscription);
  if (flags.armEndpoint) parts.push("--arm-endpoint", flags.armEndpoint);
  if (flags.writeConfig) parts.push("--write-config");
  if (flags.json) parts.push("--json");
  return parts.map((p) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`)).join(" ");
}
