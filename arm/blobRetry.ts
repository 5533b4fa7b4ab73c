/**
 * What a failed Blob service request means, and the outer retry loop around whole operations.
 *
 * Two layers of retrying, each for what it knows:
 *  - storage-blob's own policy retries a single request on 500/503 and dropped connections
 *    (storage-common StorageRetryPolicyV2: exponential back-off, it does not read Retry-After);
 *  - this loop retries the whole operation on what outlasts that: 403
 *    AuthorizationPermissionMismatch while a new role assignment propagates (Azure RBAC changes
 *    can take up to 10 minutes: Learn "Troubleshoot Azure RBAC", role-based-access-control/
 *    troubleshooting.md), throttling (429/503 ServerBusy, honouring Retry-After) and network
 *    failures, with an injectable sleep and clock so every wait counts against one deadline and
 *    tests need no real waiting.
 * Storage's error codes: Learn "Blob Storage error codes" (rest/api/storageservices/blob-service-error-codes)
 * and "Common REST API error codes"; 403 AuthorizationFailure is what the account's network rules
 * (firewall, public network access off) answer, AuthorizationPermissionMismatch a missing data
 * role (Learn "Troubleshoot 403 errors in Azure Blob Storage").
 */
import { isRestError } from "@azure/storage-blob";
import { describeBlobUrl } from "./blobClient";
import { parseRetryAfterMs } from "./errors";

/** The data-plane role the deploying identity needs to write and delete blobs. */
export const BLOB_WRITER_ROLE = "Storage Blob Data Contributor";
/** Default bound on all retrying for one operation: role assignments can take ~10 minutes to propagate. */
export const DEFAULT_BLOB_MAX_WAIT_MS = 10 * 60 * 1000;

/** A Storage request that failed for good; `errorCode` is Storage's `x-ms-error-code` (or a network error code). */
export class BlobRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly errorCode: string | undefined,
  ) {
    super(message);
    this.name = "BlobRequestError";
  }
}

export type BlobOperation = "upload" | "delete" | "read";

/** The identity has no data-plane permission on the blob, still after the bounded wait. */
export class BlobPermissionError extends BlobRequestError {
  constructor(url: string, operation: BlobOperation, waitedMs: number, detail: string) {
    const { accountName, containerName, blobName } = describeBlobUrl(url);
    super(
      `Not allowed to ${operation} blob "${blobName}" in container "${containerName}" of storage account "${accountName}": ` +
        `Storage answered 403 AuthorizationPermissionMismatch${waitedMs > 0 ? `, still after ${Math.round(waitedMs / 1000)}s of retrying` : ""}. ` +
        `The account accepts only Microsoft Entra ID (shared key access is disabled), so the identity running \`pulumi up\` needs the ` +
        `"${BLOB_WRITER_ROLE}" role on the storage account or on the container "${containerName}" ` +
        `(Owner and Contributor are control-plane roles and do not grant blob data access). Grant it with ` +
        `\`az role assignment create --assignee <object-id-or-upn-of-that-identity> --role "${BLOB_WRITER_ROLE}" ` +
        `--scope "$(az storage account show --name ${accountName} --query id --output tsv)/blobServices/default/containers/${containerName}"\` ` +
        `(drop the /blobServices/... suffix to grant it on the whole account), wait a few minutes for it to propagate, and run \`pulumi up\` again. ` +
        `Storage said: ${detail}`,
      403,
      "AuthorizationPermissionMismatch",
    );
    this.name = "BlobPermissionError";
  }
}

/** A failure read from whatever storage-blob (or Node) threw. */
export interface StorageFailure {
  statusCode?: number;
  code?: string;
  message: string;
  retryAfterMs?: number;
}

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH", "REQUEST_SEND_ERROR"]);

export function readStorageFailure(err: unknown, nowMs: number): StorageFailure {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!.trim() || "no message";
  if (!isRestError(err)) {
    const code = (err as { code?: unknown } | null)?.code;
    return { message, ...(typeof code === "string" ? { code } : {}) };
  }
  const headers = err.response?.headers;
  const headerCode = headers?.get("x-ms-error-code");
  const code = headerCode ?? err.code;
  const retryAfterMs = headers === undefined ? undefined : parseRetryAfterMs({ get: (n) => headers.get(n) }, nowMs);
  return { message, ...(err.statusCode !== undefined ? { statusCode: err.statusCode } : {}), ...(code ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

function hint(f: StorageFailure): string {
  if (f.statusCode === 401 || f.code === "InvalidAuthenticationInfo" || f.code === "AuthenticationFailed") {
    return " Check the Azure credentials (azure-native:* config or ARM_* variables, or `az login`) and that the tenant is the storage account's.";
  }
  if (f.statusCode === 403 && (f.code === "AuthorizationFailure" || f.code === "AuthorizationSourceIPMismatch")) {
    return " The storage account's network rules (firewall, public network access disabled or private endpoints only) do not admit the machine running `pulumi up`.";
  }
  if (f.code === "ContainerNotFound") return " Create the container first (make the BlobUpload depend on it).";
  if (f.code === "Md5Mismatch" || f.code === "Crc64Mismatch") return " The bytes were damaged in transit; run again.";
  if (f.code === "ENOTFOUND" || f.code === "EAI_AGAIN") return " The blob endpoint's name does not resolve: check the account name and, with private endpoints, the private DNS zone.";
  return "";
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export interface RetryOptions {
  /** Bound on all retrying, in ms. Default {@link DEFAULT_BLOB_MAX_WAIT_MS}. */
  maxWaitMs?: number;
  /** First back-off step; doubles up to {@link maxDelayMs}. Default 5 s. */
  initialDelayMs?: number;
  /** Cap on one back-off step (a longer Retry-After is still honoured). Default 30 s. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Runs `attempt` until it succeeds or fails for good, waiting between retryable failures.
 * `accept` may turn a failure into a result (e.g. 404 on delete: already gone).
 */
export async function withBlobRetries<T>(
  url: string,
  operation: BlobOperation,
  options: RetryOptions,
  attempt: () => Promise<T>,
  accept?: (f: StorageFailure) => T | undefined,
): Promise<{ value: T; attempts: number }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_BLOB_MAX_WAIT_MS;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let delay = options.initialDelayMs ?? 5_000;
  const start = now();
  for (let attempts = 1; ; attempts++) {
    let failure: StorageFailure;
    try {
      return { value: await attempt(), attempts };
    } catch (err) {
      if (err instanceof BlobRequestError) throw err;
      failure = readStorageFailure(err, now());
    }
    const accepted = accept?.(failure);
    if (accepted !== undefined) return { value: accepted, attempts };
    const permission = failure.statusCode === 403 && failure.code === "AuthorizationPermissionMismatch";
    const retryable = permission || (failure.statusCode !== undefined && RETRYABLE_STATUSES.has(failure.statusCode)) || (failure.statusCode === undefined && NETWORK_CODES.has(failure.code ?? ""));
    const what = `${failure.statusCode !== undefined ? `HTTP ${failure.statusCode}` : "no answer"}${failure.code ? ` (${failure.code})` : ""}: ${failure.message}`;
    const verb = { upload: "Uploading", delete: "Deleting", read: "Reading" }[operation];
    if (!retryable) throw new BlobRequestError(`${verb} ${url} failed with ${what}.${hint(failure)}`, failure.statusCode, failure.code);
    const waited = now() - start;
    const remaining = maxWaitMs - waited;
    if (remaining <= 0 || (failure.retryAfterMs !== undefined && failure.retryAfterMs > remaining)) {
      if (permission) throw new BlobPermissionError(url, operation, waited, failure.message);
      const asked = failure.retryAfterMs !== undefined && failure.retryAfterMs > remaining ? ` (Storage asked to wait ${Math.round(failure.retryAfterMs / 1000)}s more)` : "";
      throw new BlobRequestError(
        `Gave up ${verb.toLowerCase()} ${url} after ${attempts} attempt(s) in ${Math.round(waited / 1000)}s${asked}: ${what}.${hint(failure)} Run \`pulumi up\` again later.`,
        failure.statusCode,
        failure.code,
      );
    }
    await sleep(failure.retryAfterMs ?? Math.min(delay, remaining));
    if (failure.retryAfterMs === undefined) delay = Math.min(delay * 2, maxDelayMs);
  }
}
