/**
 * `BlobUpload`: a Pulumi dynamic resource that uploads a local file as a block blob with a
 * Microsoft Entra ID token (through @azure/storage-blob, blobUpload.ts), for storage accounts
 * with shared key access disabled (which azure-native's `storage.Blob` cannot write to;
 * pulumi/pulumi-azure-native#2015).
 *
 * Written like `ProviderRegistration` (providerRegistrationResource.ts) so Pulumi can serialize
 * the provider into the state: plain arrow functions over a small runtime, the credential built
 * only when a method runs (never captured at program time), from the same settings azure-native
 * uses (stack config `azure-native:*` via `configure`, else ARM_*; see azureSettings.ts).
 *
 * Lifecycle:
 *  - check/diff: accept unknown inputs during preview (unknowns.ts);
 *  - create: checks the file's SHA-256 against the `sha256` input, then uploads it; the hash of
 *    the bytes actually sent is checked again before they become the blob;
 *  - diff: a different blob URL, content (sha256), content type or endpoint is a replacement
 *    (an upload); only `filePath` changing (same bytes elsewhere) is an in-place no-op update;
 *  - delete: deletes the blob only while it still has the ETag this resource wrote. When a
 *    replacement re-uploads to the same URL, Pulumi creates the new one before deleting the
 *    old, and the old one's conditional delete then finds a newer ETag (412) and leaves it;
 *  - read (refresh): Get Blob Properties; a blob that is gone is reported gone (empty id).
 */
import * as pulumi from "@pulumi/pulumi";
import type { TokenCredential } from "@azure/identity";
import { configureFromStack, emptyAzureSettings } from "./azureSettings";
import type { AzureSettings } from "./azureSettings";
import { blobUrl, storageEndpointSuffix } from "./blobClient";
import { deleteBlob, getBlobProperties, sha256File, uploadBlob } from "./blobUpload";
import { validateBlobUploadInputs } from "./blobUploadInputs";
import type { BlobUploadInputs, BlobUploadOutputs } from "./blobUploadInputs";
import { createCredential, planCredential } from "./credentials";
import { resolveArmCloud } from "./environment";
import { isUnknown } from "./unknowns";

export type { BlobUploadInputs, BlobUploadOutputs } from "./blobUploadInputs";
export { validateBlobUploadInputs } from "./blobUploadInputs";

/** What the provider needs from the outside world; swapped in tests. `settings` holds the stack config `configure` received. */
export interface BlobUploadRuntime {
  /** The Entra ID credential for Storage (one per operation, so its token cache serves the retries). */
  credential(settings: AzureSettings): TokenCredential;
  /** The cloud's blob DNS suffix, used when `endpointSuffix` is not given. */
  defaultEndpointSuffix(settings: AzureSettings): string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** storage-blob's per-request retry base, in ms (tests make it tiny). */
  retryDelayMs?: number;
  blockSize?: number;
}

/** The production runtime: azure-native's stack config, else the provider host's ARM_* environment, read at call time. */
export const environmentBlobRuntime: BlobUploadRuntime = {
  credential: (settings) => {
    const env = process.env;
    const cloud = resolveArmCloud(env, settings.config);
    return createCredential(planCredential(env, cloud.authorityHost, settings.config), env, settings.config);
  },
  defaultEndpointSuffix: (settings) => storageEndpointSuffix(resolveArmCloud(process.env, settings.config).name),
};

/** Builds the dynamic provider over a runtime (the environment's by default). */
export function makeBlobUploadProvider(runtime: BlobUploadRuntime = environmentBlobRuntime): pulumi.dynamic.ResourceProvider<BlobUploadInputs, BlobUploadOutputs> {
  // Filled by `configure` in the provider host; empty (no secrets) when the closure is serialized.
  const settings: AzureSettings = emptyAzureSettings();
  const urlOf = (inputs: BlobUploadInputs) =>
    blobUrl({
      accountName: inputs.accountName,
      containerName: inputs.containerName,
      blobName: inputs.blobName,
      endpointSuffix: inputs.endpointSuffix ?? runtime.defaultEndpointSuffix(settings),
      ...(inputs.endpoint !== undefined ? { endpoint: inputs.endpoint } : {}),
    });
  const requestOptions = (inputs: BlobUploadInputs, url: string) => ({
    url,
    credential: runtime.credential(settings),
    ...(inputs.trustedCaPem !== undefined ? { trustedCaPem: inputs.trustedCaPem } : {}),
    ...(inputs.maxWaitSeconds !== undefined ? { maxWaitMs: inputs.maxWaitSeconds * 1000 } : {}),
    ...(runtime.sleep ? { sleep: runtime.sleep } : {}),
    ...(runtime.now ? { now: runtime.now } : {}),
    ...(runtime.retryDelayMs !== undefined ? { retryDelayMs: runtime.retryDelayMs } : {}),
  });
  const upload = async (inputs: BlobUploadInputs): Promise<BlobUploadOutputs> => {
    const actual = await sha256File(inputs.filePath);
    if (actual !== inputs.sha256) {
      throw new Error(`${inputs.filePath} has SHA-256 ${actual}, but the BlobUpload's sha256 input is ${inputs.sha256}: the file changed since the hash was computed. Recompute it (or fix filePath) and run again.`);
    }
    const url = urlOf(inputs);
    const result = await uploadBlob({
      ...requestOptions(inputs, url),
      filePath: inputs.filePath,
      contentType: inputs.contentType,
      metadata: { sha256: inputs.sha256 },
      expectedSha256: inputs.sha256,
      ...(runtime.blockSize !== undefined ? { blockSize: runtime.blockSize } : {}),
    });
    return { ...inputs, url, sizeBytes: result.sizeBytes, ...(result.etag !== undefined ? { etag: result.etag } : {}) };
  };
  return {
    configure: async (req) => configureFromStack(settings, req),

    check: async (_olds, news) => ({ inputs: news, failures: validateBlobUploadInputs(news) }),

    create: async (inputs) => {
      const outs = await upload(inputs);
      return { id: outs.url, outs };
    },

    read: async (id, props) => {
      if (props === undefined) {
        throw new Error(`BlobUpload ${id} cannot be imported: its inputs (local file and SHA-256) are not stored in Azure. Declare it in the program instead; the next \`pulumi up\` uploads it.`);
      }
      const live = await getBlobProperties(requestOptions(props, props.url));
      // Gone (deleted outside Pulumi): an empty id tells the engine so, and the next `up` uploads it again.
      return live === undefined ? { id: "", props } : { id, props };
    },

    diff: async (_id, olds, news) => {
      const replaces: string[] = [];
      // Where the blob is: each input that locates it, plus the URL itself (it also moves when the
      // configured cloud changes while endpointSuffix is unset). An unknown value (preview) may
      // differ, so it counts as a change of what it is.
      const differs = (key: keyof BlobUploadInputs) => isUnknown(news[key]) || (olds[key] ?? "") !== (news[key] ?? "");
      for (const key of ["accountName", "containerName", "blobName", "endpointSuffix", "endpoint"] as const) {
        if (differs(key)) replaces.push(key);
      }
      if (replaces.length === 0 && olds.url !== urlOf(news)) replaces.push("url");
      if (differs("sha256")) replaces.push("sha256");
      if (differs("contentType")) replaces.push("contentType");
      const changes = replaces.length > 0 || differs("filePath") || differs("maxWaitSeconds") || differs("trustedCaPem");
      return { changes, replaces, deleteBeforeReplace: false };
    },

    // Only settings that do not touch the blob reach here (see diff): record them, upload nothing.
    update: async (_id, olds, news) => ({ outs: { ...news, url: olds.url, sizeBytes: olds.sizeBytes, ...(olds.etag !== undefined ? { etag: olds.etag } : {}) } }),

    delete: async (_id, props) => {
      await deleteBlob({ ...requestOptions(props, props.url), ...(props.etag !== undefined ? { ifMatch: props.etag } : {}) });
    },
  };
}

/** One provider object for every upload, so Pulumi serializes it once per program. */
const defaultProvider = makeBlobUploadProvider();

export interface BlobUploadArgs {
  /** Storage account name (the account may have shared key access disabled). */
  accountName: pulumi.Input<string>;
  containerName: pulumi.Input<string>;
  /** Blob name; `/` makes virtual directories. */
  blobName: pulumi.Input<string>;
  /** Local file to upload (up to 50,000 blocks of 8 MiB). */
  filePath: pulumi.Input<string>;
  /** Lower-case hex SHA-256 of the file; changing it re-uploads. Verified before uploading. */
  sha256: pulumi.Input<string>;
  /** Default `application/octet-stream`. */
  contentType?: pulumi.Input<string>;
  /** Blob DNS suffix, e.g. `core.windows.net`; default: the configured cloud's (azure-native:environment / ARM_ENVIRONMENT). */
  endpointSuffix?: pulumi.Input<string>;
  /** Bound on retrying (403 while a new role assignment propagates, throttling), in seconds. Default 600. */
  maxWaitSeconds?: pulumi.Input<number>;
  /** For tests only: blob service endpoint override (https). */
  endpoint?: pulumi.Input<string>;
  /** For tests (or a TLS-intercepting proxy) only: PEM certificates to trust. */
  trustedCaPem?: pulumi.Input<string>;
}

/**
 * A local file uploaded as a block blob with the deploying identity's Entra ID token. That
 * identity needs "Storage Blob Data Contributor" on the account or container; a fresh role
 * assignment is waited for (up to `maxWaitSeconds`).
 */
export class BlobUpload extends pulumi.dynamic.Resource {
  // `declare`, not `!`: with ES2022 class fields, an initialised field would overwrite the outputs.
  declare readonly url: pulumi.Output<string>;
  declare readonly etag: pulumi.Output<string | undefined>;
  declare readonly sizeBytes: pulumi.Output<number>;

  constructor(name: string, args: BlobUploadArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      defaultProvider,
      name,
      {
        accountName: args.accountName,
        containerName: args.containerName,
        blobName: args.blobName,
        filePath: args.filePath,
        sha256: args.sha256,
        contentType: args.contentType ?? "application/octet-stream",
        endpointSuffix: args.endpointSuffix,
        maxWaitSeconds: args.maxWaitSeconds,
        endpoint: args.endpoint,
        trustedCaPem: args.trustedCaPem,
        url: undefined,
        etag: undefined,
        sizeBytes: undefined,
      },
      opts,
      "llama-finetune",
      "BlobUpload",
    );
  }
}
