/** Shared by the teardown tests: the fixture stack pr-42's exact steps and checks, and the command run in-process. */
import { stackNames } from "../../config/naming";
import { decodePulumiConfig, parseStackConfig, type StackConfig } from "../../config/schema";
import { readStackFile } from "../../config/stackFile";
import { runTeardownCommand, type CommandIo, type Executor } from "../../teardown";
import { emptyWorld, fakeExecutor } from "./fakeBin";
import type { FakeWorld } from "./fakeCloud";
import { SUBSCRIPTION } from "./fixtures";

export function configOf(dir: string, stack: string): StackConfig {
  const file = readStackFile(dir, stack);
  return parseStackConfig(decodePulumiConfig(file.config), file.path);
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command in-process against `world` (an empty one by default). */
export async function run(args: string[], options: { env?: Record<string, string>; world?: FakeWorld; cwd?: string; exec?: Executor } = {}): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd ?? "/nonexistent",
    today: "2027-01-15",
    exec: options.exec ?? fakeExecutor(options.world ?? emptyWorld()),
  };
  const code = await runTeardownCommand(args, io);
  return { code, stdout, stderr };
}

export const names = stackNames({ prefix: "llft", project: "llama-finetune-env", stack: "pr-42", salt: "run-1234", subscriptionId: SUBSCRIPTION });
const ws = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${names.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;
export const STEPS = ["cancel-jobs", "purge-project", "wait-project", "purge-hub", "wait-hub", "destroy", "purge-key-vault", "purge-ai-services", "stack-rm"];

/** The full, ordered plan for the fixture's pr-42 stack, as argv lists. */
export const EXPECTED_PR42: string[][] = [
  ["npm", "run", "--silent", "finetune", "--", "--stack", "pr-42", "--cancel", "--subscription", SUBSCRIPTION],
  ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${ws(names.project)}?api-version=2024-10-01&forceToPurge=true`],
  ["az", "resource", "wait", "--deleted", "--ids", ws(names.project), "--api-version", "2024-10-01", "--interval", "15", "--timeout", "1800"],
  ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${ws(names.hub)}?api-version=2024-10-01&forceToPurge=true`],
  ["az", "resource", "wait", "--deleted", "--ids", ws(names.hub), "--api-version", "2024-10-01", "--interval", "15", "--timeout", "1800"],
  ["pulumi", "destroy", "--stack", "pr-42", "--yes", "--non-interactive"],
  ["az", "keyvault", "purge", "--name", names.keyVault, "--location", "westus3", "--subscription", SUBSCRIPTION],
  ["az", "cognitiveservices", "account", "purge", "--name", names.aiServices, "--resource-group", names.resourceGroup, "--location", "westus3", "--subscription", SUBSCRIPTION],
  ["pulumi", "stack", "rm", "--stack", "pr-42", "--yes"],
];

const rgCheck = ["az", "group", "exists", "--name", names.resourceGroup, "--subscription", SUBSCRIPTION];
const wsCheck = (name: string) => [
  "az", "resource", "list", "--resource-group", names.resourceGroup, "--resource-type", "Microsoft.MachineLearningServices/workspaces",
  "--name", name, "--subscription", SUBSCRIPTION, "--query", "[].id", "--output", "json",
];
const stackCheck = ["pulumi", "stack", "ls", "--json"];

/** The check commands of each step, in order (a container's check first). */
export const EXPECTED_CHECKS: string[][][] = [
  [rgCheck, wsCheck(names.project)],
  [rgCheck, wsCheck(names.project)],
  [rgCheck, wsCheck(names.project)],
  [rgCheck, wsCheck(names.hub)],
  [rgCheck, wsCheck(names.hub)],
  [stackCheck, ["pulumi", "stack", "export", "--stack", "pr-42"]],
  [["az", "keyvault", "list-deleted", "--resource-type", "vault", "--subscription", SUBSCRIPTION, "--query", `[?name=='${names.keyVault}'].id`, "--output", "json"]],
  [["az", "cognitiveservices", "account", "list-deleted", "--subscription", SUBSCRIPTION, "--query", `[?name=='${names.aiServices}'].id`, "--output", "json"]],
  [stackCheck],
];
