/**
 * BlobUpload's inputs and outputs as its dynamic provider sees them, and their validation (the
 * provider's `check`). Kept apart from the provider so it can be read and tested on its own.
 *
 * During preview an input may be Pulumi's unknown sentinel (unknowns.ts): e.g. the storage
 * account name of a stack that does not exist yet. Such a value is not judged here; it is judged
 * when it is known, at `up`. Rules: Learn "Naming and referencing containers, blobs, and metadata"
 * (rest/api/storageservices) and "Storage account name" (azure-resource-manager/management/resource-name-rules).
 */
import { isUnknown } from "./unknowns";

export interface BlobUploadInputs {
  accountName: string;
  containerName: string;
  /** Blob name; `/` makes virtual directories. */
  blobName: string;
  /** Local path of the file to upload, read when the provider runs. */
  filePath: string;
  /** Lower-case hex SHA-256 of the file; a new value re-uploads. Checked against the bytes before they become the blob. */
  sha256: string;
  contentType: string;
  /** Blob DNS suffix; absent means the configured cloud's (core.windows.net for public). */
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

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Input problems, as Pulumi `check` failures (shown at preview, before any upload). Unknown values pass. */
export function validateBlobUploadInputs(inputs: Partial<BlobUploadInputs>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const str = (v: unknown): v is string => typeof v === "string";
  const add = (property: keyof BlobUploadInputs, bad: boolean, reason: string) => {
    if (!isUnknown(inputs[property]) && bad) failures.push({ property, reason });
  };
  const a = inputs.accountName;
  add("accountName", !str(a) || !/^[a-z0-9]{3,24}$/.test(a), `"${String(a)}" is not a storage account name (3-24 lower-case letters and digits)`);
  const c = inputs.containerName;
  add(
    "containerName",
    !str(c) || !(/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(c) || c === "$root"),
    `"${String(c)}" is not a container name (3-63 lower-case letters, digits and single hyphens)`,
  );
  const b = inputs.blobName;
  add("blobName", !str(b) || b === "" || b.length > 1024 || b.endsWith("/") || b.endsWith("."), `"${String(b)}" is not a blob name (1-1024 characters, not ending in / or .)`);
  add("filePath", !str(inputs.filePath) || inputs.filePath === "", "must be the path of a local file");
  add("sha256", !str(inputs.sha256) || !/^[0-9a-f]{64}$/.test(inputs.sha256), `"${String(inputs.sha256)}" is not a lower-case hex SHA-256 (64 characters)`);
  const t = inputs.contentType;
  add("contentType", !str(t) || t === "" || !/^[\x20-\x7e]*$/.test(t), `"${String(t)}" is not a MIME type`);
  if (inputs.endpoint !== undefined) {
    add("endpoint", !str(inputs.endpoint) || !/^https:\/\/[^/]+\/?$/.test(inputs.endpoint), `"${String(inputs.endpoint)}" must be an https blob service endpoint like https://<account>.blob.core.windows.net`);
  }
  const w = inputs.maxWaitSeconds;
  if (w !== undefined) add("maxWaitSeconds", typeof w !== "number" || !Number.isFinite(w) || w <= 0, `must be a positive number of seconds, got ${String(w)}`);
  return failures;
}
