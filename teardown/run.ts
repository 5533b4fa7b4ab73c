/**
 * Runs a plan's steps one after another: check the step's target, skip it (saying why) when
 * it is absent, otherwise run the step's command, and stop at the first failure.
 *
 * Step commands inherit the terminal (so `pulumi destroy` shows its progress as usual);
 * checks are captured and parsed. Nothing is started through a shell, so names from the
 * stack file are never interpreted by one. The executor is injectable so tests can run the
 * real loop against a fake world.
 */
import { spawn } from "node:child_process";
import { StepFailed } from "./errors";
import { formatCommand, type TeardownStep } from "./plan";
import { excerpt, ProbeOutputError, saysNotFound, type Probe } from "./probe";

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts programs in `cwd`; both reject if the program cannot start (e.g. not installed). */
export interface Executor {
  /** A step: output goes to the terminal; resolves with the exit code. */
  run(argv: readonly string[], cwd: string): Promise<number>;
  /** A check: output is captured. */
  capture(argv: readonly string[], cwd: string): Promise<Captured>;
}

export const processExecutor: Executor = {
  run: (argv, cwd) =>
    new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), { stdio: "inherit", cwd });
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    }),
  capture: (argv, cwd) =>
    new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], cwd });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    }),
};

export type Presence = { present: true } | { present: false; reason: string };

/** Thrown when a check itself fails in a way that does not mean "absent". */
export class ProbeFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProbeFailed";
  }
}

/** Asks whether a probe's target exists (its container first). */
export async function checkPresence(probe: Probe, exec: Executor, cwd: string): Promise<Presence> {
  if (probe.kind === "absent") return { present: false, reason: `${probe.target} does not exist: ${probe.reason}` };
  if (probe.within) {
    const outer = await checkPresence(probe.within, exec, cwd);
    if (!outer.present) return { present: false, reason: `${outer.reason}, so ${probe.target} does not exist either` };
  }
  let result: Captured;
  try {
    result = await exec.capture(probe.argv, cwd);
  } catch (error) {
    throw new ProbeFailed(`could not check for ${probe.target}: ${startFailure(probe.argv[0], error)}`);
  }
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code === 0) {
    try {
      return probe.parse(result.stdout) ? { present: true } : { present: false, reason: `${probe.target} does not exist` };
    } catch (error) {
      if (!(error instanceof ProbeOutputError)) throw error;
      if (saysNotFound(output)) return { present: false, reason: `${probe.target} does not exist (${excerpt(output)})` };
      throw new ProbeFailed(`could not check for ${probe.target}: ${error.message}\n  check: ${formatCommand(probe.argv)}`);
    }
  }
  if (saysNotFound(output)) return { present: false, reason: `${probe.target} does not exist (${excerpt(output)})` };
  throw new ProbeFailed(`could not check for ${probe.target}: exit code ${result.code}: ${excerpt(output)}\n  check: ${formatCommand(probe.argv)}`);
}

export interface RunOptions {
  exec?: Executor;
  cwd: string;
  log?: (line: string) => void;
  /** The command line that re-runs the teardown, for the failure message. */
  rerunCommand: string;
}

export interface StepOutcome {
  id: TeardownStep["id"];
  ran: boolean;
  /** Why the step was skipped. */
  reason?: string;
}

export async function runSteps(steps: readonly TeardownStep[], options: RunOptions): Promise<StepOutcome[]> {
  const exec = options.exec ?? processExecutor;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const outcomes: StepOutcome[] = [];
  for (const [i, step] of steps.entries()) {
    const position = `${i + 1}/${steps.length}`;
    log(`==> [${position}] ${step.id}: ${step.title}`);
    let presence: Presence;
    try {
      presence = await checkPresence(step.probe, exec, options.cwd);
    } catch (error) {
      if (!(error instanceof ProbeFailed)) throw error;
      throw new StepFailed(failure(step, position, error.message, options), step.id);
    }
    if (!presence.present) {
      log(`    skipped: ${presence.reason}`);
      outcomes.push({ id: step.id, ran: false, reason: presence.reason });
      continue;
    }
    log(`    $ ${formatCommand(step.argv)}`);
    let code: number;
    try {
      code = await exec.run(step.argv, options.cwd);
    } catch (error) {
      throw new StepFailed(failure(step, position, startFailure(step.argv[0], error), options), step.id);
    }
    if (code !== 0) throw new StepFailed(failure(step, position, `exit code ${code}`, options), step.id);
    outcomes.push({ id: step.id, ran: true });
  }
  return outcomes;
}

function startFailure(program: string, error: unknown): string {
  return (error as NodeJS.ErrnoException).code === "ENOENT" ? `"${program}" is not installed or not on PATH` : (error as Error).message;
}

function failure(step: TeardownStep, position: string, reason: string, options: RunOptions): string {
  return (
    `step "${step.id}" (${position}) failed: ${reason}\n` +
    `  command: ${formatCommand(step.argv)}\n` +
    `  Fix the cause (see the output above), then run the same command again: every step first checks\n` +
    `  whether its target still exists, so the steps already done are skipped:\n` +
    `    ${options.rerunCommand}`
  );
}
