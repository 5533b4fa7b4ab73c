/**
 * Azure ML data assets (a data container: the asset name; and its data versions) made to exist
 * without ever deleting one. Pure of Pulumi: the dynamic providers in dataAssetResource.ts call
 * these over an {@link ArmJsonClient}.
 *
 * What Azure does, and why this module exists:
 *  - Azure ML refuses DELETE on data containers and data versions ("Method not supported for
 *    versions", "DataContainers_Workspace_Delete is not supported",
 *    https://github.com/cloud-custodian/cloud-custodian/issues/11012); a version "is immutable.
 *    It cannot be modified or deleted", and the way to retire one is to archive it, which "hides
 *    it by default from list queries ... You can still continue to reference and use an archived
 *    data asset" (Learn "Create and manage data assets",
 *    MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-create-data-assets.md).
 *  - The REST API has no archive operation and no PATCH for them: DataVersions_CreateOrUpdate
 *    and DataContainers_CreateOrUpdate are PUTs whose body carries `isArchived`
 *    (specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/
 *    stable/2025-12-01, example Workspace/DataVersionBase/createOrUpdate.json). azure-ai-ml
 *    archives and restores exactly so: GET the version (or container), set
 *    `properties.is_archived`, PUT it back (Azure/azure-sdk-for-python
 *    sdk/ml/azure-ai-ml/azure/ai/ml/_utils/_asset_utils.py `_archive_or_restore`).
 *  - A PUT on an existing version is accepted when its data URI and type are unchanged: Learn's
 *    "Add tags to an existing data asset" GETs the version and `create_or_update`s it with new
 *    tags. With another data URI the service answers UserError "A data version with this name
 *    and version already exists. ... the existing asset's data uri cannot be changed. Only tags,
 *    description, and isArchived can be updated." (the service's message as quoted in public
 *    troubleshooting notes). A new version may not change the asset's type either (Learn, same
 *    page: "doesn't allow the creation of a new version with a different type").
 *  - azure-native 3.28 does not adopt an existing resource: its Create first reads the resource
 *    and stops with "cannot create already existing resource '<id>'" when ARM answers 200 with a
 *    body (pulumi/pulumi-azure-native provider/pkg/azure/client_azcore.go `CanCreate`, called
 *    from provider/pkg/provider/provider.go `defaultCreate`). So re-creating a version that
 *    survives in Azure but not in the stack's state (going back to earlier data, a state restored
 *    from backup, a stack re-created against a surviving project) failed.
 *
 * Hence: create = GET; absent → PUT; present with the same type, data URI and content hash →
 * adopt it (and un-archive it, since it is current again); present with other immutable
 * properties → refuse, naming what differs. Delete = archive (GET, PUT with isArchived: true);
 * absent (404: version or workspace gone) → nothing to do. No DELETE is ever sent.
 */
import { z } from "zod";
import { armErrorText } from "./armJson";
import type { ArmJsonClient, ArmJsonResponse } from "./armJson";

/** The api-version azure-native 3.28 uses for machinelearningservices DataVersion/DataContainer. */
export const ML_DATA_API_VERSION = "2025-12-01";

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
}

export interface DataContainerSpec extends WorkspaceRef {
  name: string;
  dataType: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface DataVersionSpec extends DataContainerSpec {
  version: string;
  dataUri: string;
  /** A tag naming the content (e.g. `sha256`): an existing version whose tag differs holds other data. */
  identityTag?: string;
}

/** What the service holds for a container or version (only what is read here is required). */
export interface LiveAsset {
  id: string;
  properties: Record<string, unknown>;
}

export function workspacePath(ref: WorkspaceRef): string {
  const e = encodeURIComponent;
  return `/subscriptions/${e(ref.subscriptionId)}/resourceGroups/${e(ref.resourceGroupName)}/providers/Microsoft.MachineLearningServices/workspaces/${e(ref.workspaceName)}`;
}

export function dataContainerPath(ref: WorkspaceRef, name: string): string {
  return `${workspacePath(ref)}/data/${encodeURIComponent(name)}`;
}

export function dataVersionPath(ref: WorkspaceRef, name: string, version: string): string {
  return `${dataContainerPath(ref, name)}/versions/${encodeURIComponent(version)}`;
}

/** A data asset request failed for good: what, which call, the status and ARM's words, and a hint. */
export class DataAssetRequestError extends Error {
  constructor(
    readonly what: string,
    readonly operation: "read" | "write",
    readonly status: number,
    detail: string,
  ) {
    super(`${operation === "read" ? "Reading" : "Writing"} ${what} failed with HTTP ${status}: ${detail}${requestHint(status, operation)}`);
    this.name = "DataAssetRequestError";
  }
}

function requestHint(status: number, operation: "read" | "write"): string {
  if (status === 401) return ". Check the Azure credentials (azure-native:* stack config or ARM_* variables, or `az login`).";
  if (status === 403) return `. The deploying identity needs Microsoft.MachineLearningServices/workspaces/data/${operation === "read" ? "read" : "versions/write"} on the project (Contributor on the resource group, or Azure AI Developer on the project).`;
  if (status === 404 && operation === "write") return ". The project (workspace) does not exist (yet): check that it was created and that the subscription and resource group are right.";
  return "";
}

/** The version exists with other immutable properties: Azure can neither change nor delete it. */
export class DataAssetConflictError extends Error {
  constructor(
    readonly what: string,
    readonly differences: readonly string[],
  ) {
    super(
      `${what} already exists with different properties: ${differences.join("; ")}. ` +
        "Azure ML cannot change an existing version's data URI or type, nor delete it (only tags, description and isArchived can change). " +
        "It holds other data under the same name and version, so it is not adopted. Inspect it with `az ml data show`; to go on, register this data under another asset name or in another project (nameSalt).",
    );
    this.name = "DataAssetConflictError";
  }
}

function parseAsset(response: ArmJsonResponse, what: string): LiveAsset {
  // Built here, not at module level: this module is serialized into the dynamic providers.
  const schema = z.object({ id: z.string(), properties: z.record(z.string(), z.unknown()) }).loose();
  const parsed = schema.safeParse(response.json);
  if (!parsed.success) {
    throw new Error(`Azure answered HTTP ${response.status} for ${what} with an unexpected body: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  return { id: parsed.data.id, properties: parsed.data.properties };
}

/** GET; undefined when the asset (or its workspace) does not exist. */
export async function getAsset(client: ArmJsonClient, path: string, what: string): Promise<LiveAsset | undefined> {
  const response = await client.request("GET", path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new DataAssetRequestError(what, "read", response.status, armErrorText(response));
  return parseAsset(response, what);
}

async function putAsset(client: ArmJsonClient, path: string, properties: Record<string, unknown>, what: string): Promise<LiveAsset> {
  const response = await client.request("PUT", path, { properties });
  if (response.status !== 200 && response.status !== 201) throw new DataAssetRequestError(what, "write", response.status, armErrorText(response));
  return parseAsset(response, what);
}

/** The writable properties of DataContainer / DataVersionBase (2025-12-01); read-only ones (latestVersion, nextVersion, ...) are not sent back. */
const WRITABLE = ["dataType", "dataUri", "referencedUris", "description", "tags", "properties", "isAnonymous", "isArchived"];

function writable(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([k, v]) => WRITABLE.includes(k) && v !== undefined && v !== null));
}

function tagsOf(properties: Record<string, unknown>): Record<string, string> {
  const tags = properties.tags;
  if (typeof tags !== "object" || tags === null) return {};
  return Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === "string"));
}

const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v));

/** Immutable properties of the live version that differ from the spec, described for a person. */
export function versionDifferences(live: LiveAsset, spec: DataVersionSpec): string[] {
  const out: string[] = [];
  const p = live.properties;
  if (p.dataType !== spec.dataType) out.push(`dataType is ${show(p.dataType)} there, the stack declares ${show(spec.dataType)}`);
  if (p.dataUri !== spec.dataUri) out.push(`dataUri is ${show(p.dataUri)} there, the stack declares ${show(spec.dataUri)}`);
  const key = spec.identityTag;
  const mine = key === undefined ? undefined : spec.tags?.[key];
  const theirs = key === undefined ? undefined : tagsOf(p)[key];
  // A version without the tag records nothing about its content; its data URI (which holds the
  // content hash) already matched, so only a tag that says otherwise is a conflict.
  if (key !== undefined && theirs !== undefined && theirs !== mine) out.push(`tag ${key} is ${show(theirs)} there, the stack declares ${show(mine)}`);
  return out;
}

/** Adopting keeps tags set by others and adds (or overrides) the stack's; an update sets exactly the stack's. */
function wanted(live: LiveAsset, spec: DataContainerSpec, mode: "adopt" | "update"): Record<string, unknown> {
  const tags = mode === "adopt" ? { ...tagsOf(live.properties), ...(spec.tags ?? {}) } : { ...(spec.tags ?? {}) };
  return { ...writable(live.properties), ...(spec.description !== undefined ? { description: spec.description } : {}), tags, isArchived: false };
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export interface EnsureResult {
  id: string;
  /** True when the asset existed before this call and was taken over instead of created. */
  adopted: boolean;
}

async function ensure(client: ArmJsonClient, path: string, what: string, create: Record<string, unknown>, spec: DataContainerSpec, mode: "adopt" | "update", differences: (live: LiveAsset) => string[]): Promise<EnsureResult> {
  const live = await getAsset(client, path, what);
  if (live === undefined) {
    const created = await putAsset(client, path, create, what);
    return { id: created.id, adopted: false };
  }
  const diffs = differences(live);
  if (diffs.length > 0) throw new DataAssetConflictError(what, diffs);
  const body = wanted(live, spec, mode);
  // Nothing to change (same description and tags, not archived): adopted as is, no PUT at all.
  if (!sameRecord(writable(live.properties), body)) await putAsset(client, path, body, what);
  return { id: live.id, adopted: true };
}

export function describeVersion(spec: DataVersionSpec): string {
  return `data asset "${spec.name}" version "${spec.version}" in workspace "${spec.workspaceName}"`;
}

export function describeContainer(spec: DataContainerSpec): string {
  return `data asset "${spec.name}" in workspace "${spec.workspaceName}"`;
}

/**
 * Makes the version exist, current (not archived), with the spec's description and tags:
 * created when absent, adopted when it exists with the same type, data URI and content tag,
 * refused ({@link DataAssetConflictError}) otherwise. `mode` "adopt" (create) keeps tags others
 * set; "update" sets exactly the spec's.
 */
export async function ensureDataVersion(client: ArmJsonClient, spec: DataVersionSpec, mode: "adopt" | "update" = "adopt"): Promise<EnsureResult> {
  const create = { dataType: spec.dataType, dataUri: spec.dataUri, ...(spec.description !== undefined ? { description: spec.description } : {}), tags: spec.tags ?? {}, isAnonymous: false, isArchived: false };
  return ensure(client, dataVersionPath(spec, spec.name, spec.version), describeVersion(spec), create, spec, mode, (live) => versionDifferences(live, spec));
}

/** The same for the asset name (container); only its type is immutable. */
export async function ensureDataContainer(client: ArmJsonClient, spec: DataContainerSpec, mode: "adopt" | "update" = "adopt"): Promise<EnsureResult> {
  const create = { dataType: spec.dataType, ...(spec.description !== undefined ? { description: spec.description } : {}), tags: spec.tags ?? {}, isArchived: false };
  const differences = (live: LiveAsset) => (live.properties.dataType === spec.dataType ? [] : [`dataType is ${show(live.properties.dataType)} there, the stack declares ${show(spec.dataType)}`]);
  return ensure(client, dataContainerPath(spec, spec.name), describeContainer(spec), create, spec, mode, differences);
}

export type ArchiveOutcome = "archived" | "already archived" | "gone";

/** Archives a container or version (GET, PUT with isArchived: true). Never deletes; a 404 means it is gone already. */
export async function archiveAsset(client: ArmJsonClient, path: string, what: string): Promise<ArchiveOutcome> {
  const live = await getAsset(client, path, what);
  if (live === undefined) return "gone";
  if (live.properties.isArchived === true) return "already archived";
  await putAsset(client, path, { ...writable(live.properties), isArchived: true }, what);
  return "archived";
}

/** The live archive state, or undefined when the asset is gone (refresh). */
export async function readArchived(client: ArmJsonClient, path: string, what: string): Promise<boolean | undefined> {
  const live = await getAsset(client, path, what);
  return live === undefined ? undefined : live.properties.isArchived === true;
}
