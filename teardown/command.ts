/**
 * The teardown command without its process: parse flags, read the stack file, check the
 * guard, plan, then print or run. Returns the exit code (0 done, 1 refused or failed,
 * 2 usage error) so tests can call it in-process and `cli/teardown.ts` stays a thin shell.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../config/schema";
import { StackFileError } from "../config/stackFile";
import { StepFailed, TeardownRefusal, UsageError } from "./errors";
import { selectExpiredStacks, stackListSchema } from "./expired";
import { parseFlags, type ListExpiredFlags, type RawOptions, type TeardownFlags } from "./flags";
import { assertTeardownAllowed } from "./guard";
import { formatCommand, needsSubscription, planTeardown, stepsFrom, type TeardownPlan, type TeardownStep } from "./plan";
import { probeCommands } from "./probe";
import { ProbeFailed, processExecutor, runSteps, type Executor } from "./run";
import { configForDryRun, loadConfigFile, resolveStackConfig, type ResolvedConfig } from "./stackConfig";

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Today as YYYY-MM-DD (UTC); injectable for tests. */
  today?: string;
  /** Runs the steps and their checks; real processes by default. */
  exec?: Executor;
}

export function buildProgram(): Command {
  return new Command("teardown")
    .description(
      "Tear down one stack completely: cancel running fine-tuning jobs, delete ML workspaces permanently, pulumi destroy, purge the soft-deleted key vault and AI Services account, pulumi stack rm.\n" +
        "Every step first checks that its target still exists and is skipped when it does not, so running the teardown again after a failure completes it.\n" +
        "Or, with --list-expired, print the test stacks whose expiresOn has passed.",
    )
    .option("--stack <name>", "stack to tear down, e.g. pr-42")
    .option("--project-dir <dir>", "directory holding Pulumi.<stack>.yaml (default: current directory)")
    .option("--dry-run", "print the commands without running them")
    .option("--json", "with --dry-run or --list-expired: print JSON")
    .option("--yes", "run the commands (without it nothing is run)")
    .option("--confirm <stack>", "the stack name typed again; required for dev and prod")
    .option("--force-prod", "allow tearing down a production stack (also needs --confirm)")
    .option("--subscription <id>", "Azure subscription id (default: $ARM_SUBSCRIPTION_ID)")
    .option("--from <step>", "start at this step, skipping the ones before it unchecked (not needed to resume: a re-run skips what is done)")
    .option("--list-expired", "print the expired test stacks named in --stacks-json, one per line")
    .option("--stacks-json <file>", 'output of "pulumi stack ls --json"')
    .option("--today <date>", "YYYY-MM-DD to compare expiresOn with (default: today, UTC)")
    .showHelpAfterError(false)
    .exitOverride();
}

export async function runTeardownCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const program = buildProgram().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    program.parse([...args], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      io.stderr(`Run with --help for the flags.\n`);
      return 2;
    }
    throw error;
  }
  try {
    const flags = parseFlags(program.opts<RawOptions>(), { projectDir: io.cwd, today: io.today ?? new Date().toISOString().slice(0, 10) });
    if (flags.mode === "list-expired") return listExpired(flags, io);
    return await teardown(flags, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`teardown: ${error.message}\nRun with --help for the flags.\n`);
      return 2;
    }
    if (error instanceof TeardownRefusal || error instanceof StackFileError || error instanceof ConfigError || error instanceof StepFailed || error instanceof ProbeFailed) {
      io.stderr(`teardown: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function teardown(flags: TeardownFlags, io: CommandIo): Promise<number> {
  const projectDir = resolve(io.cwd, flags.projectDir);
  const log = (line: string) => io.stderr(`${line}\n`);
  // The name alone already says prod/dev: refuse before anything is run or fetched.
  if (flags.stack === "prod" || flags.stack === "dev") assertTeardownAllowed({ stack: flags.stack, environment: undefined, forceProd: flags.forceProd, confirm: flags.confirm });

  let resolved: ResolvedConfig;
  if (flags.dryRun) {
    const config = configForDryRun(projectDir, flags.stack);
    resolved = { source: "file", config, path: "" };
  } else {
    resolved = await resolveStackConfig(projectDir, flags.stack, io.exec ?? processExecutor, log);
  }
  const config = resolved.source === "none" ? undefined : resolved.config;
  const kind = assertTeardownAllowed({ stack: flags.stack, environment: config?.environment, forceProd: flags.forceProd, confirm: flags.confirm });
  const subscriptionId = flags.subscription ?? nonEmpty(io.env.ARM_SUBSCRIPTION_ID);
  const plan = planTeardown({
    stack: flags.stack,
    config,
    noConfigReason: resolved.source === "none" ? resolved.reason : undefined,
    kind,
    subscriptionId,
  });
  const steps = stepsFrom(plan, flags.from);

  if (flags.dryRun) {
    printPlan(plan, steps, flags, io);
    return 0;
  }
  if (!subscriptionId && needsSubscription(steps)) {
    throw new TeardownRefusal("the Azure subscription id is unknown: pass --subscription <id> or set ARM_SUBSCRIPTION_ID (the az commands address resources by subscription)");
  }
  for (const note of plan.notes) log(`note: ${note}`);
  const outcomes = await runSteps(steps, { exec: io.exec, cwd: projectDir, log, rerunCommand: rerunCommand(flags, io.cwd) });
  const ran = outcomes.filter((o) => o.ran).length;
  if (ran === 0) {
    log(`nothing to tear down for ${flags.stack}: all ${outcomes.length} steps were skipped because their targets are absent.`);
  } else {
    log(`teardown of ${flags.stack} complete: ${ran} of ${outcomes.length} steps ran; ${outcomes.length - ran} were skipped because their targets were already absent.`);
  }
  return 0;
}

function printPlan(plan: TeardownPlan, steps: readonly TeardownStep[], flags: TeardownFlags, io: CommandIo): void {
  const checks = (s: TeardownStep) => probeCommands(s.probe).map(formatCommand);
  if (flags.json) {
    const json = {
      stack: plan.stack,
      kind: plan.kind,
      steps: steps.map((s) => ({ id: s.id, title: s.title, argv: s.argv, command: formatCommand(s.argv), target: s.probe.target, checks: checks(s) })),
      notes: plan.notes,
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  io.stdout(`# Teardown of stack ${plan.stack} (${plan.kind}) — dry run, nothing is executed\n`);
  io.stdout(`# Each step runs only if its target exists; the check commands are shown with "# check:".\n`);
  for (const [i, step] of steps.entries()) {
    io.stdout(`# ${i + 1}. ${step.id}: ${step.title}\n`);
    for (const check of checks(step)) io.stdout(`#    check: ${check}\n`);
    io.stdout(`${formatCommand(step.argv)}\n`);
  }
  for (const note of plan.notes) io.stdout(`# note: ${note}\n`);
}

/** The same teardown again, with every flag that unlocked it (a re-run resumes by itself). */
export function rerunCommand(flags: TeardownFlags, cwd: string): string {
  const parts = ["npm", "run", "teardown", "--", "--stack", flags.stack, "--yes"];
  if (resolve(cwd, flags.projectDir) !== resolve(cwd)) parts.push("--project-dir", flags.projectDir);
  if (flags.subscription) parts.push("--subscription", flags.subscription);
  if (flags.confirm) parts.push("--confirm", flags.confirm);
  if (flags.forceProd) parts.push("--force-prod");
  return formatCommand(parts);
}

function listExpired(flags: ListExpiredFlags, io: CommandIo): number {
  const projectDir = resolve(io.cwd, flags.projectDir);
  let document: unknown;
  try {
    document = parseYaml(readFileSync(resolve(io.cwd, flags.stacksJson), "utf8"));
  } catch (error) {
    throw new TeardownRefusal(`cannot read --stacks-json ${flags.stacksJson}: ${(error as Error).message}`);
  }
  const listed = stackListSchema.safeParse(document);
  if (!listed.success) throw new TeardownRefusal(`--stacks-json ${flags.stacksJson} ${listed.error.issues[0]?.message ?? "is not a stack list"}`);
  const decision = selectExpiredStacks(
    listed.data.map((s) => s.name),
    (stack) => loadConfigFile(projectDir, stack),
    flags.today,
  );
  if (flags.json) {
    io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
    return 0;
  }
  for (const skipped of decision.skipped) io.stderr(`skip ${skipped.stack}: ${skipped.reason.split("\n")[0]}\n`);
  for (const stack of decision.expired) io.stdout(`${stack}\n`);
  return 0;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value.trim() : undefined;
}
