/**
 * Physical Azure names for one stack's resources.
 *
 * Every name is derived from the naming prefix, the stack name and a short hash, so it is
 * - deterministic: the same stack always plans the same names (no random suffixes, so
 *   previews never show spurious replacements);
 * - unique enough: the hash is taken over the project, stack, optional salt AND the Azure
 *   subscription id. Storage account and key vault names and AI Services subdomains are global
 *   across Azure (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules),
 *   so two clones of this repo deploying a stack called `dev` into two subscriptions must not
 *   derive the same names; and two test stacks, or a test stack re-created after a
 *   soft-deleted one (key vaults, AI Services accounts and ML workspaces keep their names
 *   reserved while soft-deleted), never meet on a name because of the salt;
 * - valid: each name is cut to the length and character rules of its resource type.
 *
 * `namingInput` is the ONE place that turns (config, project, stack, subscription id) into a
 * `NamingInput`: the program, the offline plan, teardown and the fine-tuning CLI all call it,
 * so they derive the same names.
 *
 * Pure functions only: no Pulumi, no I/O. Modelled on awsx's `subnetNaming.ts`.
 */
import { createHash } from "node:crypto";
import { ConfigError } from "./schema";

export interface NamingInput {
  /** Short lowercase prefix chosen per team, e.g. `llft`. */
  prefix: string;
  /** The Pulumi project name. */
  project: string;
  /** The Pulumi stack name, e.g. `dev`, `prod`, `pr-123`. */
  stack: string;
  /** Extra entropy for short-lived stacks (e.g. a CI run id); empty for long-lived ones. */
  salt?: string;
  /** The Azure subscription the stack deploys into (a GUID, lower-cased by `namingInput`). */
  subscriptionId: string;
}

/** A subscription id as ARM writes it in every resource id: a GUID. */
export const SUBSCRIPTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The subscription id is not a GUID. It ends up in resource names, ARM ids and URLs, so it is
 * refused before anything is derived from it (a ConfigError, so every command that loads
 * config already prints it as a plain message).
 */
export class SubscriptionIdError extends ConfigError {
  constructor(value: string, origin: string) {
    super(origin, [`${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} is not an Azure subscription id (a GUID such as 0b1f6471-1bf0-4dda-aec3-111122223333)`]);
    this.name = "SubscriptionIdError";
    this.message = `Invalid subscription id from ${origin}: ${this.problems[0]}`;
  }
}

/** Validates a subscription id read from `origin` (e.g. "ARM_SUBSCRIPTION_ID") and lower-cases it. */
export function checkSubscriptionId(value: string, origin: string): string {
  const trimmed = value.trim();
  if (!SUBSCRIPTION_ID.test(trimmed)) throw new SubscriptionIdError(value, origin);
  return trimmed.toLowerCase();
}

/** The config keys naming depends on. */
export interface NamingConfig {
  namePrefix: string;
  nameSalt?: string;
}

/**
 * The naming input of one deployment: stack config, Pulumi project and stack, and the
 * subscription (from `authorization.getClientConfig()` in the program, `--subscription` /
 * ARM_SUBSCRIPTION_ID in the CLIs). `origin` names where the subscription id came from, for
 * the error message.
 */
export function namingInput(config: NamingConfig, project: string, stack: string, subscriptionId: string, origin = "the subscription id"): NamingInput {
  return {
    prefix: config.namePrefix,
    project,
    stack,
    ...(config.nameSalt !== undefined ? { salt: config.nameSalt } : {}),
    subscriptionId: checkSubscriptionId(subscriptionId, origin),
  };
}

/** Azure's rules for the names this stack creates, from each resource provider's documentation. */
export const NAME_RULES = {
  // https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
  resourceGroup: { min: 1, max: 90, pattern: /^[-\w.()]{0,89}[-\w()]$/ },
  storageAccount: { min: 3, max: 24, pattern: /^[a-z0-9]{3,24}$/ },
  blobContainer: { min: 3, max: 63, pattern: /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/ },
  keyVault: { min: 3, max: 24, pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/ },
  // Microsoft.MachineLearningServices/workspaces: 3-33, alphanumerics, hyphens, underscores.
  workspace: { min: 3, max: 33, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/ },
  // Microsoft.CognitiveServices/accounts (also its custom subdomain): 2-64, alphanumerics and hyphens.
  aiServices: { min: 2, max: 64, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}[a-zA-Z0-9]$/ },
  logAnalytics: { min: 4, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/ },
  appInsights: { min: 1, max: 260, pattern: /^[^%&\\?/]{1,260}$/ },
  // Azure ML datastore names: letters, digits and underscores only.
  datastore: { min: 1, max: 255, pattern: /^[a-zA-Z0-9_]{1,255}$/ },
  dataAsset: { min: 1, max: 255, pattern: /^[a-zA-Z0-9_-]{1,255}$/ },
  // MarketplaceSubscription name, from the REST spec's path parameter.
  marketplaceSubscription: { min: 1, max: 255, pattern: /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/ },
  // Serverless endpoints: unique in the region, 3-32 characters, a letter first, then letters, digits, hyphens.
  serverlessEndpoint: { min: 3, max: 32, pattern: /^[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]$/ },
  budget: { min: 1, max: 63, pattern: /^[a-zA-Z0-9_-]{1,63}$/ },
} as const;

export type NamedResource = keyof typeof NAME_RULES;

export interface StackNames {
  resourceGroup: string;
  storageAccount: string;
  trainingContainer: string;
  keyVault: string;
  hub: string;
  project: string;
  aiServices: string;
  logAnalytics: string;
  appInsights: string;
  datastore: string;
  trainingDataAsset: string;
  validationDataAsset: string;
  budget: string;
}

/** 6 hex characters of SHA-256 over subscription/project/stack/salt: 16.7M values per subscription. */
export function stackHash(input: NamingInput): string {
  return createHash("sha256")
    .update(`${input.subscriptionId.toLowerCase()}/${input.project}/${input.stack}/${input.salt ?? ""}`)
    .digest("hex")
    .slice(0, 6);
}

/** Lowercase, with every run of characters outside [a-z0-9] turned into one hyphen. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * `<prefix>-<stack>-<hash>` fitted into `max` characters: the stack part is shortened first,
 * because the hash already tells stacks apart and the prefix tells teams apart.
 */
function hyphenated(input: NamingInput, kind: string, max: number): string {
  const hash = stackHash(input);
  const fixed = `${input.prefix}-${kind ? `${kind}-` : ""}`;
  const room = max - fixed.length - hash.length - 1;
  const stack = slug(input.stack).slice(0, Math.max(room, 0)).replace(/-+$/, "");
  return stack ? `${fixed}${stack}-${hash}` : `${fixed}${hash}`;
}

/** Same as `hyphenated`, without separators (storage accounts allow only [a-z0-9]). */
function compact(input: NamingInput, kind: string, max: number): string {
  const hash = stackHash(input);
  const fixed = `${input.prefix}${kind}`.replace(/[^a-z0-9]/g, "");
  const room = max - fixed.length - hash.length;
  const stack = slug(input.stack).replace(/-/g, "").slice(0, Math.max(room, 0));
  return `${fixed}${stack}${hash}`;
}

/** All physical names of one stack. Throws if any would break its rule (a bug, not a user error). */
export function stackNames(input: NamingInput): StackNames {
  const names: StackNames = {
    resourceGroup: hyphenated(input, "rg", NAME_RULES.resourceGroup.max),
    storageAccount: compact(input, "st", NAME_RULES.storageAccount.max),
    trainingContainer: "training-data",
    keyVault: hyphenated(input, "kv", NAME_RULES.keyVault.max),
    hub: hyphenated(input, "hub", NAME_RULES.workspace.max),
    project: hyphenated(input, "proj", NAME_RULES.workspace.max),
    aiServices: hyphenated(input, "ais", NAME_RULES.aiServices.max),
    logAnalytics: hyphenated(input, "log", NAME_RULES.logAnalytics.max),
    appInsights: hyphenated(input, "appi", NAME_RULES.appInsights.max),
    datastore: "training_data",
    trainingDataAsset: "training",
    validationDataAsset: "validation",
    budget: hyphenated(input, "budget", NAME_RULES.budget.max),
  };
  const rules: Record<keyof StackNames, NamedResource> = {
    resourceGroup: "resourceGroup",
    storageAccount: "storageAccount",
    trainingContainer: "blobContainer",
    keyVault: "keyVault",
    hub: "workspace",
    project: "workspace",
    aiServices: "aiServices",
    logAnalytics: "logAnalytics",
    appInsights: "appInsights",
    datastore: "datastore",
    trainingDataAsset: "dataAsset",
    validationDataAsset: "dataAsset",
    budget: "budget",
  };
  for (const key of Object.keys(names) as (keyof StackNames)[]) {
    assertValidName(rules[key], names[key], PREFIX_HINT);
  }
  return names;
}

/**
 * Stand-ins for a listing made without a subscription id (e.g. a teardown dry run): every
 * name depends on the subscription, so none can be shown; each reads `<name of ...>`.
 */
export function namesWithoutSubscription(): StackNames {
  const keys: (keyof StackNames)[] = [
    "resourceGroup", "storageAccount", "trainingContainer", "keyVault", "hub", "project", "aiServices",
    "logAnalytics", "appInsights", "datastore", "trainingDataAsset", "validationDataAsset", "budget",
  ];
  return Object.fromEntries(keys.map((k) => [k, `<${k}: needs the subscription id>`])) as unknown as StackNames;
}

/**
 * A marketplace subscription name for a model: the model name with every character the
 * service refuses (dots in `Meta-Llama-3.1-8B-Instruct`) replaced by a hyphen.
 */
export function marketplaceSubscriptionName(modelName: string): string {
  const name = modelName.replace(/[^a-zA-Z0-9\-_]/g, "-").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 255);
  assertValidName("marketplaceSubscription", name, `it comes from the model name "${modelName.slice(0, 100)}": pick a model of the catalog (config key "model")`);
  return name;
}

/**
 * A serverless endpoint name: `<prefix>-<role>-<hash>` (role `base` or `ft`). Endpoint names are
 * unique per region, so the hash keeps two stacks in one region apart.
 */
export function serverlessEndpointName(input: NamingInput, role: "base" | "ft"): string {
  const name = hyphenated(input, role, NAME_RULES.serverlessEndpoint.max);
  assertValidName("serverlessEndpoint", name, PREFIX_HINT);
  return name;
}

/**
 * True when `name` follows Azure's rule for `kind`. Each pattern spells out the length limits
 * too (`min`/`max` are kept for messages), so the pattern alone decides; test/config/naming.test.ts
 * checks every kind at its limits.
 */
export function isValidName(kind: NamedResource, name: string): boolean {
  return NAME_RULES[kind].pattern.test(name);
}

/** What to change when a name built from the prefix, stack and hash breaks a rule. */
const PREFIX_HINT = 'set config key "namePrefix" to 2-6 lowercase letters or digits (it starts every generated name)';

function assertValidName(kind: NamedResource, name: string, hint: string): void {
  if (!isValidName(kind, name)) {
    const rule = NAME_RULES[kind];
    throw new Error(`generated ${kind} name "${name}" breaks Azure's rule (${rule.min}-${rule.max} characters, ${rule.pattern}); ${hint}`);
  }
}
