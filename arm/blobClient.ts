/**
 * Blob service addresses and the `@azure/storage-blob` clients this project uses, configured once:
 *  - Microsoft Entra ID (a TokenCredential) only, with storage-blob's default scope
 *    https://storage.azure.com/.default: the stack's storage account has shared key access off,
 *    which azure-native's `storage.Blob` cannot write to (pulumi/pulumi-azure-native#2015);
 *  - storage-blob's own retry policy for transient failures of single requests (500/503 and
 *    dropped connections, exponential back-off), so one failed block is retried alone;
 *  - optional extra trusted CA certificates (PEM) for a TLS-intercepting proxy or a test server,
 *    through core-rest-pipeline's `tlsOptions`, which storage-blob's pipeline passes on to
 *    `createClientPipeline` (storage-blob dist/commonjs/Pipeline.js `getCoreClientOptions`).
 *    TLS verification itself is never turned off.
 */
import { BlockBlobClient, ContainerClient, newPipeline } from "@azure/storage-blob";
import type { StoragePipelineOptions } from "@azure/storage-blob";
import type { TokenCredential } from "@azure/identity";

/** Blob service DNS suffix per cloud (`<account>.blob.<suffix>`), keyed like `ArmCloud["name"]`. */
export function storageEndpointSuffix(cloudName: "public" | "usgovernment" | "china"): string {
  switch (cloudName) {
    case "public":
      return "core.windows.net";
    case "usgovernment":
      return "core.usgovcloudapi.net";
    case "china":
      return "core.chinacloudapi.cn";
  }
}

/** `https://<account>.blob.<suffix>`, or the given endpoint (tests, private endpoints with custom DNS) without trailing slashes. */
export function blobServiceUrl(parts: { accountName: string; endpointSuffix?: string; endpoint?: string }): string {
  return parts.endpoint !== undefined && parts.endpoint !== ""
    ? parts.endpoint.replace(/\/+$/, "")
    : `https://${parts.accountName}.blob.${(parts.endpointSuffix ?? "core.windows.net").replace(/^\.+/, "")}`;
}

/**
 * `https://<account>.blob.<suffix>/<container>/<blob>`, or `<endpoint>/<container>/<blob>`. Each
 * `/`-separated segment of the blob name is percent-encoded; `/` stays a virtual directory separator.
 */
export function blobUrl(parts: { accountName: string; containerName: string; blobName: string; endpointSuffix?: string; endpoint?: string }): string {
  const blob = parts.blobName.split("/").map(encodeURIComponent).join("/");
  return `${blobServiceUrl(parts)}/${encodeURIComponent(parts.containerName)}/${blob}`;
}

/** Where a blob lives, read back from its URL (for messages and role-assignment scopes). */
export function describeBlobUrl(url: string): { accountName: string; containerName: string; blobName: string } {
  const u = new URL(url);
  const [container = "", ...rest] = u.pathname.replace(/^\/+/, "").split("/");
  return { accountName: u.hostname.split(".")[0] ?? u.hostname, containerName: decodeURIComponent(container), blobName: rest.map(decodeURIComponent).join("/") };
}

export interface BlobClientOptions {
  credential: TokenCredential;
  /** PEM certificates to trust instead of the system's CAs (TLS `ca`): a test server or a TLS-intercepting proxy. */
  trustedCaPem?: string;
  /** Tries per request, including the first (storage-blob's `maxTries`). Default 4. */
  maxTries?: number;
  /** Base of storage-blob's exponential back-off between tries, in ms. Default 4000 (storage-blob's default). */
  retryDelayMs?: number;
  /** Abort one try after this long, in ms (sent to the service as `timeout`). Default: the service's. */
  tryTimeoutMs?: number;
}

/** storage-blob's pipeline options plus core-rest-pipeline's `tlsOptions`, which its pipeline passes through. */
type PipelineOptionsWithTls = StoragePipelineOptions & { tlsOptions?: { ca?: string } };

function pipeline(options: BlobClientOptions) {
  const pipelineOptions: PipelineOptionsWithTls = {
    retryOptions: {
      maxTries: options.maxTries ?? 4,
      retryDelayInMs: options.retryDelayMs ?? 4000,
      maxRetryDelayInMs: 120_000,
      ...(options.tryTimeoutMs !== undefined ? { tryTimeoutInMs: options.tryTimeoutMs } : {}),
    },
    userAgentOptions: { userAgentPrefix: "llama-finetune-env" },
    ...(options.trustedCaPem !== undefined ? { tlsOptions: { ca: options.trustedCaPem } } : {}),
  };
  return newPipeline(options.credential, pipelineOptions);
}

function httpsUrl(url: string, what: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${what} "${url}" is not a URL; expected https://<account>.blob.core.windows.net/...`);
  }
  if (u.protocol !== "https:") throw new Error(`${what} "${url}" must use https: bearer tokens are never sent over plain http.`);
  return url;
}

export function createBlockBlobClient(url: string, options: BlobClientOptions): BlockBlobClient {
  const u = new URL(httpsUrl(url, "Blob URL"));
  if (u.pathname.replace(/^\/+/, "").split("/").filter((s) => s !== "").length < 2) throw new Error(`Blob URL "${url}" has no container and blob name in its path.`);
  return new BlockBlobClient(url, pipeline(options));
}

export function createContainerClient(url: string, options: BlobClientOptions): ContainerClient {
  return new ContainerClient(httpsUrl(url, "Container URL"), pipeline(options));
}
