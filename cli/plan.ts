/**
 * `npm run plan -- --stack <name> [--json] [--mermaid <file>] [--markdown <file>] [--force]`
 *
 * The offline plan: what a stack declares, without the Pulumi CLI or Azure credentials.
 * Exit 0 when the plan is fine, 1 on bad config/data, a mandatory policy violation or a
 * deployability error (something Azure would refuse), 2 on bad flags. Output files are checked
 * before the plan runs (cli/shared/output-file.ts): never the stack file, never an existing file
 * without --force, never through a symbolic link. With --json, stdout is always one JSON
 * document, errors included; a closed pipe ends quietly.
 */
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { runPlan } from "../plan/run";
import { fsErrorAdvice, fsErrorText } from "../data/fs-error";
import { renderMarkdown, renderMermaid, renderText, toJson } from "../plan/render";
import { STACK_NAME, stackFilePath } from "../config/stackFile";
import { checkOutputPath, writeOutput, type OutputPlan } from "./shared/output-file";
import { errorMessage, guardPipes, writeStdout } from "./shared/output";
import { projectRoot } from "./shared/project-root";

const flagsSchema = z.object({
  stack: z.string().regex(STACK_NAME, { error: "must be a stack name: letters, digits, '-', '_' or '.' (e.g. dev, prod, pr-42)" }),
  json: z.boolean().default(false),
  mermaid: z.string().min(1).optional(),
  markdown: z.string().min(1).optional(),
  configDir: z.string().min(1).optional(),
  force: z.boolean().default(false),
});

const PROJECT_DIR = projectRoot();

async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes("--json");
  /** With --json, every refusal is also one JSON document on stdout. */
  const fail = async (code: number, kind: "usage" | "refused", messages: string[]): Promise<number> => {
    for (const m of messages) process.stderr.write(`${m}\n`);
    if (wantsJson) await writeStdout(`${JSON.stringify({ ok: false, error: kind, messages }, null, 2)}\n`);
    return code;
  };
  let commanderMessage = "";
  const program = new Command("plan")
    .description("Offline plan of a stack: runs the real program under Pulumi's mock runtime")
    .option("--stack <name>", "stack to plan (reads Pulumi.<name>.yaml)", "dev")
    .option("--json", "print one JSON document instead of the text report")
    .option("--mermaid <file>", "write a Mermaid flowchart of the environment to <file>")
    .option("--markdown <file>", "write a pull-request comment (table, diagram, warnings) to <file>")
    .option("--config-dir <dir>", "read Pulumi.<stack>.yaml from <dir> instead of the project directory")
    .option("--force", "replace existing --mermaid/--markdown files")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => {
        commanderMessage += s;
        if (!wantsJson) process.stderr.write(s);
      },
    });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return wantsJson ? fail(2, "usage", [commanderMessage.trim() || error.message]) : 2;
    }
    throw error;
  }
  const parsed = flagsSchema.safeParse(program.opts());
  if (!parsed.success) return fail(2, "usage", parsed.error.issues.map((issue) => `error: --${issue.path.join(".")} ${issue.message}`));
  const flags = parsed.data;

  // Output files are checked before anything runs: a wrong path costs nothing and overwrites nothing.
  const stackFile = stackFilePath(flags.configDir ?? PROJECT_DIR, flags.stack);
  const outputs: { plan: OutputPlan; render: (p: Awaited<ReturnType<typeof runPlan>>) => string }[] = [];
  const problems: string[] = [];
  for (const [flag, file, render] of [
    ["--mermaid", flags.mermaid, (p: Awaited<ReturnType<typeof runPlan>>) => `${renderMermaid(p)}\n`],
    ["--markdown", flags.markdown, renderMarkdown],
  ] as const) {
    if (file === undefined) continue;
    const checked = checkOutputPath(flag, file, flags.force, [stackFile, resolve(PROJECT_DIR, "Pulumi.yaml")]);
    if (typeof checked === "string") problems.push(`error: ${checked}`);
    else outputs.push({ plan: checked, render });
  }
  if (outputs.length === 2 && outputs[0].plan.resolved === outputs[1].plan.resolved) problems.push("error: --mermaid and --markdown name the same file; give each its own");
  if (problems.length > 0) return fail(2, "usage", problems);

  let plan;
  try {
    plan = await runPlan({ stack: flags.stack, projectDir: PROJECT_DIR, configDir: flags.configDir });
  } catch (error) {
    return fail(1, "refused", [errorMessage(error)]);
  }

  for (const out of outputs) {
    try {
      writeOutput(out.plan, out.render(plan));
    } catch (error) {
      return fail(1, "refused", [`error: writing ${out.plan.given} failed (${fsErrorText(error)}); ${fsErrorAdvice(error)}`]);
    }
  }
  await writeStdout(flags.json ? `${JSON.stringify(toJson(plan), null, 2)}\n` : `${renderText(plan)}\n`);

  const mandatory = plan.violations.filter((v) => v.enforcement === "mandatory");
  const refusals = plan.deployability.filter((f) => f.severity === "error");
  if (mandatory.length > 0) process.stderr.write(`\nRefused: ${mandatory.length} mandatory policy violation(s); fix them before deploying.\n`);
  if (refusals.length > 0) process.stderr.write(`\nRefused: ${refusals.length} deployability error(s): Azure would refuse this deployment; fix them first.\n`);
  return mandatory.length > 0 || refusals.length > 0 ? 1 : 0;
}

guardPipes();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`plan failed unexpectedly: ${errorMessage(error)}\nThis is a bug in the plan command; please report it.\n`);
    process.exitCode = 1;
  },
);
