/**
 * Existence checks: every teardown step names the thing it acts on, and a read-only command
 * that says whether that thing is still there. A step whose target is absent is skipped (and
 * says so), which makes the whole teardown idempotent: re-running it after any failure, or
 * after it succeeded, completes it instead of failing on the first 404.
 *
 * The checks are chosen to answer "absent" with exit code 0 where the CLIs allow it (a
 * boolean, or a filtered list that is empty), so absence is not inferred from an error:
 * - `az group exists` prints true/false (learn.microsoft.com/cli/azure/group#az-group-exists);
 * - `az resource list --resource-group --resource-type --name` lists the workspace or nothing
 *   (Resources_ListByResourceGroup; only asked once the resource group is known to exist);
 * - `az keyvault list-deleted --resource-type vault` and `az cognitiveservices account
 *   list-deleted` list soft-deleted vaults and accounts of the subscription (REST:
 *   Vaults_ListDeleted, GET /subscriptions/{id}/providers/Microsoft.KeyVault/deletedVaults;
 *   DeletedAccounts_List, GET .../providers/Microsoft.CognitiveServices/deletedAccounts),
 *   filtered with a JMESPath `--query` on the name;
 * - `pulumi stack ls --json` lists the project's stacks in the backend, `pulumi stack export`
 *   prints a stack's state (`deployment.resources` is empty or missing when nothing is deployed).
 * A command that fails anyway is read as "absent" only when its output says not found
 * (`(ResourceGroupNotFound)`, `no stack named 'x' found`, ...); any other failure (no login, no
 * permission, throttling) stops the teardown, because skipping on an unknown error could leave
 * resources behind while reporting success.
 */
import { z } from "zod";

/** A check that is run. `parse` reads its stdout (exit code 0) and says whether the target exists. */
export interface CommandProbe {
  kind: "command";
  /** The target in words, e.g. `resource group llft-rg-pr-7-1a2b3c`. */
  target: string;
  argv: readonly string[];
  parse: (stdout: string) => boolean;
  /** A container that must exist first (the resource group of a workspace, the stack of its state). */
  within?: CommandProbe;
}

/** A target known to be absent without asking anything (e.g. the stack was never deployed). */
export interface KnownAbsent {
  kind: "absent";
  target: string;
  reason: string;
}

export type Probe = CommandProbe | KnownAbsent;

/** Output of a command whose target is missing, as the Azure CLI and the Pulumi CLI print it. */
export const NOT_FOUND = /\b\w*NotFound\b|no stack named .* found|(?<!command )\bnot found\b|could not be found/i;

/**
 * A wrong or inaccessible subscription also reads "not found" ("Subscription 'x' not found"),
 * and taking that for "absent" would skip every step of a real teardown: never absent.
 */
const SUBSCRIPTION_PROBLEM = /subscription/i;

/** Whether a failed check's output says that its target is missing (and nothing worse). */
export function saysNotFound(output: string): boolean {
  return NOT_FOUND.test(output) && !SUBSCRIPTION_PROBLEM.test(output);
}

export class ProbeOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProbeOutputError";
  }
}

function parseJson<T extends z.ZodType>(schema: T, stdout: string, what: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    throw new ProbeOutputError(`expected ${what} as JSON, got: ${excerpt(stdout)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProbeOutputError(`expected ${what}, got: ${excerpt(stdout)}`);
  return parsed.data;
}

/** `true` / `false`, as `az group exists` prints them. */
export function parseBoolean(stdout: string): boolean {
  const word = stdout.trim();
  if (word === "true") return true;
  if (word === "false") return false;
  throw new ProbeOutputError(`expected true or false, got: ${excerpt(stdout)}`);
}

/** A JSON list (an az `--query` result): the target exists when the list is not empty. */
export function parseNonEmptyList(stdout: string): boolean {
  return parseJson(z.array(z.unknown()), stdout, "a JSON list").length > 0;
}

const stackList = z.array(z.looseObject({ name: z.string() }));

/** `pulumi stack ls --json`: names may be qualified (`org/project/pr-7` on Pulumi Cloud). */
export function parseStackListed(stack: string): (stdout: string) => boolean {
  return (stdout) => parseJson(stackList, stdout, 'the list printed by "pulumi stack ls --json"').some((s) => s.name.split("/").pop() === stack);
}

const exported = z.looseObject({
  deployment: z.looseObject({ resources: z.array(z.unknown()).nullish() }).nullish(),
});

/** `pulumi stack export`: a stack that was never deployed, or whose destroy finished, has no resources. */
export function parseHasResources(stdout: string): boolean {
  return (parseJson(exported, stdout, 'the state printed by "pulumi stack export"').deployment?.resources ?? []).length > 0;
}

export function resourceGroupProbe(resourceGroup: string, subscription: string): CommandProbe {
  return {
    kind: "command",
    target: `resource group ${resourceGroup}`,
    argv: ["az", "group", "exists", "--name", resourceGroup, "--subscription", subscription],
    parse: parseBoolean,
  };
}

export function workspaceProbe(role: string, name: string, resourceGroup: string, subscription: string): CommandProbe {
  return {
    kind: "command",
    target: `AI Studio ${role} workspace ${name}`,
    argv: [
      "az",
      "resource",
      "list",
      "--resource-group",
      resourceGroup,
      "--resource-type",
      "Microsoft.MachineLearningServices/workspaces",
      "--name",
      name,
      "--subscription",
      subscription,
      "--query",
      "[].id",
      "--output",
      "json",
    ],
    parse: parseNonEmptyList,
    within: resourceGroupProbe(resourceGroup, subscription),
  };
}

export function deletedKeyVaultProbe(name: string, subscription: string): CommandProbe {
  return {
    kind: "command",
    target: `soft-deleted key vault ${name}`,
    argv: ["az", "keyvault", "list-deleted", "--resource-type", "vault", "--subscription", subscription, "--query", `[?name=='${name}'].id`, "--output", "json"],
    parse: parseNonEmptyList,
  };
}

export function deletedAiServicesProbe(name: string, subscription: string): CommandProbe {
  return {
    kind: "command",
    target: `soft-deleted AI Services account ${name}`,
    argv: ["az", "cognitiveservices", "account", "list-deleted", "--subscription", subscription, "--query", `[?name=='${name}'].id`, "--output", "json"],
    parse: parseNonEmptyList,
  };
}

export function stackProbe(stack: string): CommandProbe {
  return { kind: "command", target: `stack ${stack} in the state backend`, argv: ["pulumi", "stack", "ls", "--json"], parse: parseStackListed(stack) };
}

export function stateResourcesProbe(stack: string): CommandProbe {
  return {
    kind: "command",
    target: `a resource in the state of stack ${stack}`,
    argv: ["pulumi", "stack", "export", "--stack", stack],
    parse: parseHasResources,
    within: stackProbe(stack),
  };
}

/** The commands a probe may run, outermost first (for the dry run). */
export function probeCommands(probe: Probe): (readonly string[])[] {
  if (probe.kind === "absent") return [];
  return [...(probe.within ? probeCommands(probe.within) : []), probe.argv];
}

/** At most 300 characters of a command's output, on one line, for messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "(no output)";
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
