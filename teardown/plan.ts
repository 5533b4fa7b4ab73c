/**
 * The ordered commands that remove one stack completely: nothing left in Azure, no name
 * left reserved by a soft-deleted resource, and no stack left in the state backend.
 *
 * Why this order:
 * 1. ML workspaces (project, then hub) are deleted *before* `pulumi destroy`, with the
 *    `forceToPurge=true` query parameter of the Workspaces_Delete operation
 *    (azure-rest-api-specs, specification/machinelearningservices/.../stable/2024-10-01/
 *    workspaceRP.json, parameter `WorkspaceForceToPurgeParameter`: "Flag to indicate delete is
 *    a purge request"; the same switch as `az ml workspace delete --permanently-delete`).
 *    Microsoft's soft-delete article (learn.microsoft.com/azure/machine-learning/
 *    concept-soft-delete) documents permanent deletion only *at deletion time*: a purge after
 *    the fact is a portal action, and its REST path sits under the resource group, which
 *    `pulumi destroy` deletes. azure-native has no "purge on delete" switch, hence `az rest`.
 *    Workspaces_Delete is a long-running operation that `az rest` does not poll, so each
 *    delete is followed by `az resource wait --deleted`.
 * 2. `pulumi destroy` then deletes everything else; azure-native treats the 404 of the
 *    already-deleted workspaces as success (pulumi/pulumi-azure-native#293).
 * 3. Key vault and AI Services purges come after the destroy: their deleted-resource APIs
 *    are addressed by location (`az keyvault purge --location`, and
 *    `.../locations/{location}/resourceGroups/{rg}/deletedAccounts/{name}` behind
 *    `az cognitiveservices account purge`), so they work once the resource group is gone.
 * 4. `pulumi stack rm` last, so a failed destroy leaves the stack (and its state) in place to
 *    retry.
 *
 * Stacks whose environment protects data (prod) get no purge at all: destroying them is
 * already a two-flag act, a purge before `pulumi destroy` would bypass Pulumi's `protect`,
 * and soft-delete (with key vault purge protection) is the last way back from a mistake.
 *
 * 0. Before any of that, running fine-tuning jobs in the project are cancelled
 *    (`npm run finetune -- --stack <s> --cancel`, see cli/finetune.ts): a job still running
 *    would keep writing to the workspace that is about to be purged.
 *
 * Every step carries a probe (teardown/probe.ts) for the thing it acts on, and is skipped
 * when that thing is absent: re-running a teardown after any failure completes it.
 *
 * Resource providers registered by the stack are never unregistered: a registration is
 * shared by the whole subscription, and other workloads may depend on it.
 */
import { environmentPolicy, type EnvironmentKind } from "../config/environments";
import { namesWithoutSubscription, namingInput, stackNames } from "../config/naming";
import { CONFIG_NAMESPACE, type StackConfig } from "../config/schema";
import { UsageError } from "./errors";
import {
  deletedAiServicesProbe,
  deletedKeyVaultProbe,
  probeCommands,
  stackProbe,
  stateResourcesProbe,
  workspaceProbe,
  type Probe,
} from "./probe";

/** api-version of Microsoft.MachineLearningServices used for the purge and the wait. */
export const ML_API_VERSION = "2024-10-01";
/** Shown in place of the subscription id when a dry run has none. */
export const SUBSCRIPTION_PLACEHOLDER = "<subscription-id>";
/** Shown in place of resource names when the stack has no config (so its names cannot be derived). */
export const UNKNOWN_NAME = "<unknown>";

/** Every step id, in the order a non-production teardown runs them. */
export const STEP_IDS = [
  "cancel-jobs",
  "purge-project",
  "wait-project",
  "purge-hub",
  "wait-hub",
  "destroy",
  "purge-key-vault",
  "purge-ai-services",
  "stack-rm",
] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface TeardownStep {
  id: StepId;
  /** What the step achieves, in words, for logs and the dry run. */
  title: string;
  /** Program and arguments, run without a shell. */
  argv: readonly string[];
  /** The thing the step acts on; the step is skipped when it is absent. */
  probe: Probe;
}

export interface TeardownPlan {
  stack: string;
  kind: EnvironmentKind;
  steps: TeardownStep[];
  /** Things the plan deliberately does not do, printed with it. */
  notes: string[];
}

export interface PlanInput {
  stack: string;
  /** The stack's config; undefined when it has none anywhere (see `noConfigReason`). */
  config?: StackConfig;
  /** Why there is no config, e.g. "stack pr-7 was never deployed": every Azure target is then absent. */
  noConfigReason?: string;
  /** The effective kind from the guard (the stricter of name and environment). */
  kind: EnvironmentKind;
  subscriptionId?: string;
}

export const PROVIDERS_NOTE =
  "Resource providers (Microsoft.MachineLearningServices, Microsoft.CognitiveServices, ...) are never unregistered: a registration is shared by the whole subscription.";

export function planTeardown(input: PlanInput): TeardownPlan {
  const { stack, config, kind } = input;
  // Names hash the subscription (config/naming.ts); a dry run without one shows placeholders.
  const names = config
    ? input.subscriptionId
      ? stackNames(namingInput(config, CONFIG_NAMESPACE, stack, input.subscriptionId, "--subscription / ARM_SUBSCRIPTION_ID"))
      : namesWithoutSubscription()
    : undefined;
  const subscription = input.subscriptionId ?? SUBSCRIPTION_PLACEHOLDER;
  const location = config?.location ?? UNKNOWN_NAME;
  const notes = [PROVIDERS_NOTE];
  /** An Azure target: checked when the names are known, otherwise absent for the stated reason. */
  const azure = (probe: (n: NonNullable<typeof names>) => Probe, target: string): Probe =>
    names ? probe(names) : { kind: "absent", target, reason: input.noConfigReason ?? `stack ${stack} has no config, so none of its resources can exist` };

  const destroy: TeardownStep = {
    id: "destroy",
    title: `pulumi destroy: delete every resource of stack ${stack}`,
    argv: ["pulumi", "destroy", "--stack", stack, "--yes", "--non-interactive"],
    probe: stateResourcesProbe(stack),
  };
  const stackRm: TeardownStep = {
    id: "stack-rm",
    title: `pulumi stack rm: remove stack ${stack} and its state from the backend`,
    argv: ["pulumi", "stack", "rm", "--stack", stack, "--yes"],
    probe: stackProbe(stack),
  };

  if (environmentPolicy(kind).protectData) {
    notes.push(
      `No purge for a ${kind} stack: soft-deleted key vault, AI Services account and workspaces stay recoverable for their retention period, and protected resources make "pulumi destroy" fail until they are unprotected.`,
    );
    return { stack, kind, steps: [destroy, stackRm], notes };
  }

  const resourceGroup = names?.resourceGroup ?? UNKNOWN_NAME;
  const project = names?.project ?? UNKNOWN_NAME;
  const hub = names?.hub ?? UNKNOWN_NAME;
  const keyVault = names?.keyVault ?? UNKNOWN_NAME;
  const aiServices = names?.aiServices ?? UNKNOWN_NAME;
  const projectProbe = azure((n) => workspaceProbe("project", n.project, n.resourceGroup, subscription), `AI Studio project workspace of ${stack}`);
  const hubProbe = azure((n) => workspaceProbe("hub", n.hub, n.resourceGroup, subscription), `AI Studio hub workspace of ${stack}`);

  const workspaceId = (name: string) =>
    `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;
  const purgeWorkspace = (id: StepId, role: string, name: string, probe: Probe): TeardownStep => ({
    id,
    title: `permanently delete the AI Studio ${role} workspace ${name} (Workspaces_Delete with forceToPurge=true), so its name is not held by a soft-deleted workspace`,
    argv: ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${workspaceId(name)}?api-version=${ML_API_VERSION}&forceToPurge=true`],
    probe,
  });
  const waitWorkspace = (id: StepId, name: string, probe: Probe): TeardownStep => ({
    id,
    title: `wait until workspace ${name} is gone (the delete is a long-running operation)`,
    argv: ["az", "resource", "wait", "--deleted", "--ids", workspaceId(name), "--api-version", ML_API_VERSION, "--interval", "15", "--timeout", "1800"],
    probe,
  });

  const steps: TeardownStep[] = [
    {
      id: "cancel-jobs",
      title: `cancel the fine-tuning jobs still running in project ${project} before its workspace is purged`,
      // The subscription this teardown addresses, so the jobs are looked for where the names point.
      argv: ["npm", "run", "--silent", "finetune", "--", "--stack", stack, "--cancel", ...(input.subscriptionId ? ["--subscription", input.subscriptionId] : [])],
      probe: projectProbe,
    },
    // The project is a child of the hub: the hub cannot go while the project exists.
    purgeWorkspace("purge-project", "project", project, projectProbe),
    waitWorkspace("wait-project", project, projectProbe),
    purgeWorkspace("purge-hub", "hub", hub, hubProbe),
    waitWorkspace("wait-hub", hub, hubProbe),
    destroy,
    {
      id: "purge-key-vault",
      title: `purge the soft-deleted key vault ${keyVault} (its name is global and stays reserved for the retention period otherwise)`,
      argv: ["az", "keyvault", "purge", "--name", keyVault, "--location", location, "--subscription", subscription],
      probe: azure((n) => deletedKeyVaultProbe(n.keyVault, subscription), `soft-deleted key vault of ${stack}`),
    },
    {
      id: "purge-ai-services",
      title: `purge the soft-deleted AI Services account ${aiServices} (its name and custom subdomain stay reserved otherwise)`,
      argv: ["az", "cognitiveservices", "account", "purge", "--name", aiServices, "--resource-group", resourceGroup, "--location", location, "--subscription", subscription],
      probe: azure((n) => deletedAiServicesProbe(n.aiServices, subscription), `soft-deleted AI Services account of ${stack}`),
    },
    stackRm,
  ];
  return { stack, kind, steps, notes };
}

/** Whether running these steps (or their checks) talks to Azure directly, and so needs the subscription id. */
export function needsSubscription(steps: readonly TeardownStep[]): boolean {
  return steps.some((s) => s.probe.kind === "command" && probeCommands(s.probe).some((argv) => argv[0] === "az"));
}

/** One line a person can paste into a POSIX shell. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** The steps from `from` on (to skip steps by hand); all of them when `from` is undefined. */
export function stepsFrom(plan: TeardownPlan, from: StepId | undefined): TeardownStep[] {
  if (from === undefined) return plan.steps;
  const index = plan.steps.findIndex((s) => s.id === from);
  if (index < 0) {
    // e.g. a purge step of a prod stack, which gets none: running nothing and saying "complete" would be a lie.
    throw new UsageError(
      `--from ${from} is not a step of the teardown of ${plan.stack} (a ${plan.kind} stack), whose steps are: ${plan.steps.map((s) => s.id).join(", ")}`,
    );
  }
  return plan.steps.slice(index);
}
