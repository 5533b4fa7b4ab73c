/**
 * The zod schema of the `llama-finetune-env` keys of `Pulumi.<stack>.yaml`, as written: types,
 * ranges and each key's message. `./schema.ts` validates a stack with it and adds the cross-key
 * rules; `./decode.ts` reads from it which keys are strings; `./messages.ts` formats its issues.
 *
 * The keys `location`, `model`, `environment` and `contentSafety` are plain top-level keys of
 * the `llama-finetune-env` namespace because tools outside this code (the workflows, the
 * policy pack's docs, people's scripts) rely on those names.
 */
import { z } from "zod";
import { isCalendarDay } from "./budget";
import { DEFAULT_MODEL_NAME } from "./models";
import { ENDPOINT_AUTH_CHOICES } from "./endpointAuth";
import { ENVIRONMENT_KINDS, type EnvironmentKind } from "./environments";
import { finetuneSchema } from "./finetune";
import { networkSchema } from "./network";
import { principalsSchema } from "./principals";

/** The config namespace: the Pulumi project name, so keys need no prefix in `pulumi config set`. */
export const CONFIG_NAMESPACE = "llama-finetune-env";

export const DEPLOYER_TYPES = ["User", "ServicePrincipal"] as const;
const TIME_GRAINS = ["Monthly", "Quarterly", "Annually"] as const;

/** Azure ML model ids of fine-tuned models, e.g. `azureml://locations/westus3/workspaces/<id>/models/<name>/versions/1`. */
const FINE_TUNED_MODEL_ID = /^azureml:\/\/(locations\/[a-z0-9]+\/workspaces\/[0-9a-fA-F-]+|registries\/[\w-]+)\/models\/[\w.-]+\/versions\/[\w.-]+$/;

export const listOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/**
 * Budget amounts above this are refused: a budget is an alert threshold in the billing
 * currency, and a typo such as 1e308 would make every alert meaningless.
 */
export const MAX_BUDGET_AMOUNT = 1_000_000_000;

/**
 * The message of a key's type check: "is required: ..." when the key is missing, `wrongType`
 * when it holds something else (zod sends both through one message; "5 is required" misleads).
 */
function requiredOr(required: string, wrongType: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? `is required: ${required}` : wrongType);
}

const LOCATION = 'must be an Azure location name in lowercase without spaces, e.g. "westus3"';
const NAME_PREFIX = "must be 2-6 lowercase letters or digits, starting with a letter (it is part of every Azure name, some of which allow 24 characters)";
const NAME_SALT = "must be 1-40 letters, digits or hyphens (e.g. the CI run id of a test stack)";
const THRESHOLD = "must be a percentage of the amount, over 0 and at most 1000";
const FINE_TUNED_ID = "must be an Azure ML model id, e.g. azureml://locations/westus3/workspaces/<workspace-guid>/models/<name>/versions/1";
const TRAINING_FILE = "path of the training JSONL file, relative to the project";

export const rawSchema = z.strictObject({
  location: z.string({ error: requiredOr('the Azure region of the hub and project, e.g. "westus3"', LOCATION) }).regex(/^[a-z0-9]+$/, { error: LOCATION }),
  model: z.string({ error: 'must be the name of a catalog model, e.g. "Meta-Llama-3.1-8B-Instruct"' }).default(DEFAULT_MODEL_NAME),
  environment: z.enum(ENVIRONMENT_KINDS as [EnvironmentKind, ...EnvironmentKind[]], {
    error: `must be one of ${listOf(ENVIRONMENT_KINDS)}`,
  }),
  contentSafety: z.boolean({ error: "must be true or false" }).optional(),
  // How people, CI and the deployer reach the stack (config/network.ts); the kind's default mode unless set.
  network: networkSchema.optional(),
  // Serverless endpoint authentication (config/endpointAuth.ts): Entra ID where the catalog records it, else a key.
  endpointAuth: z.enum(ENDPOINT_AUTH_CHOICES, { error: `must be one of ${listOf(ENDPOINT_AUTH_CHOICES)}` }).optional(),
  namePrefix: z.string({ error: NAME_PREFIX }).regex(/^[a-z][a-z0-9]{1,5}$/, { error: NAME_PREFIX }).default("llft"),
  nameSalt: z.string({ error: NAME_SALT }).regex(/^[a-zA-Z0-9-]{1,40}$/, { error: NAME_SALT }).optional(),
  costCenter: z
    .string({ error: requiredOr("the cost center every resource is tagged with", "must be text: the cost center every resource is tagged with") })
    .min(1, { error: "must not be empty" }),
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
        .array(z.number({ error: THRESHOLD }).gt(0, { error: THRESHOLD }).max(1000, { error: THRESHOLD }), {
          error: "must be a list of percentages of the amount, each over 0 and at most 1000",
        })
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
      trainingFile: z.string({ error: requiredOr(TRAINING_FILE, `must be the ${TRAINING_FILE}`) }).min(1, { error: `must not be empty: the ${TRAINING_FILE}` }),
      validationFile: z
        .string({ error: "must be the path of the validation JSONL file, relative to the project" })
        .min(1, { error: "must not be empty: the path of the validation JSONL file, relative to the project (or leave the key out)" })
        .optional(),
    },
    { error: "is required: { trainingFile, validationFile? }" },
  ),
  // Hyperparameters, base model version and training price (config/finetune.ts).
  finetune: finetuneSchema.prefault({}),
  fineTunedModelId: z.string({ error: FINE_TUNED_ID }).regex(FINE_TUNED_MODEL_ID, { error: FINE_TUNED_ID }).optional(),
  expiresOn: z
    .string({ error: 'must be a date as YYYY-MM-DD, e.g. "2026-12-31"' })
    .refine(isCalendarDay, { error: 'must be a real date as YYYY-MM-DD, e.g. "2026-12-31"' })
    .optional(),
});

export type RawConfig = z.infer<typeof rawSchema>;

/** Every config key the schema knows, for messages and docs. */
export function knownConfigKeys(): string[] {
  return Object.keys(rawSchema.shape);
}

