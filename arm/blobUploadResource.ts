/**
 * `BlobUpload`: a Pulumi dynamic resource that uploads a local file as a block blob with a
 * Microsoft Entra ID token, for storage accounts with shared key access disabled (which
 * azure-native's `storage.Blob` cannot write to; pulumi/pulumi-azure-native#2015).
 *
 * Written like `ProviderRegistration` (providerRegistrationResource.ts) so Pulumi can
 * serialize the provider into the state: plain arrow functions over a small runtime, the
 * credential built from the provider host's ARM_* environment only when a method runs
 * (never captured at program time), no module-level objects other than plain data.
 *
 * Lifecycle:
 *  - create: checks the file's SHA-256 against the `sha256` input, then uploads it;
 *  - diff: a different blob URL, content (sha256), content type or endpoint is a replacement
 *    (an upload); only `filePath` changing (same bytes elsewhere) is an in-place no-op update;
 *  - delete: deletes the blob only while it still has the ETag this resource wrote. When a
 *    replacement re-uploads to the same URL, Pulumi creates the new one before deleting the
 *    old, and the old one's conditional delete then finds a newer ETag (412) and leaves it;
 *  - read: returns the recorded inputs and outputs (nothing is fetched).
 */
import * as pulumi from "@pulumi/pulumi";
import { blobUrl, deleteBlob, sha256File, STORAGE_SCOPE, storageEndpointSuffix, uploadBlob } from "./blobUpload";
import { createCredential, planCredential } from "./credentials";
import { resolveArmCloud } from "./environment";

/** Inputs as the provider sees them (all resolved). */
export interface BlobUploadInputs {
  accountName: string;
  containerName: string;
  /** Blob name; `/` makes virtual directories. */
  blobName: string;
  /** Local path of the file to upload, read when the provider runs. */
  filePath: string;
  /** Lower-case hex SHA-256 of the file; a new value re-uploads. Checked against the file before upload. */
  sha256: string;
  contentType: string;
  /** Blob DNS suffix; absent means the cloud named by ARM_ENVIRONMENT (core.windows.net for public). */
  endpointSuffix?: string;
  /** Blob service endpoint override (https), e.g. a test server; replaces `https://<account>.blob.<suffix>`. */
  endpoint?: string;
  /** PEM certificates to trust for the endpoint (a test server or a TLS-intercepting proxy). */
  trustedCaPem?: string;
  /** Bound on retrying (403 while a role assignment propagates, throttling), in seconds. */
  maxWaitSeconds?: number;
}

export interface BlobUploadOutputs extends BlobUploadInputs {
  url: string;
  etag?: string;
  sizeBytes: number;
}

/** What the provider needs from the outside world; swapped in tests. */
export interface BlobUploadRuntime {
  /** Returns a token getter for the Storage scope (one credential per operation, so its token cache is reused across retries). */
  tokenGetter(): () => Promise<string>;
  /** The cloud's blob DNS suffix, used when `endpointSuffix` is not given. */
  defaultEndpointSuffix(): string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The production runtime: ARM_* environment of the provider-host process, read at call time. */
export const environmentBlobRuntime: BlobUploadRuntime = {
  tokenGetter: () => {
    const env = process.env;
    const cloud = resolveArmCloud(env);
    const credential = createCredential(planCredential(env, cloud.authorityHost), env);
    return async () => {
      const token = await credential.getToken(STORAGE_SCOPE);
      if (token === null) throw new Error(`Could not get a Microsoft Entra ID token for ${STORAGE_SCOPE}; check the ARM_* credentials (or \`az login\`).`);
      return token.token;
    };
  },
  defaultEndpointSuffix: () => storageEndpointSuffix(resolveArmCloud(process.env).name),
};

/** Input problems, as Pulumi `check` failures (shown at preview, before any upload). */
export function validateBlobUploadInputs(inputs: Partial<BlobUploadInputs>): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const str = (v: unknown): v is string => typeof v === "string";
  if (!str(inputs.accountName) || !/^[a-z0-9]{3,24}$/.test(inputs.accountName)) {
    failures.push({ property: "accountName", reason: `"${String(inputs.accountName)}" is not a storage account name (3-24 lower-case letters and digits)` });
  }
  if (!str(inputs.containerName) || !(/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(inputs.containerName) || inputs.containerName === "$root")) {
    failures.push({ property: "containerName", reason: `"${String(inputs.containerName)}" is not a container name (3-63 lower-case letters, digits and single hyphens)` });
  }
  if (!str(inputs.blobName) || inputs.blobName === "" || inputs.blobName.length > 1024 || inputs.blobName.endsWith("/") || inputs.blobName.endsWith(".")) {
    failures.push({ property: "blobName", reason: `"${String(inputs.blobName)}" is not a blob name (1-1024 characters, not ending in / or .)` });
  }
  if (!str(inputs.filePath) || inputs.filePath === "") failures.push({ property: "filePath", reason: "must be the path of a local file" });
  if (!str(inputs.sha256) || !/^[0-9a-f]{64}$/.test(inputs.sha256)) {
    failures.push({ property: "sha256", reason: `"${String(inputs.sha256)}" is not a lower-case hex SHA-256 (64 characters)` });
  }
  if (!str(inputs.contentType) || inputs.contentType === "" || !/^[\x20-\x7e]*$/.test(inputs.contentType)) {
    failures.push({ property: "contentType", reason: `"${String(inputs.contentType)}" is not a MIME type` });
  }
  if (inputs.endpoint !== undefined && (!str(inputs.endpoint) || !/^https:\/\/[^/]+\/?$/.test(inputs.endpoint))) {
    failures.push({ property: "endpoint", reason: `"${String(inputs.endpoint)}" must be an https blob service endpoint like https://<account>.blob.core.windows.net` });
  }
  if (inputs.maxWaitSeconds !== undefined && (typeof inputs.maxWaitSeconds !== "number" || !Number.isFinite(inputs.maxWaitSeconds) || inputs.maxWaitSeconds <= 0)) {
    failures.push({ property: "maxWaitSeconds", reason: `must be a positive number of seconds, got ${String(inputs.maxWaitSeconds)}` });
  }
  return failures;
}

/** Builds the dynamic provider over a runtime (the environment's by default). */
export function makeBlobUploadProvider(runtime: BlobUploadRuntime = environmentBlobRuntime): pulumi.dynamic.ResourceProvider<BlobUploadInputs, BlobUploadOutputs> {
  const urlOf = (inputs: BlobUploadInputs) =>
    blobUrl({
      accountName: inputs.accountName,
      containerName: inputs.containerName,
      blobName: inputs.blobName,
      endpointSuffix: inputs.endpointSuffix ?? runtime.defaultEndpointSuffix(),
      ...(inputs.endpoint !== undefined ? { endpoint: inputs.endpoint } : {}),
    });
  const requestOptions = (inputs: BlobUploadInputs, url: string) => ({
    url,
    token: runtime.tokenGetter(),
    ...(inputs.trustedCaPem !== undefined ? { trustedCaPem: inputs.trustedCaPem } : {}),
    ...(inputs.maxWaitSeconds !== undefined ? { maxWaitMs: inputs.maxWaitSeconds * 1000 } : {}),
    ...(runtime.sleep ? { sleep: runtime.sleep } : {}),
    ...(runtime.now ? { now: runtime.now } : {}),
  });
  const upload = async (inputs: BlobUploadInputs): Promise<BlobUploadOutputs> => {
    const actual = await sha256File(inputs.filePath);
    if (actual !== inputs.sha256) {
      throw new Error(`${inputs.filePath} has SHA-256 ${actual}, but the BlobUpload's sha256 input is ${inputs.sha256}: the file changed since the hash was computed. Recompute it (or fix filePath) and run again.`);
    }
    const url = urlOf(inputs);
    const result = await uploadBlob({ ...requestOptions(inputs, url), filePath: inputs.filePath, contentType: inputs.contentType, metadata: { sha256: inputs.sha256 } });
    if (result.sha256 !== inputs.sha256) {
      throw new Error(`${inputs.filePath} changed while it was being uploaded to ${url} (sent SHA-256 ${result.sha256}, expected ${inputs.sha256}); run again once it is no longer being written.`);
    }
    return { ...inputs, url, sizeBytes: result.sizeBytes, ...(result.etag !== undefined ? { etag: result.etag } : {}) };
  };
  return {
    check: async (_olds, news) => ({ inputs: news, failures: validateBlobUploadInputs(news) }),

    create: async (inputs) => {
      const outs = await upload(inputs);
      return { id: outs.url, outs };
    },

    read: async (id, props) => ({ id, props }),

    diff: async (_id, olds, news) => {
      const replaces: string[] = [];
      // Where the blob is: each input that locates it, plus the URL itself (it also moves when
      // ARM_ENVIRONMENT selects another cloud while endpointSuffix is unset).
      for (const key of ["accountName", "containerName", "blobName", "endpointSuffix", "endpoint"] as const) {
        if ((olds[key] ?? "") !== (news[key] ?? "")) replaces.push(key);
      }
      if (replaces.length === 0 && olds.url !== urlOf(news)) replaces.push("url");
      if (olds.sha256 !== news.sha256) replaces.push("sha256");
      if (olds.contentType !== news.contentType) replaces.push("contentType");
      const changes = replaces.length > 0 || olds.filePath !== news.filePath || olds.maxWaitSeconds !== news.maxWaitSeconds || olds.trustedCaPem !== news.trustedCaPem;
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
  /** Local file to upload (at most 5000 MiB). */
  filePath: pulumi.Input<string>;
  /** Lower-case hex SHA-256 of the file; changing it re-uploads. Verified before uploading. */
  sha256: pulumi.Input<string>;
  /** Default `application/octet-stream`. */
  contentType?: pulumi.Input<string>;
  /** Blob DNS suffix, e.g. `core.windows.net`; default: the cloud named by ARM_ENVIRONMENT. */
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
