/**
 * Uploading a local file as a block blob, and deleting it, with a Microsoft Entra ID bearer
 * token instead of the account key. The stack's storage account has `allowSharedKeyAccess:
 * false`, which azure-native's `storage.Blob` cannot write to (pulumi/pulumi-azure-native#2015:
 * it signs with the account key), so `BlobUpload` (blobUploadResource.ts) uses this instead.
 *
 * One Put Blob request per attempt, the file streamed from disk (never read whole into
 * memory). `Expect: 100-continue` is sent, so when Storage refuses the request (403 while a
 * role assignment propagates, 503 when busy) it says so before the body is sent, instead of
 * after gigabytes. Retries are owned here, with an injectable sleep and clock, so every wait
 * counts against one deadline and tests need no real waiting:
 *  - 403 AuthorizationPermissionMismatch: the identity has no data-plane role (yet). Role
 *    assignments take minutes to propagate, so it is retried with back-off for a bounded
 *    time, then fails with a message naming the role to grant and how;
 *  - 408/429/500/502/503/504 and dropped connections: retried, honouring Retry-After.
 *
 * Pure of Pulumi and of `@azure/identity`: the token comes from a function the caller
 * passes. Uses Node's `https` directly (named imports only, so Pulumi's closure serializer
 * emits `require("https")` instead of copying a module object into the provider).
 */
import { createHash } from "node:crypto";
import { createReadStream, stat } from "node:fs";
import type { ReadStream } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { request } from "node:https";
import { parseRetryAfterMs } from "./errors";

/** Storage REST version sent on every request (Put Blob accepts 5000 MiB from 2019-12-12 on). */
export const BLOB_API_VERSION = "2023-11-03";
/** The largest body one Put Blob request accepts for {@link BLOB_API_VERSION}: 5000 MiB. */
export const MAX_PUT_BLOB_BYTES = 5000 * 1024 * 1024;
/** Entra ID scope for Azure Storage data-plane tokens (the same in every cloud). */
export const STORAGE_SCOPE = "https://storage.azure.com/.default";
/** The data-plane role the deploying identity needs to write and delete blobs. */
export const BLOB_WRITER_ROLE = "Storage Blob Data Contributor";
/** Default bound on all retrying for one upload or delete: role assignments can take ~10 minutes to propagate. */
export const DEFAULT_BLOB_MAX_WAIT_MS = 10 * 60 * 1000;

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

/**
 * `https://<account>.blob.<suffix>/<container>/<blob>`, or `<endpoint>/<container>/<blob>` when a
 * blob service endpoint is given (tests, private endpoints with custom DNS). Each `/`-separated
 * segment of the blob name is percent-encoded; `/` stays a virtual directory separator.
 */
export function blobUrl(parts: { accountName: string; containerName: string; blobName: string; endpointSuffix?: string; endpoint?: string }): string {
  const base =
    parts.endpoint !== undefined && parts.endpoint !== ""
      ? parts.endpoint.replace(/\/+$/, "")
      : `https://${parts.accountName}.blob.${(parts.endpointSuffix ?? "core.windows.net").replace(/^\.+/, "")}`;
  const blob = parts.blobName.split("/").map(encodeURIComponent).join("/");
  return `${base}/${encodeURIComponent(parts.containerName)}/${blob}`;
}

/** Where a blob lives, read back from its URL (for messages and role-assignment scopes). */
export function describeBlobUrl(url: string): { accountName: string; containerName: string; blobName: string } {
  const u = new URL(url);
  const [container = "", ...rest] = u.pathname.replace(/^\/+/, "").split("/");
  return { accountName: u.hostname.split(".")[0] ?? u.hostname, containerName: decodeURIComponent(container), blobName: rest.map(decodeURIComponent).join("/") };
}

/** A Storage request that failed for good; `errorCode` is Storage's `x-ms-error-code`. */
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

/** The identity has no data-plane permission on the blob, still after the bounded wait. */
export class BlobPermissionError extends BlobRequestError {
  constructor(url: string, operation: "upload" | "delete", waitedMs: number, detail: string) {
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

export interface BlobRequestOptions {
  /** `https://<account>.blob.<suffix>/<container>/<blob>`. */
  url: string;
  /** A bearer token for {@link STORAGE_SCOPE}; called before every attempt (credentials cache tokens). */
  token: () => Promise<string>;
  /** PEM certificates to trust instead of the system's CAs (a test server, a TLS-intercepting proxy). */
  trustedCaPem?: string;
  /** Bound on all retrying, in ms. Default {@link DEFAULT_BLOB_MAX_WAIT_MS}. */
  maxWaitMs?: number;
  /** First back-off step; doubles up to {@link maxDelayMs}. Default 5 s. */
  initialDelayMs?: number;
  /** Cap on one back-off step (a longer Retry-After is still honoured). Default 30 s. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Abort an attempt when the socket is idle this long, in ms. Default 120 s. */
  idleTimeoutMs?: number;
}

export interface UploadBlobOptions extends BlobRequestOptions {
  filePath: string;
  /** Sent as `x-ms-blob-content-type` (the Content-Type Storage serves the blob with). */
  contentType: string;
  /** User metadata, sent as `x-ms-meta-<key>`: keys must be C# identifiers, values printable ASCII. */
  metadata?: Readonly<Record<string, string>>;
  /** How long to wait for `100 Continue` before sending the body anyway, in ms. Default 3 s. */
  continueTimeoutMs?: number;
}

export interface UploadBlobResult {
  url: string;
  /** The new blob's ETag, for a later conditional delete. */
  etag?: string;
  sizeBytes: number;
  /** SHA-256 (hex) of the bytes actually sent. */
  sha256: string;
  attempts: number;
}

export interface DeleteBlobOptions extends BlobRequestOptions {
  /** Delete only while the blob still has this ETag; a 412 (it was overwritten since) counts as done. */
  ifMatch?: string;
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "ECONNABORTED", "BLOB_IDLE_TIMEOUT"]);

interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface FileBody {
  filePath: string;
  size: number;
  hash: { value?: string };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Storage's error code and message, from `x-ms-error-code` and the XML `<Error>` body. */
function storageError(res: HttpResult): { code?: string; message: string } {
  const xmlCode = /<Code>([^<]*)<\/Code>/.exec(res.body)?.[1];
  const xmlMessage = /<Message>([^<]*)<\/Message>/.exec(res.body)?.[1];
  const code = header(res.headers, "x-ms-error-code") ?? xmlCode;
  const message = (xmlMessage ?? res.body.trim().slice(0, 500)) || `HTTP ${res.status}`;
  return { code, message: message.replace(/\s+/g, " ").trim() };
}

function hint(status: number, code: string | undefined): string {
  if (status === 401) return " Check the ARM_* credentials (or `az login`) and that ARM_TENANT_ID is the storage account's tenant.";
  if (status === 403 && code === "AuthorizationFailure")
    return " The storage account's network rules (firewall, public network access disabled or private endpoints) do not admit the machine running `pulumi up`.";
  if (status === 404 && code === "ContainerNotFound") return " Create the container first (make the BlobUpload depend on it).";
  return "";
}

/** One HTTPS exchange. With a file body, the body is streamed (after `100 Continue`, or after a timeout without one). */
function send(url: URL, method: string, headers: Record<string, string>, body: FileBody | undefined, options: BlobRequestOptions & { continueTimeoutMs?: number }): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve, reject) => {
    let settled = false;
    let file: ReadStream | undefined;
    let bodyStarted = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: Error | undefined, result?: HttpResult) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (file !== undefined) {
        file.unpipe();
        file.destroy();
      }
      if (err !== undefined) reject(err);
      else resolve(result!);
    };
    // A fresh connection per attempt (no keep-alive): a refused upload leaves the connection
    // mid-request, and the CA option is per request.
    const req = request(url, { method, headers, agent: false, ...(options.trustedCaPem !== undefined ? { ca: options.trustedCaPem } : {}) });
    const startBody = () => {
      if (bodyStarted || settled) return;
      bodyStarted = true;
      if (timer !== undefined) clearTimeout(timer);
      if (body === undefined || body.size === 0) {
        if (body !== undefined) body.hash.value = createHash("sha256").digest("hex");
        req.end();
        return;
      }
      const hash = createHash("sha256");
      let sent = 0;
      file = createReadStream(body.filePath, { start: 0, end: body.size - 1, highWaterMark: 1024 * 1024 });
      file.on("data", (chunk) => {
        sent += chunk.length;
        hash.update(chunk);
      });
      file.on("end", () => {
        if (sent !== body.size) {
          req.destroy();
          finish(new BlobRequestError(`${body.filePath} shrank from ${body.size} to ${sent} bytes while it was being uploaded; upload it again once it is no longer being written.`, undefined, undefined));
        } else {
          body.hash.value = hash.digest("hex");
        }
      });
      file.on("error", (err) => {
        req.destroy();
        finish(new BlobRequestError(`Reading ${body.filePath} failed: ${err.message}`, undefined, undefined));
      });
      file.pipe(req);
    };
    req.setTimeout(options.idleTimeoutMs ?? 120_000, () => {
      const err = Object.assign(new Error(`No progress for ${Math.round((options.idleTimeoutMs ?? 120_000) / 1000)}s talking to ${url.host}`), { code: "BLOB_IDLE_TIMEOUT" });
      req.destroy(err);
    });
    req.on("continue", startBody);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        // The server answered before taking the whole body (a refusal after Expect): drop the connection.
        if (!req.writableFinished) req.destroy();
      });
      res.on("error", (err) => finish(err));
    });
    req.on("error", (err) => finish(err));
    if (body !== undefined && headers.Expect === "100-continue") {
      timer = setTimeout(startBody, options.continueTimeoutMs ?? 3000);
      req.flushHeaders();
    } else {
      startBody();
    }
  });
}

type Attempt = { kind: "done"; res: HttpResult } | { kind: "retry"; why: string; retryAfterMs?: number; permission?: string } | { kind: "fail"; err: Error };

/** Runs attempts until one is done or fails, waiting between retryable ones; all waits count against one deadline. */
async function withRetries(options: BlobRequestOptions, operation: "upload" | "delete", attempt: () => Promise<Attempt>): Promise<{ res: HttpResult; attempts: number }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_BLOB_MAX_WAIT_MS;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let delay = options.initialDelayMs ?? 5_000;
  const start = now();
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt();
    if (outcome.kind === "done") return { res: outcome.res, attempts };
    if (outcome.kind === "fail") throw outcome.err;
    const waited = now() - start;
    const remaining = maxWaitMs - waited;
    const wait = outcome.retryAfterMs ?? Math.min(delay, maxDelayMs);
    if (remaining <= 0 || (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > remaining)) {
      if (outcome.permission !== undefined) throw new BlobPermissionError(options.url, operation, waited, outcome.permission);
      const asked = outcome.retryAfterMs !== undefined && outcome.retryAfterMs > remaining ? ` (Storage asked to wait ${Math.round(outcome.retryAfterMs / 1000)}s more)` : "";
      throw new BlobRequestError(
        `Gave up ${operation === "upload" ? "uploading" : "deleting"} ${options.url} after ${attempts} attempt(s) in ${Math.round(waited / 1000)}s${asked}: ${outcome.why}. Run \`pulumi up\` again later.`,
        undefined,
        undefined,
      );
    }
    await sleep(Math.min(wait, outcome.retryAfterMs !== undefined ? wait : remaining));
    if (outcome.retryAfterMs === undefined) delay = Math.min(delay * 2, maxDelayMs);
  }
}

/** Classifies an attempt's response or error (shared by upload and delete). */
function classify(res: HttpResult | undefined, err: unknown, ok: (status: number, code: string | undefined) => boolean, operation: "upload" | "delete", url: string, now: number): Attempt {
  if (res === undefined) {
    const code = (err as { code?: unknown })?.code;
    if (err instanceof BlobRequestError) return { kind: "fail", err };
    const message = err instanceof Error ? err.message : String(err);
    if (typeof code === "string" && RETRYABLE_NETWORK_CODES.has(code)) return { kind: "retry", why: `${code}: ${message}` };
    return { kind: "fail", err: new BlobRequestError(`${operation === "upload" ? "Uploading" : "Deleting"} ${url} failed: ${message}`, undefined, typeof code === "string" ? code : undefined) };
  }
  const { code, message } = storageError(res);
  if (ok(res.status, code)) return { kind: "done", res };
  const headers = { get: (name: string) => header(res.headers, name) };
  if (res.status === 403 && code === "AuthorizationPermissionMismatch") return { kind: "retry", why: `HTTP 403 ${code}: ${message}`, permission: message };
  if (RETRYABLE_STATUSES.has(res.status)) return { kind: "retry", why: `HTTP ${res.status}${code ? ` ${code}` : ""}: ${message}`, retryAfterMs: parseRetryAfterMs(headers, now) };
  return {
    kind: "fail",
    err: new BlobRequestError(`${operation === "upload" ? "Uploading" : "Deleting"} ${url} failed with HTTP ${res.status}${code ? ` (${code})` : ""}: ${message}${hint(res.status, code)}`, res.status, code),
  };
}

function validateMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new BlobRequestError(`Blob metadata key "${key}" is not allowed: keys must be C# identifiers (letters, digits, _; not starting with a digit).`, undefined, undefined);
    if (!/^[\x20-\x7e]*$/.test(value)) throw new BlobRequestError(`Blob metadata value for "${key}" is not allowed: values must be printable ASCII.`, undefined, undefined);
    headers[`x-ms-meta-${key}`] = value.trim();
  }
  return headers;
}

function fileSize(filePath: string): Promise<number> {
  return new Promise((resolve, reject) =>
    stat(filePath, (err, st) => {
      if (err) reject(new BlobRequestError(`Cannot upload ${filePath}: ${err.message}`, undefined, err.code));
      else if (!st.isFile()) reject(new BlobRequestError(`Cannot upload ${filePath}: it is not a regular file.`, undefined, undefined));
      else resolve(st.size);
    }),
  );
}

function parseHttpsUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BlobRequestError(`Blob URL "${url}" is not a URL; expected https://<account>.blob.core.windows.net/<container>/<blob>.`, undefined, undefined);
  }
  if (u.protocol !== "https:") throw new BlobRequestError(`Blob URL "${url}" must use https: bearer tokens are never sent over plain http.`, undefined, undefined);
  if (u.pathname.replace(/^\/+/, "").split("/").length < 2) throw new BlobRequestError(`Blob URL "${url}" has no container and blob name in its path.`, undefined, undefined);
  return u;
}

/** Streams `filePath` to `url` as a block blob (one Put Blob request per attempt), with retries as described above. */
export async function uploadBlob(options: UploadBlobOptions): Promise<UploadBlobResult> {
  const url = parseHttpsUrl(options.url);
  const metaHeaders = validateMetadata(options.metadata ?? {});
  const size = await fileSize(options.filePath);
  if (size > MAX_PUT_BLOB_BYTES) {
    throw new BlobRequestError(
      `${options.filePath} is ${size} bytes (${(size / 1024 ** 3).toFixed(2)} GiB), more than the ${MAX_PUT_BLOB_BYTES} bytes (5000 MiB) one Put Blob request accepts. ` +
        `Split it into smaller files, or upload it out of band with a block-list uploader (e.g. \`azcopy copy\` or \`az storage blob upload --auth-mode login\`).`,
      undefined,
      undefined,
    );
  }
  const now = options.now ?? Date.now;
  const body: FileBody = { filePath: options.filePath, size, hash: {} };
  const { res, attempts } = await withRetries(options, "upload", async () => {
    let res: HttpResult | undefined;
    let err: unknown;
    try {
      const token = await options.token();
      body.hash = {};
      res = await send(
        url,
        "PUT",
        {
          "x-ms-version": BLOB_API_VERSION,
          "x-ms-blob-type": "BlockBlob",
          "x-ms-blob-content-type": options.contentType,
          "x-ms-date": new Date().toUTCString(),
          ...metaHeaders,
          "Content-Length": String(size),
          Authorization: `Bearer ${token}`,
          ...(size > 0 ? { Expect: "100-continue" } : {}),
        },
        body,
        options,
      );
    } catch (e) {
      err = e;
    }
    return classify(res, err, (status) => status === 201, "upload", options.url, now());
  });
  if (body.hash.value === undefined) throw new BlobRequestError(`Storage accepted ${options.url} before the whole file was sent; not trusting that upload.`, res.status, undefined);
  const etag = header(res.headers, "etag");
  return { url: options.url, ...(etag !== undefined ? { etag } : {}), sizeBytes: size, sha256: body.hash.value, attempts };
}

/** Deletes the blob (and its snapshots). A 404 means it is already gone; with `ifMatch`, a 412 means someone overwrote it since, so it is not ours to delete. */
export async function deleteBlob(options: DeleteBlobOptions): Promise<{ deleted: boolean }> {
  const url = parseHttpsUrl(options.url);
  const now = options.now ?? Date.now;
  const gone = (status: number, code: string | undefined) =>
    status === 404 && (code === undefined || code === "BlobNotFound" || code === "ContainerNotFound" || code === "ResourceNotFound");
  const { res } = await withRetries(options, "delete", async () => {
    let res: HttpResult | undefined;
    let err: unknown;
    try {
      const token = await options.token();
      res = await send(
        url,
        "DELETE",
        {
          "x-ms-version": BLOB_API_VERSION,
          "x-ms-date": new Date().toUTCString(),
          "x-ms-delete-snapshots": "include",
          ...(options.ifMatch !== undefined ? { "If-Match": options.ifMatch } : {}),
          "Content-Length": "0",
          Authorization: `Bearer ${token}`,
        },
        undefined,
        options,
      );
    } catch (e) {
      err = e;
    }
    return classify(res, err, (status, code) => status === 202 || status === 200 || gone(status, code) || (status === 412 && options.ifMatch !== undefined), "delete", options.url, now());
  });
  return { deleted: res.status === 202 || res.status === 200 };
}

/** SHA-256 (hex) of a file, streamed. */
export function sha256File(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(filePath, { highWaterMark: 1024 * 1024 })
      .on("data", (c) => hash.update(c))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", (e) => reject(new BlobRequestError(`Reading ${filePath} failed: ${e.message}`, undefined, undefined)));
  });
}
