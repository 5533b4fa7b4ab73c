/**
 * The stack configuration: one zod schema for everything in `Pulumi.<stack>.yaml`.
 *
 * `pulumi up`, `pulumi preview`, the offline plan and the teardown command all go through
 * `parseStackConfig`, so a bad value is refused the same way everywhere, before any resource
 * is declared, with every problem listed at once (key, bad value, what is allowed).
 *
 * The keys `location`, `model`, `environment` and `contentSafety` are plain top-level keys of
 * the `llama-finetune-env` namespace because tools outside this code (the workflows, the
 * policy pack's docs, people's scripts) rely on those names.
 */
import { z } from "zod";
import { isCalendarDay, isoDay, latestBudgetStart } from "./budget";
import {
  allFineTuningRegions,
  asRetired,
  availableModelNames,
  CATALOG,
  DEFAULT_MODEL_NAME,
  describeRetirement,
  lookupModel,
  modelStatusOn,
  suggestModelNames,
  type LlamaModel,
  type ModelCatalog,
} from "./models";
import { endpointAuthFor, endpointAuthProblem, ENDPOINT_AUTH_CHOICES, type EndpointAuth } from "./endpointAuth";
import { ENVIRONMENT_KINDS, environmentPolicy, type EnvironmentKind } from "./environments";
import { finetuneSchema, type FinetuneConfig } from "./finetune";
import { misspeltNamespaceProblems } from "./namespaces";
import { networkDeploymentProblems, networkSchema, networkShapeProblems, resolveNetwork, type NetworkConfig } from "./network";
import { principalsSchema } from "./principals";

/** The config namespace: the Pulumi project name, so keys need no prefix in `pulumi config set`. */
export const CONFIG_NAMESPACE = "llama-finetune-env";

const DEPLOYER_TYPES = ["User", "ServicePrincipal"] as const;
const TIME_GRAINS = ["Monthly", "Quarterly", "Annually"] as const;

/** Azure ML model ids of fine-tuned models, e.g. `azureml://locations/westus3/workspaces/<id>/models/<name>/versions/1`. */
const FINE_TUNED_MODEL_ID = /^azureml:\/\/(locations\/[a-z0-9]+\/workspaces\/[0-9a-fA-F-]+|registries\/[\w-]+)\/models\/[\w.-]+\/versions\/[\w.-]+$/;

const listOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/**
 * Budget amounts above this are refused: a budget is an alert threshold in the billing
 * currency, and a typo such as 1e308 would make every alert meaningless.
 */
export const MAX_BUDGET_AMOUNT = 1_000_000_000;

const rawSchema = z.strictObject({
  location: z
    .string({ error: "is required: the Azure region of the hub and project, e.g. \"westus3\"" })
    .regex(/^[a-z0-9]+$/, { error: 'must be an Azure location name in lowercase without spaces, e.g. "westus3"' }),
  model: z.string().default(DEFAULT_MODEL_NAME),
  environment: z.enum(ENVIRONMENT_KINDS as [EnvironmentKind, ...EnvironmentKind[]], {
    error: `must be one of ${listOf(ENVIRONMENT_KINDS)}`,
  }),
  contentSafety: z.boolean({ error: "must be true or false" }).optional(),
  // How people, CI and the deployer reach the stack (config/network.ts); the kind's default mode unless set.
  network: networkSchema.optional(),
  // Serverless endpoint authentication (config/endpointAuth.ts): Entra ID where the catalog records it, else a key.
  endpointAuth: z.enum(ENDPOINT_AUTH_CHOICES, { error: `must be one of ${listOf(ENDPOINT_AUTH_CHOICES)}` }).optional(),
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,5}$/, { error: "must be 2-6 lowercase letters or digits, starting with a letter (it is part of every Azure name, some of which allow 24 characters)" })
    .default("llft"),
  nameSalt: z
    .string()
    .regex(/^[a-zA-Z0-9-]{1,40}$/, { error: "must be 1-40 letters, digits or hyphens (e.g. the CI run id of a test stack)" })
    .optional(),
  costCenter: z.string({ error: "is required: the cost center every resource is tagged with" }).min(1, { error: "must not be empty" }),
  budget: z.strictObject(
    {
      amount: z
        .number({ error: "must be a number" })
        .positive({ error: "must be greater than 0 (in the subscription's billing currency)" })
        .max(MAX_BUDGET_AMOUNT, { error: `must be at most ${MAX_BUDGET_AMOUNT} (in the subscription's billing currency)` }),
      timeGrain: z.enum(TIME_GRAINS, { error: `must be one of ${listOf(TIME_GRAINS)}` }).default("Monthly"),
      // Optional: the budget starts in the month the stack is created (config/budget.ts).
      startDate: z
        .string({ error: 'must be the first day of a month as YYYY-MM-01, e.g. "2026-12-01"' })
        .refine((d) => /^\d{4}-\d{2}-01$/.test(d) && isCalendarDay(d), { error: 'must be the first day of a month as YYYY-MM-01, e.g. "2026-12-01" (Azure budgets start on the 1st); leave it out to start in the month the stack is created' })
        .optional(),
      thresholds: z
        .array(z.number().gt(0).max(1000), { error: "must be a list of percentages of the amount, each over 0 and at most 1000" })
        .min(1, { error: "needs at least one threshold, e.g. [50, 80, 100]" })
        .max(5, { error: "allows at most 5 thresholds (Azure's limit of notifications per budget)" })
        .default([50, 80, 100]),
      // Azure: "Must have at least one contact email or contact group specified at the
      // Subscription or Resource Group scopes" (Consumption REST spec, Notification.contactEmails).
      contactEmails: z
        .array(z.email({ error: "must be an e-mail address" }), { error: "must be a list of e-mail addresses" })
        .min(1, { error: "needs at least one e-mail address: Azure refuses a resource-group budget whose alerts go to nobody" }),
    },
    { error: "is required: { amount, contactEmails, timeGrain?, thresholds?, startDate? }" },
  ),
  principals: principalsSchema,
  deployerPrincipalType: z.enum(DEPLOYER_TYPES, { error: `must be one of ${listOf(DEPLOYER_TYPES)} (the type of the identity that runs pulumi up)` }).optional(),
  data: z.strictObject(
    {
      trainingFile: z.string({ error: "is required: path of the training JSONL file, relative to the project" }).min(1),
      validationFile: z.string().min(1).optional(),
    },
    { error: "is required: { trainingFile, validationFile? }" },
  ),
  // Hyperparameters, base model version and training price (config/finetune.ts).
  finetune: finetuneSchema.prefault({}),
  fineTunedModelId: z
    .string()
    .regex(FINE_TUNED_MODEL_ID, { error: "must be an Azure ML model id, e.g. azureml://locations/westus3/workspaces/<workspace-guid>/models/<name>/versions/1" })
    .optional(),
  expiresOn: z
    .string({ error: 'must be a date as YYYY-MM-DD, e.g. "2026-12-31"' })
    .refine(isCalendarDay, { error: 'must be a real date as YYYY-MM-DD, e.g. "2026-12-31"' })
    .optional(),
});

type RawConfig = z.infer<typeof rawSchema>;

/** The validated, typed stack configuration that the program hands to the components. */
export interface StackConfig {
  location: string;
  model: LlamaModel;
  environment: EnvironmentKind;
  contentSafety: boolean;
  /** The network mode and what it needs (config/network.ts). */
  network: NetworkConfig;
  /** How serverless endpoints authenticate callers, and why (config/endpointAuth.ts). */
  endpointAuth: EndpointAuth;
  namePrefix: string;
  nameSalt?: string;
  costCenter: string;
  budget: RawConfig["budget"];
  /** De-duplicated, object ids lower-cased. */
  principals: RawConfig["principals"];
  /** Overrides the detected type of the identity running `pulumi up` (stack/deployer.ts). */
  deployerPrincipalType?: (typeof DEPLOYER_TYPES)[number];
  data: RawConfig["data"];
  finetune: FinetuneConfig;
  fineTunedModelId?: string;
  expiresOn?: string;
}

/** Bad configuration: every problem at once, each naming its key, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid stack configuration in ${source} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Pulumi hands config values over as strings (objects as JSON). Decode each value of our
 * namespace back to what the YAML said, but only for keys whose schema is not a string:
 * `nameSalt: "12345678901"` (a CI run id) and `costCenter: "4711"` must stay strings, while
 * `budget`, `principals`, `contentSafety` and friends are JSON.
 */
export function decodePulumiConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    out[key] = isStringKey(key) ? value : decodeValue(value);
  }
  return out;
}

/** True when the key's schema (under optional/default) takes a string or a string enum. */
function isStringKey(key: string): boolean {
  const shape = rawSchema.shape as Record<string, z.ZodType | undefined>;
  let schema = shape[key];
  if (schema === undefined) return false;
  while (["optional", "default", "nullable", "prefault"].includes(schema.def.type)) {
    schema = (schema.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return schema.def.type === "string" || schema.def.type === "enum";
}

function decodeValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export interface ParseOptions {
  /**
   * The day the deployment runs on (a Date, or YYYY-MM-DD in UTC). The model's lifecycle is
   * judged on it (default: now). When given (by `pulumi up`/`preview` and the offline plan),
   * `expiresOn` must not be past and `budget.startDate` not beyond what Azure accepts; teardown
   * leaves it out (an expired stack must still load to be removed).
   */
  today?: Date | string;
  /** The model catalog (default: config/models.ts); tests pass their own. */
  catalog?: ModelCatalog;
  /**
   * Check what only a deployment needs: that the identity running `pulumi up` can reach the
   * storage account in the stack's network mode. Default: when `today` is given (up, preview and
   * the offline plan); teardown and the fine-tuning CLI talk to ARM only and leave it out.
   */
  deployment?: boolean;
}

/** Keys that were replaced, with what replaced them (an old stack file is refused with this). */
const REPLACED_KEYS: Readonly<Record<string, string>> = {
  publicNetworkAccess:
    'removed: replaced by network.mode ("public", "restricted" or "private"; prod defaults to "private", dev and test to "public"). ' +
    "publicNetworkAccess: true is network.mode: public; false is network.mode: private with network.deployer: { via: inside-network } (see README \"Network\")",
};

const asDate = (today: Date | string): Date => (typeof today === "string" ? new Date(`${today}T00:00:00Z`) : today);
const asDay = (today: Date | string): string => (typeof today === "string" ? today : isoDay(today));

/**
 * The whole config of a stack as Pulumi passes it (`namespace:key` → string): keys of a
 * misspelt namespace (which Pulumi would silently ignore) are refused together with every
 * problem of our own keys.
 */
export function parsePulumiConfig(all: Readonly<Record<string, string>>, source: string, options: ParseOptions = {}): StackConfig {
  const misspelt = misspeltNamespaceProblems(Object.keys(all), CONFIG_NAMESPACE);
  try {
    const config = parseStackConfig(decodePulumiConfig(all), source, options);
    if (misspelt.length > 0) throw new ConfigError(source, misspelt);
    return config;
  } catch (error) {
    if (error instanceof ConfigError && misspelt.length > 0 && error.problems !== misspelt) throw new ConfigError(source, [...misspelt, ...error.problems]);
    throw error;
  }
}

/**
 * Validates the decoded config of one stack. `source` names where it came from (e.g.
 * `Pulumi.dev.yaml`) so that messages point at the file to edit.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, source: string, options: ParseOptions = {}): StackConfig {
  const problems: string[] = [];
  const parsed = rawSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(describeIssue(issue, raw));
  }
  if (options.today !== undefined) problems.push(...datesAgainst(raw, asDay(options.today)));

  // Cross-key rules: only meaningful once the keys themselves are well formed.
  const model = checkModelAndLocation(raw, options.today !== undefined ? asDate(options.today) : new Date(), options.catalog ?? CATALOG, problems);
  if (parsed.success && model) {
    const mode = parsed.data.network?.mode ?? environmentPolicy(parsed.data.environment).networkModeByDefault;
    problems.push(...networkShapeProblems(parsed.data.network, mode));
    if (options.deployment ?? options.today !== undefined) problems.push(...networkDeploymentProblems(resolveNetwork(parsed.data.network, mode)));
    const auth = endpointAuthProblem(model, parsed.data.endpointAuth);
    if (auth) problems.push(auth);
  }
  if (!parsed.success || !model || problems.length > 0) throw new ConfigError(source, problems);

  const cfg = parsed.data;
  const policy = environmentPolicy(cfg.environment);
  return {
    location: cfg.location,
    model,
    environment: cfg.environment,
    contentSafety: cfg.contentSafety ?? policy.contentSafetyByDefault,
    network: resolveNetwork(cfg.network, policy.networkModeByDefault),
    endpointAuth: endpointAuthFor(model, cfg.endpointAuth),
    namePrefix: cfg.namePrefix,
    nameSalt: cfg.nameSalt,
    costCenter: cfg.costCenter,
    budget: cfg.budget,
    principals: cfg.principals.map((p) => ({ objectId: p.objectId.toLowerCase(), type: p.type })),
    ...(cfg.deployerPrincipalType !== undefined ? { deployerPrincipalType: cfg.deployerPrincipalType } : {}),
    data: cfg.data,
    finetune: cfg.finetune,
    fineTunedModelId: cfg.fineTunedModelId,
    expiresOn: cfg.expiresOn,
  };
}

/** Dates that are well formed but wrong on `today`: an expiry in the past, a budget start too far ahead. */
function datesAgainst(raw: Readonly<Record<string, unknown>>, today: string): string[] {
  const problems: string[] = [];
  if (typeof raw.expiresOn === "string" && isCalendarDay(raw.expiresOn) && raw.expiresOn < today) {
    problems.push(`${key("expiresOn")}: ${show(raw.expiresOn)} is in the past (today is ${today}); set a later date, or tear the stack down (npm run teardown)`);
  }
  const start = valueAt(raw, ["budget", "startDate"]);
  if (typeof start === "string" && isCalendarDay(start) && start > latestBudgetStart(today)) {
    problems.push(`${key("budget.startDate")}: ${show(start)} is more than twelve months ahead (Azure's limit); the latest start today is "${latestBudgetStart(today)}"`);
  }
  return problems;
}

/**
 * `model` and `location` together: a retired model is refused with its retirement date and
 * replacements, an unknown one with the allowed names; `location` is checked against the model's
 * fine-tuning regions, or against every catalog region when the model is unusable, so a config
 * with both wrong names both. (A deprecated model is accepted; `modelWarnings` reports it.)
 */
function checkModelAndLocation(raw: Readonly<Record<string, unknown>>, today: Date, catalog: ModelCatalog, problems: string[]): LlamaModel | undefined {
  const name = raw.model === undefined ? DEFAULT_MODEL_NAME : raw.model;
  let model: LlamaModel | undefined;
  if (typeof name === "string") {
    const found = lookupModel(name, catalog);
    if (found.kind === "available" && modelStatusOn(found.model, today) !== "retired") {
      model = found.model;
    } else if (found.kind !== "unknown") {
      const gone = found.kind === "retired" ? found.retired : asRetired(found.model);
      problems.push(`${key("model")}: ${show(name)} is retired: ${describeRetirement(gone)}`);
    } else {
      const guesses = suggestModelNames(name, catalog).map((n) => `"${n}"${lookupModel(n, catalog).kind === "retired" ? " (retired)" : ""}`);
      const guess = guesses.length > 0 ? ` (did you mean ${guesses.join(" or ")}? names are case-sensitive)` : "";
      problems.push(
        `${key("model")}: ${show(name)} is not a Meta Llama model that can be fine-tuned as a service${guess}; allowed: ${listOf(availableModelNames(today, catalog))}`,
      );
    }
  } // a non-string model is already reported by the schema
  if (typeof raw.location === "string") {
    const regions = model ? model.fineTuningRegions : allFineTuningRegions(catalog);
    if (!regions.includes(raw.location)) {
      const where = model ? `${model.name} can be fine-tuned` : "any catalog model can be fine-tuned";
      problems.push(`${key("location")}: ${show(raw.location)} is not a region where ${where}; allowed: ${listOf(regions)} (the project must be in one of them)`);
    }
  }
  return model;
}

/** Every config key the schema knows, for messages and docs. */
export function knownConfigKeys(): string[] {
  return Object.keys(rawSchema.shape);
}

function key(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === "string" ? [path] : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p)));
  return `${CONFIG_NAMESPACE}:${parts.join(".").replace(/\.\[/g, "[")}`;
}

function show(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === "unrecognized_keys") {
    // Top-level typos get the list of keys; nested ones get the shape in the schema's own message.
    const known = issue.path.length === 0 ? ` (known keys: ${knownConfigKeys().join(", ")})` : "";
    return issue.keys
      .map((k) => (issue.path.length === 0 && REPLACED_KEYS[k] ? `${key(k)}: ${REPLACED_KEYS[k]}` : `${key([...issue.path, k])}: unknown key; check its spelling${known}`))
      .join("\n  - ");
  }
  const value = valueAt(raw, issue.path);
  const prefix = issue.path.length === 0 ? CONFIG_NAMESPACE : key(issue.path);
  return value === undefined ? `${prefix}: ${issue.message}` : `${prefix}: ${show(value)} ${issue.message}`;
}
