/**
 * `npm run plan -- --stack <name> [--json] [--mermaid <file>] [--markdown <file>]`
 *
 * The offline plan: what a stack declares, without the Pulumi CLI or Azure credentials.
 * Exit 0 when the plan is fine, 1 on bad config/data, a mandatory policy violation or a
 * deployability error (something Azure would refuse), 2 on bad flags.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { runPlan } from "../plan/run";
import { renderMarkdown, renderMermaid, renderText, toJson } from "../plan/render";
import { STACK_NAME } from "../config/stackFile";

const flagsSchema = z.object({
  stack: z.string().regex(STACK_NAME, { error: "must be a stack name: letters, digits, '-', '_' or '.' (e.g. dev, prod, pr-42)" }),
  json: z.boolean().default(false),
  mermaid: z.string().min(1).optional(),
  markdown: z.string().min(1).optional(),
  configDir: z.string().min(1).optional(),
});

const PROJECT_DIR = resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
  const program = new Command("plan")
    .description("Offline plan of a stack: runs the real program under Pulumi's mock runtime")
    .option("--stack <name>", "stack to plan (reads Pulumi.<name>.yaml)", "dev")
    .option("--json", "print one JSON document instead of the text report")
    .option("--mermaid <file>", "write a Mermaid flowchart of the environment to <file>")
    .option("--markdown <file>", "write a pull-request comment (table, diagram, warnings) to <file>")
    .option("--config-dir <dir>", "read Pulumi.<stack>.yaml from <dir> instead of the project directory")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const parsed = flagsSchema.safeParse(program.opts());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`error: --${issue.path.join(".")} ${issue.message}\n`);
    return 2;
  }
  const flags = parsed.data;

  let plan;
  try {
    plan = await runPlan({ stack: flags.stack, projectDir: PROJECT_DIR, configDir: flags.configDir });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  if (flags.mermaid) writeFileSync(flags.mermaid, `${renderMermaid(plan)}\n`);
  if (flags.markdown) writeFileSync(flags.markdown, renderMarkdown(plan));
  process.stdout.write(flags.json ? `${JSON.stringify(toJson(plan), null, 2)}\n` : `${renderText(plan)}\n`);

  const mandatory = plan.violations.filter((v) => v.enforcement === "mandatory");
  const refusals = plan.deployability.filter((f) => f.severity === "error");
  if (mandatory.length > 0) process.stderr.write(`\nRefused: ${mandatory.length} mandatory policy violation(s); fix them before deploying.\n`);
  if (refusals.length > 0) process.stderr.write(`\nRefused: ${refusals.length} deployability error(s): Azure would refuse this deployment; fix them first.\n`);
  return mandatory.length > 0 || refusals.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`plan failed unexpectedly: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
