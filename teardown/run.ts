/**
 * Runs a plan's commands one after another, stopping at the first failure.
 *
 * Each command inherits the terminal (so `pulumi destroy` shows its progress as usual) and
 * is started without a shell, so names from the stack file are never interpreted by one.
 * The spawner is injectable so tests can run the real loop against fake programs.
 */
import { spawn } from "node:child_process";
import { StepFailed } from "./errors";
import { formatCommand, type TeardownStep } from "./plan";

/** Starts a program and resolves with its exit code; rejects if it cannot start. */
export type Spawner = (command: string, args: readonly string[]) => Promise<number>;

export const spawnInheriting: Spawner = (command, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

export interface RunOptions {
  spawner?: Spawner;
  log?: (line: string) => void;
  /** The command line that re-runs the teardown from a given step, for the failure message. */
  resumeCommand: (stepId: string) => string;
}

export async function runSteps(steps: readonly TeardownStep[], options: RunOptions): Promise<void> {
  const spawner = options.spawner ?? spawnInheriting;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const [i, step] of steps.entries()) {
    const position = `${i + 1}/${steps.length}`;
    log(`==> [${position}] ${step.id}: ${step.title}`);
    log(`    $ ${formatCommand(step.argv)}`);
    let code: number;
    try {
      code = await spawner(step.argv[0], step.argv.slice(1));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? `"${step.argv[0]}" is not installed or not on PATH` : (error as Error).message;
      throw new StepFailed(failure(step, position, reason, options), step.id);
    }
    if (code !== 0) throw new StepFailed(failure(step, position, `exit code ${code}`, options), step.id);
  }
}

function failure(step: TeardownStep, position: string, reason: string, options: RunOptions): string {
  return (
    `step "${step.id}" (${position}) failed: ${reason}\n` +
    `  command: ${formatCommand(step.argv)}\n` +
    `  The steps before it are done. Fix the cause (see the output above), then resume with:\n` +
    `    ${options.resumeCommand(step.id)}`
  );
}
