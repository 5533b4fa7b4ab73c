/**
 * `DataAsset` (an Azure ML data container: the asset name) and `DataAssetVersion` (one version
 * of it): Pulumi dynamic resources that register data assets without ever deleting one, over
 * ARM REST (mlDataAssets.ts has the Azure behaviour and its sources).
 *
 *  - create: GET; absent → PUT; present with the same type, data URI and content tag → adopted
 *    (un-archived when archived: it is current again); present with other immutable properties
 *    → refused, naming the asset, the version and what differs.
 *  - update (only description and tags, or a refresh that found it archived): PUT with the
 *    stack's description and tags and `isArchived: false`.
 *  - delete: archives it (GET, PUT with `isArchived: true`); a missing version or workspace
 *    (404) is already gone. There is no DELETE: the client cannot send one (armJson.ts). So these
 *    resources need no `retainOnDelete`: removing one from the stack (a new training file, a
 *    destroy) archives it, and AI Studio stops listing it as current.
 *  - diff: another ARM id or immutable property is a replacement, created before the old one is
 *    archived (never deleteBeforeReplace); unknowns (preview) count as changes.
 *  - read (refresh, import): the live archive state; gone → empty id.
 *
 * Why the container gets the same treatment: it is created once per asset name, but a stack
 * re-created against a surviving project, or a state restored from backup, meets it existing,
 * and azure-native would refuse to create it ("cannot create already existing resource"); and
 * a plain azure-native DataContainer cannot be deleted either. Archiving it on delete hides the
 * whole asset when it leaves the stack (Learn: archiving the container archives all versions).
 *
 * Written like ProviderRegistration and BlobUpload so Pulumi can serialize the providers into
 * the state: plain arrow functions over a small runtime; the credential and ARM endpoint come
 * from azure-native's settings (stack config via `configure`, else ARM_*) when a method runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { createArmJsonClient } from "./armJson";
import type { ArmJsonClient } from "./armJson";
import { configureFromStack, emptyAzureSettings } from "./azureSettings";
import type { AzureSettings } from "./azureSettings";
import { createCredential, planCredential } from "./credentials";
import { CONTAINER_REPLACE_ON, diffDataAsset, validateDataAssetInputs, validateDataAssetVersionInputs, VERSION_REPLACE_ON } from "./dataAssetInputs";
import type { DataAssetInputs, DataAssetOutputs, DataAssetVersionInputs, DataAssetVersionOutputs } from "./dataAssetInputs";
import { resolveArmCloud, resolveArmEndpoint } from "./environment";
import { archiveAsset, dataContainerPath, dataVersionPath, describeContainer, describeVersion, ensureDataContainer, ensureDataVersion, ML_DATA_API_VERSION, readArchived } from "./mlDataAssets";
import type { DataContainerSpec, DataVersionSpec } from "./mlDataAssets";

export type { DataAssetInputs, DataAssetOutputs, DataAssetVersionInputs, DataAssetVersionOutputs } from "./dataAssetInputs";

/** What the providers need from the outside world; swapped in tests to aim at a local server. */
export interface DataAssetRuntime {
  /** A GET/PUT-only ARM client; `settings` holds the azure-native stack config `configure` received. */
  client(endpoint: string | undefined, settings: AzureSettings, maxWaitMs: number): ArmJsonClient;
}

export const DEFAULT_DATA_ASSET_MAX_WAIT_SECONDS = 300;

/** The production runtime: azure-native's stack config, else the provider host's ARM_* environment, read at call time. */
export const environmentDataAssetRuntime: DataAssetRuntime = {
  client: (endpoint, settings, maxWaitMs) => {
    const env = process.env;
    const cloud = resolveArmCloud(env, settings.config);
    const credential = createCredential(planCredential(env, cloud.authorityHost, settings.config), env, settings.config);
    return createArmJsonClient({ endpoint: resolveArmEndpoint(cloud, endpoint), credential, apiVersion: ML_DATA_API_VERSION, maxWaitMs });
  },
};

function containerSpec(inputs: DataAssetInputs): DataContainerSpec {
  const p = inputs.properties;
  return {
    subscriptionId: inputs.subscriptionId,
    resourceGroupName: inputs.resourceGroupName,
    workspaceName: inputs.workspaceName,
    name: inputs.name,
    dataType: p.dataType,
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.tags !== undefined ? { tags: p.tags } : {}),
  };
}

function versionSpec(inputs: DataAssetVersionInputs): DataVersionSpec {
  return {
    ...containerSpec(inputs),
    version: inputs.version,
    dataUri: inputs.properties.dataUri,
    ...(inputs.identityTag !== undefined ? { identityTag: inputs.identityTag } : {}),
  };
}

/** Builds the `DataAsset` (container) provider over a runtime (the environment's by default). */
export function makeDataAssetProvider(runtime: DataAssetRuntime = environmentDataAssetRuntime): pulumi.dynamic.ResourceProvider<DataAssetInputs, DataAssetOutputs> {
  // Filled by `configure` in the provider host; empty (no secrets) when the closure is serialized.
  const settings: AzureSettings = emptyAzureSettings();
  const clientFor = (inputs: DataAssetInputs) => runtime.client(inputs.endpoint, settings, (inputs.maxWaitSeconds ?? DEFAULT_DATA_ASSET_MAX_WAIT_SECONDS) * 1000);
  return {
    configure: async (req) => configureFromStack(settings, req),
    check: async (_olds, news) => ({ inputs: news, failures: validateDataAssetInputs(news) }),
    create: async (inputs) => {
      const result = await ensureDataContainer(clientFor(inputs), containerSpec(inputs), "adopt");
      return { id: result.id, outs: { ...inputs, adopted: result.adopted, isArchived: false } };
    },
    update: async (_id, olds, news) => {
      await ensureDataContainer(clientFor(news), containerSpec(news), "update");
      return { outs: { ...news, adopted: olds.adopted, isArchived: false } };
    },
    diff: async (_id, olds, news) => diffDataAsset(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, CONTAINER_REPLACE_ON),
    read: async (id, props) => {
      if (props === undefined) throw new Error(`DataAsset ${id} cannot be imported on its own: declare it in the program; creating it adopts the existing asset.`);
      const archived = await readArchived(clientFor(props), dataContainerPath(props, props.name), describeContainer(containerSpec(props)));
      return archived === undefined ? { id: "", props } : { id, props: { ...props, isArchived: archived } };
    },
    // Archive, never DELETE (Azure ML refuses it; see the header).
    delete: async (_id, props) => {
      await archiveAsset(clientFor(props), dataContainerPath(props, props.name), describeContainer(containerSpec(props)));
    },
  };
}

/** Builds the `DataAssetVersion` provider over a runtime (the environment's by default). */
export function makeDataAssetVersionProvider(runtime: DataAssetRuntime = environmentDataAssetRuntime): pulumi.dynamic.ResourceProvider<DataAssetVersionInputs, DataAssetVersionOutputs> {
  const settings: AzureSettings = emptyAzureSettings();
  const clientFor = (inputs: DataAssetVersionInputs) => runtime.client(inputs.endpoint, settings, (inputs.maxWaitSeconds ?? DEFAULT_DATA_ASSET_MAX_WAIT_SECONDS) * 1000);
  const pathOf = (inputs: DataAssetVersionInputs) => dataVersionPath(inputs, inputs.name, inputs.version);
  return {
    configure: async (req) => configureFromStack(settings, req),
    check: async (_olds, news) => ({ inputs: news, failures: validateDataAssetVersionInputs(news) }),
    create: async (inputs) => {
      const result = await ensureDataVersion(clientFor(inputs), versionSpec(inputs), "adopt");
      return { id: result.id, outs: { ...inputs, adopted: result.adopted, isArchived: false } };
    },
    update: async (_id, olds, news) => {
      await ensureDataVersion(clientFor(news), versionSpec(news), "update");
      return { outs: { ...news, adopted: olds.adopted, isArchived: false } };
    },
    diff: async (_id, olds, news) => diffDataAsset(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, VERSION_REPLACE_ON),
    read: async (id, props) => {
      if (props === undefined) throw new Error(`DataAssetVersion ${id} cannot be imported on its own: declare it in the program; creating it adopts the existing version.`);
      const archived = await readArchived(clientFor(props), pathOf(props), describeVersion(versionSpec(props)));
      return archived === undefined ? { id: "", props } : { id, props: { ...props, isArchived: archived } };
    },
    // Archive, never DELETE: the version stays usable by the jobs that used it, hidden from lists.
    delete: async (_id, props) => {
      await archiveAsset(clientFor(props), pathOf(props), describeVersion(versionSpec(props)));
    },
  };
}

/** One provider object per type, so Pulumi serializes each once per program. */
const containerProvider = makeDataAssetProvider();
const versionProvider = makeDataAssetVersionProvider();

type InputProperties<T> = { [K in keyof T]: pulumi.Input<T[K]> };

interface CommonArgs {
  subscriptionId: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  /** The AI project (workspace). */
  workspaceName: pulumi.Input<string>;
  /** Asset name. */
  name: pulumi.Input<string>;
  /** ARM endpoint override (https); default: the cloud named by azure-native:environment / ARM_ENVIRONMENT. */
  endpoint?: pulumi.Input<string>;
  /** Bound on retrying one request (throttling, transient errors), in seconds. Default 300. */
  maxWaitSeconds?: pulumi.Input<number>;
}

export interface DataAssetArgs extends CommonArgs {
  properties: pulumi.Input<InputProperties<DataAssetInputs["properties"]>>;
}

export interface DataAssetVersionArgs extends CommonArgs {
  version: pulumi.Input<string>;
  properties: pulumi.Input<InputProperties<DataAssetVersionInputs["properties"]>>;
  /** A tag (e.g. `sha256`) that names the content; an existing version with another value is refused. */
  identityTag?: pulumi.Input<string>;
}

/** An Azure ML data asset name (container), adopted when it exists, archived instead of deleted. */
export class DataAsset extends pulumi.dynamic.Resource {
  // `declare`, not `!`: with ES2022 class fields, an initialised field would overwrite the outputs.
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly isArchived: pulumi.Output<boolean>;

  constructor(name: string, args: DataAssetArgs, opts?: pulumi.CustomResourceOptions) {
    super(containerProvider, name, { ...args, adopted: undefined, isArchived: undefined }, opts, "llama-finetune", "DataAsset");
  }
}

/** One version of an Azure ML data asset, adopted when it exists with the same data, archived instead of deleted. */
export class DataAssetVersion extends pulumi.dynamic.Resource {
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly isArchived: pulumi.Output<boolean>;

  constructor(name: string, args: DataAssetVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(versionProvider, name, { ...args, adopted: undefined, isArchived: undefined }, opts, "llama-finetune", "DataAssetVersion");
  }
}
