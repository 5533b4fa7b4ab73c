/**
 * The serverless (model-as-a-service) fine-tuning job as ARM wants it, and its name. Pure.
 *
 * Body of `PUT .../workspaces/{project}/jobs/{name}?api-version=2025-12-01`, from the REST spec's
 * example (azure-rest-api-specs, specification/machinelearningservices/resource-manager/
 * Microsoft.MachineLearningServices/stable/2025-12-01/examples/Job/FineTuningJob/createOrUpdate.json:
 * `jobType: FineTuning`, `fineTuningDetails.{modelProvider: Custom, taskType, model: mlflow_model,
 * trainingData: uri_file}`) and from how azure-ai-ml builds it (azure-sdk-for-python,
 * sdk/ml/azure-ai-ml/azure/ai/ml/finetuning/_create_job.py and
 * entities/_job/finetuning/custom_model_finetuning_job.py: `validationData`, `hyperParameters` as a
 * string map, and `outputs.registered_model` of type mlflow_model named by the caller).
 *
 * What is left out on purpose: `computeId`, `resources.instanceTypes` and `queueSettings` belong to
 * fine-tuning on managed compute ("model-as-a-platform"). `create_finetuning_job` sets them only
 * when a compute, instance types or a job tier are given, and the model-as-a-service samples set
 * none (azureml-examples cli/jobs/finetuning/standalone/model-as-a-service/*.yaml, versus
 * model-as-a-platform/*-amlcompute.yaml and *-instance-types.yaml).
 *
 * Hyperparameter names: `num_train_epochs`, `per_device_train_batch_size` and `learning_rate` are what
 * the model-as-a-service samples send (same azureml-examples files, and the Python tab of Learn's
 * "Fine-tune models by using serverless API deployments", articles/ai-foundry/how-to/
 * fine-tune-serverless.md, 01/28/2026). The learning-rate *multiplier* of the portal's task parameters
 * is sent as `learning_rate_multiplier`, its name in that page's parameter table until its 03/11/2025
 * version (later versions show display names only); no sample sends it, so it is the one name here
 * that no example confirms. Unset values are left to the service.
 */
import { createHash } from "node:crypto";
import type { FinetuneConfig } from "../config/finetune";
import { META_REGISTRY, type LlamaModel, type TaskType } from "../config/models";
import { slug } from "../config/naming";
import type { DataAsset } from "./stack";

/** Tags that mark a job as submitted by this tool for a stack (teardown cancels by them). */
export const TOOL_TAG = "llama-finetune-env.tool";
export const TOOL_TAG_VALUE = "finetune";
export const STACK_TAG = "stack";

/** The REST `taskType` per catalog task (FineTuningTaskType in azure-ai-ml: ChatCompletion, TextCompletion). */
const TASK_TYPES: Record<TaskType, "ChatCompletion" | "TextCompletion"> = {
  "chat-completion": "ChatCompletion",
  "text-generation": "TextCompletion",
};

export const HYPERPARAMETER_KEYS = {
  epochs: "num_train_epochs",
  batchSize: "per_device_train_batch_size",
  learningRateMultiplier: "learning_rate_multiplier",
  learningRate: "learning_rate",
} as const;

export function taskTypeOf(model: LlamaModel): "ChatCompletion" | "TextCompletion" {
  return TASK_TYPES[model.task];
}

/**
 * The base model as an mlflow_model input. A pinned version is exact; without one the registry's
 * `labels/latest` is used (a form job inputs accept, e.g. azureml-examples
 * cli/foundation-models/system/finetune/text-to-image/diffusers-dreambooth-dog-text-to-image.yaml),
 * and the version the service resolved is reported after submission.
 */
export function baseModelUri(model: LlamaModel, version?: string): string {
  return `${META_REGISTRY}/models/${model.name}/${version === undefined ? "labels/latest" : `versions/${version}`}`;
}

/** A data asset version by its asset URI (the form azureml-examples cli/batch-score.sh passes to a REST call). */
export function dataAssetUri(scope: WorkspaceScope, asset: Pick<DataAsset, "name" | "version">): string {
  return `azureml://subscriptions/${scope.subscriptionId}/resourcegroups/${scope.resourceGroup}/workspaces/${scope.workspace}/data/${asset.name}/versions/${asset.version}`;
}

export interface WorkspaceScope {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export function hyperParameters(ft: FinetuneConfig): Record<string, string> {
  const out: Record<string, string> = { [HYPERPARAMETER_KEYS.epochs]: String(ft.epochs) };
  if (ft.batchSize !== undefined) out[HYPERPARAMETER_KEYS.batchSize] = String(ft.batchSize);
  if (ft.learningRateMultiplier !== undefined) out[HYPERPARAMETER_KEYS.learningRateMultiplier] = String(ft.learningRateMultiplier);
  if (ft.learningRate !== undefined) out[HYPERPARAMETER_KEYS.learningRate] = String(ft.learningRate);
  return out;
}

export interface JobSpecInput {
  stack: string;
  namePrefix: string;
  model: LlamaModel;
  finetune: FinetuneConfig;
  scope: WorkspaceScope;
  training: DataAsset;
  validation?: DataAsset;
  /** Extra tags (the stack's tags: environment, cost-center, ...). */
  tags?: Record<string, string>;
}

export interface JobSpec {
  name: string;
  body: { properties: Record<string, unknown> };
  modelUri: string;
  /** Name of the model the job registers (output `registered_model`). */
  outputModelName: string;
}

/**
 * The job's name is a hash of everything that decides what gets trained: the model, the task,
 * the exact data (full SHA-256 of each file) and the hyperparameters. Submitting the same inputs
 * again finds the job by name and attaches to it instead of training twice; changing any input
 * makes a new job. Job names: `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$` (the REST spec's id pattern).
 */
export function jobName(input: JobSpecInput): string {
  const identity = {
    model: baseModelUri(input.model, input.finetune.modelVersion),
    task: taskTypeOf(input.model),
    training: input.training.sha256,
    validation: input.validation?.sha256 ?? null,
    hyperParameters: sortedEntries(hyperParameters(input.finetune)),
    // Attempt 1 adds nothing, so names of jobs submitted before the key existed stay the same.
    ...((input.finetune.attempt ?? 1) > 1 ? { attempt: input.finetune.attempt } : {}),
  };
  const hash = createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 12);
  return `${input.namePrefix}-ft-${slug(input.model.name).slice(0, 60)}-${hash}`;
}

export function buildJobSpec(input: JobSpecInput): JobSpec {
  const name = jobName(input);
  const modelUri = baseModelUri(input.model, input.finetune.modelVersion);
  const details: Record<string, unknown> = {
    modelProvider: "Custom",
    taskType: taskTypeOf(input.model),
    model: { jobInputType: "mlflow_model", uri: modelUri },
    trainingData: { jobInputType: "uri_file", uri: dataAssetUri(input.scope, input.training) },
    hyperParameters: hyperParameters(input.finetune),
  };
  if (input.validation) details.validationData = { jobInputType: "uri_file", uri: dataAssetUri(input.scope, input.validation) };
  const tags: Record<string, string> = {
    ...input.tags,
    [STACK_TAG]: input.stack,
    [TOOL_TAG]: TOOL_TAG_VALUE,
    "training-sha256": input.training.sha256,
    ...(input.validation ? { "validation-sha256": input.validation.sha256 } : {}),
  };
  return {
    name,
    modelUri,
    outputModelName: name,
    body: {
      properties: {
        jobType: "FineTuning",
        displayName: `${input.model.name} fine-tuned on ${input.stack} data ${input.training.version}`,
        experimentName: `${input.namePrefix}-finetune-${slug(input.stack)}`,
        description: `Submitted by \`npm run finetune -- --stack ${input.stack}\` (llama-finetune-env).`,
        tags,
        fineTuningDetails: details,
        outputs: { registered_model: { jobOutputType: "mlflow_model", assetName: name } },
      },
    },
  };
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
