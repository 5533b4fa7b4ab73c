/**
 * The stack configuration: everything in `Pulumi.<stack>.yaml`, validated into a `StackConfig`.
 *
 * `pulumi up`, `pulumi preview`, the offline plan and the teardown command all go through
 * `parseStackConfig`, so a bad value is refused the same way everywhere, before any resource
 * is declared, with every problem listed at once (key, bad value, what is allowed).
 *
 * The keys themselves are in `./rawSchema.ts`, the decoding of Pulumi's strings in `./decode.ts`
 * and the wording of problems in `./messages.ts`; this module adds the rules across keys (model
 * and region, dates against the day of the deployment, network, endpoint auth) and builds the
 * typed `StackConfig`. It re-exports what other folders import from it.
 */
import { isCalendarDay, latestBudgetStart, isoDay } from "./budget";
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
import { decodePulumiConfig } from "./decode";
import { endpointAuthFor, endpointAuthProblem, type EndpointAuth } from "./endpointAuth";
import { environmentPolicy, type EnvironmentKind } from "./environments";
import type { FinetuneConfig } from "./finetune";
import { ConfigError, describeIssue, key, show, valueAt } from "./messages";
import { misspeltNamespaceProblems } from "./namespaces";
import { networkDeploymentProblems, networkShapeProblems, resolveNetwork, type NetworkConfig } from "./network";
import { CONFIG_NAMESPACE, listOf, rawSchema, type DEPLOYER_TYPES, type RawConfig } from "./rawSchema";

export { CONFIG_NAMESPACE, knownConfigKeys, MAX_BUDGET_AMOUNT } from "./rawSchema";
export { decodePulumiConfig } from "./decode";
export { ConfigError } from "./messages";

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
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, raw));
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

