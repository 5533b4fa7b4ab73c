/**
 * Where the teardown gets a stack's config, which it needs for the resource names (they
 * depend on `namePrefix` and `nameSalt`), the location and the environment kind.
 *
 * 1. `Pulumi.<stack>.yaml` in the project directory, when it is there.
 * 2. Otherwise the backend: the config of the stack's last deployment, fetched with
 *    `pulumi config refresh --stack <s> --force` (which writes that file). Review stacks
 *    (`pr-<n>`) never have their file committed, so this is how CI finds their names.
 * 3. Otherwise there is none, and that is only acceptable when nothing can have been
 *    deployed: the stack is not in the backend at all, or it is there without resources
 *    (`pulumi stack init` without a successful `up` that created anything). Then every Azure
 *    target is absent and the teardown just removes the empty stack. A stack that holds
 *    resources but has no config is refused: its Azure names cannot be derived.
 */
import { existsSync } from "node:fs";
import { ConfigError, decodePulumiConfig, parseStackConfig, type StackConfig } from "../config/schema";
import { readStackFile, stackFilePath, StackFileError } from "../config/stackFile";
import { TeardownRefusal } from "./errors";
import { excerpt, stackProbe, stateResourcesProbe } from "./probe";
import { checkPresence, type Executor } from "./run";

export type ResolvedConfig =
  | { source: "file" | "backend"; config: StackConfig; path: string }
  | { source: "none"; reason: string };

export function loadConfigFile(projectDir: string, stack: string): StackConfig {
  const file = readStackFile(projectDir, stack);
  return parseStackConfig(decodePulumiConfig(file.config), file.path);
}

/** For `--dry-run`, which runs nothing: the file must be there. */
export function configForDryRun(projectDir: string, stack: string): StackConfig {
  if (!existsSync(stackFilePath(projectDir, stack))) {
    throw new StackFileError(
      `${stackFilePath(projectDir, stack)} does not exist: a dry run reads the names from it.\n` +
        `  For a stack that exists in the backend, fetch its config first: pulumi config refresh --stack ${stack} --force\n` +
        `  (with --yes the teardown fetches it itself, and skips everything if the stack was never deployed)`,
    );
  }
  return loadConfigFile(projectDir, stack);
}

export async function resolveStackConfig(projectDir: string, stack: string, exec: Executor, log: (line: string) => void): Promise<ResolvedConfig> {
  const path = stackFilePath(projectDir, stack);
  if (existsSync(path)) return { source: "file", config: loadConfigFile(projectDir, stack), path };

  const inBackend = await checkPresence(stackProbe(stack), exec, projectDir);
  if (!inBackend.present) {
    return { source: "none", reason: `${inBackend.reason} and there is no ${path}: nothing of it is left to address` };
  }
  log(`note: ${path} is missing; fetching the config of ${stack}'s last deployment from the backend`);
  const refresh = ["pulumi", "config", "refresh", "--stack", stack, "--force"];
  let problem: string;
  let result;
  try {
    result = await exec.capture(refresh, projectDir);
  } catch (error) {
    throw new TeardownRefusal(`could not run "${refresh.join(" ")}": ${(error as Error).message}`);
  }
  if (result.code === 0 && existsSync(path)) {
    try {
      return { source: "backend", config: loadConfigFile(projectDir, stack), path };
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof StackFileError)) throw error;
      problem = error.message;
    }
  } else {
    problem = `"${refresh.join(" ")}" ${result.code === 0 ? `wrote no ${path}` : `failed (exit code ${result.code}): ${excerpt(`${result.stdout}\n${result.stderr}`)}`}`;
  }

  const resources = await checkPresence(stateResourcesProbe(stack), exec, projectDir);
  if (!resources.present) {
    return { source: "none", reason: `stack ${stack} was never deployed (its state holds no resources, and it has no config)` };
  }
  throw new TeardownRefusal(
    `stack ${stack} holds resources in its state, but its config is not usable, so the names of its Azure resources cannot be derived:\n  ${problem}\n` +
      `  Restore ${path} (e.g. from the branch that deployed it), then run the teardown again.`,
  );
}
