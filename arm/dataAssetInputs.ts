/**
 * Inputs of the `DataAsset` (container) and `DataAssetVersion` dynamic resources, their `check`
 * and their `diff`, kept apart from the provider so the rules are plain functions.
 *
 * Shaped like azure-native's machinelearningservices DataContainer / DataVersion inputs
 * (`resourceGroupName`, `workspaceName`, `name`, `version`, `properties.{dataType, dataUri,
 * description, tags}`), so plans, rules and readers see the same fields.
 *
 * Preview: every value may be the engine's unknown sentinel (unknowns.ts); `check` judges only
 * known values and `diff` counts an unknown as the change it may be.
 */
import { isUnknown } from "./unknowns";

export interface DataAssetProperties {
  /** `uri_file` or `uri_folder`. */
  dataType: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface DataVersionProperties extends DataAssetProperties {
  /** `azureml://.../datastores/<datastore>/paths/<path>` (or https/wasbs/abfss). */
  dataUri: string;
}

interface Common {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** Asset name. */
  name: string;
  /** ARM endpoint override (https); absent means the configured cloud's. */
  endpoint?: string;
  /** Bound on retries of one request (throttling, transient errors), in seconds. Default 300. */
  maxWaitSeconds?: number;
}

export interface DataAssetInputs extends Common {
  properties: DataAssetProperties;
}

export interface DataAssetVersionInputs extends Common {
  version: string;
  properties: DataVersionProperties;
  /** A tag naming the content (e.g. `sha256`): an existing version with another value holds other data. */
  identityTag?: string;
}

export interface DataAssetState {
  /** True when the asset existed in Azure and was taken over instead of created. */
  adopted: boolean;
  /** The live archive state (a refresh may find it archived by someone else). */
  isArchived: boolean;
}

export type DataAssetOutputs = DataAssetInputs & DataAssetState;
export type DataAssetVersionOutputs = DataAssetVersionInputs & DataAssetState;

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Data types this project registers (DataType enum of 2025-12-01 also has `mltable`, which needs referencedUris). */
export const DATA_TYPES: readonly string[] = ["uri_file", "uri_folder"];

// Patterns from the 2025-12-01 spec: container names `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`,
// workspace names `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`.
const ASSET_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
const WORKSPACE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const VERSION = /^[a-zA-Z0-9][a-zA-Z0-9.\-_]{0,99}$/;

function checkCommon(inputs: Partial<Common> & { properties?: Partial<DataVersionProperties> }, failures: CheckFailure[]): void {
  const known = (v: unknown) => v !== undefined && !isUnknown(v);
  const bad = (property: string, reason: string) => failures.push({ property, reason });
  if (known(inputs.subscriptionId) && !/^[0-9a-fA-F-]{36}$/.test(String(inputs.subscriptionId))) bad("subscriptionId", `"${String(inputs.subscriptionId)}" is not a subscription id (a GUID)`);
  if (inputs.subscriptionId === undefined) bad("subscriptionId", "is required");
  if (known(inputs.resourceGroupName) && (typeof inputs.resourceGroupName !== "string" || inputs.resourceGroupName === "")) bad("resourceGroupName", "must be a resource group name");
  if (inputs.resourceGroupName === undefined) bad("resourceGroupName", "is required");
  if (known(inputs.workspaceName) && !WORKSPACE_NAME.test(String(inputs.workspaceName))) bad("workspaceName", `"${String(inputs.workspaceName)}" is not a workspace name (^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$)`);
  if (inputs.workspaceName === undefined) bad("workspaceName", "is required");
  if (known(inputs.name) && !ASSET_NAME.test(String(inputs.name))) bad("name", `"${String(inputs.name)}" is not a data asset name (^[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}$)`);
  if (inputs.name === undefined) bad("name", "is required");
  if (known(inputs.endpoint) && !/^https:\/\//.test(String(inputs.endpoint))) bad("endpoint", `"${String(inputs.endpoint)}" must be an https ARM endpoint like https://management.azure.com`);
  const wait = inputs.maxWaitSeconds;
  if (known(wait) && (typeof wait !== "number" || !Number.isFinite(wait) || wait <= 0)) bad("maxWaitSeconds", `must be a positive number of seconds, got ${String(wait)}`);
  const props = inputs.properties;
  if (props === undefined || isUnknown(props)) {
    if (props === undefined) bad("properties", "is required");
    return;
  }
  if (known(props.dataType) && !DATA_TYPES.includes(String(props.dataType))) bad("properties.dataType", `"${String(props.dataType)}" is not one of ${DATA_TYPES.join(", ")}`);
  if (props.dataType === undefined) bad("properties.dataType", "is required");
  if (known(props.tags) && (typeof props.tags !== "object" || props.tags === null || Object.values(props.tags).some((v) => typeof v !== "string"))) bad("properties.tags", "must map names to strings");
}

export function validateDataAssetInputs(inputs: Partial<DataAssetInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  checkCommon(inputs, failures);
  return failures;
}

export function validateDataAssetVersionInputs(inputs: Partial<DataAssetVersionInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  checkCommon(inputs, failures);
  const known = (v: unknown) => v !== undefined && !isUnknown(v);
  if (known(inputs.version) && !VERSION.test(String(inputs.version))) failures.push({ property: "version", reason: `"${String(inputs.version)}" is not a version (letters, digits, . - _)` });
  if (inputs.version === undefined) failures.push({ property: "version", reason: "is required" });
  const props = inputs.properties;
  if (props !== undefined && !isUnknown(props)) {
    if (props.dataUri === undefined) failures.push({ property: "properties.dataUri", reason: "is required" });
    else if (known(props.dataUri) && !/^(azureml|https|wasbs|abfss|adl):\/\/\S+$/.test(String(props.dataUri))) {
      failures.push({ property: "properties.dataUri", reason: `"${String(props.dataUri)}" is not an azureml://, https://, wasbs://, abfss:// or adl:// URI` });
    }
  }
  return failures;
}

function at(obj: unknown, path: string): unknown {
  if (isUnknown(obj)) return obj;
  return path.split(".").reduce<unknown>((o, k) => (isUnknown(o) ? o : o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/**
 * Inputs whose change makes another asset (another ARM path, or an immutable property that Azure
 * will refuse to change): replaced, never deleted first. Not the endpoint: it only says how to
 * reach the same asset, and a replacement at the same ARM path would adopt the asset and then
 * archive it as "the old one".
 */
export const CONTAINER_REPLACE_ON: readonly string[] = ["subscriptionId", "resourceGroupName", "workspaceName", "name", "properties.dataType"];
export const VERSION_REPLACE_ON: readonly string[] = [...CONTAINER_REPLACE_ON, "version", "properties.dataUri"];
/** Inputs changed in place (description, tags; how the provider reaches ARM). */
const UPDATE_ON: readonly string[] = ["properties.description", "properties.tags", "identityTag", "endpoint", "maxWaitSeconds"];

/**
 * The engine's Diff: replacements for a new identity or immutable property (create-before-delete:
 * the new one is made, then the old one archived), in-place updates for description and tags, and
 * a change when a refresh found the asset archived, so the next `up` makes it current again.
 */
export function diffDataAsset(olds: Record<string, unknown>, news: Record<string, unknown>, replaceOn: readonly string[]): { changes: boolean; replaces: string[]; deleteBeforeReplace: false } {
  const differs = (path: string) => {
    const b = at(news, path);
    return isUnknown(b) || JSON.stringify(at(olds, path) ?? null) !== JSON.stringify(b ?? null);
  };
  const replaces = replaceOn.filter(differs);
  const changes = replaces.length > 0 || UPDATE_ON.some(differs) || olds.isArchived === true;
  return { changes, replaces, deleteBeforeReplace: false };
}
