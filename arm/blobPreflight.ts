/**
 * Can the deployer reach a storage account's blob endpoint? A preflight to run before any
 * resource changes (issue 10), so a stack whose network mode keeps the deploying machine out
 * fails with the reason instead of half-way through `pulumi up`.
 *
 * One Get Container Properties request (`GET <container>?restype=container`, Learn
 * rest/api/storageservices/get-container-properties), no retries, bounded in time, and the
 * answer sorted into what the operator must change:
 *  - 403 AuthorizationFailure (or AuthorizationSourceIPMismatch): the account's network rules,
 *    i.e. firewall IP rules, public network access disabled, private endpoints only
 *    (Learn "Troubleshoot 403 errors in Azure Blob Storage"; "Configure Azure Storage firewalls
 *    and virtual networks", storage/common/storage-network-security.md);
 *  - 403 AuthorizationPermissionMismatch: the network is fine, the identity lacks a data role
 *    (expected before the stack has granted it; the upload waits for it);
 *  - 401 / InvalidAuthenticationInfo / AuthenticationFailed: the token is wrong (tenant, audience);
 *  - ENOTFOUND / EAI_AGAIN: the name does not resolve (typo, or private DNS zone not linked);
 *  - refused, reset, unreachable or timed out: no route to the endpoint (private endpoint only,
 *    VPN down); a certificate error: a TLS-intercepting proxy whose CA is not trusted;
 *  - 200, or 404 ContainerNotFound: reachable and authorized (the container may not exist yet).
 */
import type { TokenCredential } from "@azure/identity";
import { blobServiceUrl, createContainerClient } from "./blobClient";
import { BLOB_WRITER_ROLE, readStorageFailure } from "./blobRetry";
import type { StorageFailure } from "./blobRetry";

export type BlobReachabilityKind = "reachable" | "networkRules" | "missingRole" | "authentication" | "nameNotResolved" | "unreachable" | "tls" | "other";

export interface BlobReachability {
  kind: BlobReachabilityKind;
  /** True when uploads can go ahead from this machine (possibly after a role assignment propagates). */
  networkOk: boolean;
  statusCode?: number;
  code?: string;
  /** What it means and what to do; names no secret. */
  message: string;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/i;

/** Sorts a probe's outcome (undefined: it succeeded) into a {@link BlobReachability}. Pure. */
export function classifyBlobProbe(endpoint: string, failure: StorageFailure | undefined): BlobReachability {
  const at = `the blob endpoint ${endpoint}`;
  if (failure === undefined) return { kind: "reachable", networkOk: true, message: `${at} is reachable and the identity may read it.` };
  const base = { ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}), ...(failure.code ? { code: failure.code } : {}) };
  const { statusCode: status, code } = failure;
  if (status === 404 && (code === "ContainerNotFound" || code === undefined)) {
    return { kind: "reachable", networkOk: true, ...base, message: `${at} is reachable and the identity is authorized; the container does not exist yet.` };
  }
  if (status === 403 && (code === "AuthorizationFailure" || code === "AuthorizationSourceIPMismatch")) {
    return {
      kind: "networkRules",
      networkOk: false,
      ...base,
      message:
        `${at} refused this machine (403 ${code}): the storage account's network rules (firewall, public network access disabled, private endpoints only) do not admit it. ` +
        "Run the deployment from inside the allowed network (a runner in the virtual network or behind the private endpoint), or add this machine's public IP to the account's firewall.",
    };
  }
  if (status === 403 && code === "AuthorizationPermissionMismatch") {
    return {
      kind: "missingRole",
      networkOk: true,
      ...base,
      message: `${at} is reachable, but the identity has no blob data role there yet (403 ${code}); uploads need "${BLOB_WRITER_ROLE}" (the stack grants it, and the upload waits for it to propagate).`,
    };
  }
  if (status === 401 || code === "InvalidAuthenticationInfo" || code === "AuthenticationFailed" || code === "NoAuthenticationInformation") {
    const what = [status, code].filter((x) => x !== undefined).join(" ");
    return { kind: "authentication", networkOk: true, ...base, message: `${at} did not accept the token (${what}): check the tenant and the Azure credentials.` };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return {
      kind: "nameNotResolved",
      networkOk: false,
      ...base,
      message: `The name of ${at} does not resolve (${code}): check the account name and cloud, and with private endpoints that this machine's DNS resolves privatelink.blob.* (a private DNS zone linked to its network).`,
    };
  }
  if (code !== undefined && TLS_CODES.test(code + " " + failure.message)) {
    return { kind: "tls", networkOk: false, ...base, message: `The TLS certificate of ${at} is not trusted (${code}): a TLS-intercepting proxy's CA must be trusted by Node (NODE_EXTRA_CA_CERTS).` };
  }
  if (status === undefined) {
    return {
      kind: "unreachable",
      networkOk: false,
      ...base,
      message: `No connection to ${at} (${code ?? failure.message}): the endpoint is not reachable from this machine (private endpoint only, VPN or proxy missing, or outbound traffic blocked).`,
    };
  }
  return { kind: "other", networkOk: false, ...base, message: `${at} answered HTTP ${status}${code ? ` (${code})` : ""}: ${failure.message}` };
}

export interface BlobProbeOptions {
  accountName: string;
  containerName: string;
  credential: TokenCredential;
  /** Blob DNS suffix (e.g. core.windows.net) or a full endpoint override (tests, custom DNS). */
  endpointSuffix?: string;
  endpoint?: string;
  trustedCaPem?: string;
  /** Give up after this long, in ms. Default 15 s. */
  timeoutMs?: number;
}

/** Sends the one probe request and classifies the outcome. Never throws for a network or HTTP failure. */
export async function probeBlobEndpoint(options: BlobProbeOptions): Promise<BlobReachability> {
  const service = blobServiceUrl(options);
  const client = createContainerClient(`${service}/${encodeURIComponent(options.containerName)}`, {
    credential: options.credential,
    maxTries: 1,
    ...(options.trustedCaPem !== undefined ? { trustedCaPem: options.trustedCaPem } : {}),
  });
  try {
    await client.getProperties({ abortSignal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    return classifyBlobProbe(service, undefined);
  } catch (err) {
    const failure = readStorageFailure(err, Date.now());
    if ((err as { name?: string }).name === "AbortError" || (err as { name?: string }).name === "TimeoutError") {
      return classifyBlobProbe(service, { message: `no answer within ${Math.round((options.timeoutMs ?? 15_000) / 1000)}s`, code: "ETIMEDOUT" });
    }
    return classifyBlobProbe(service, failure);
  }
}
