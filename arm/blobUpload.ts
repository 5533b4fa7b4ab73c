/**
 * Uploading a local file as a block blob, reading a blob's properties and deleting it, with a
 * Microsoft Entra ID token through `@azure/storage-blob` (blobClient.ts), for accounts with
 * shared key access off (which azure-native's `storage.Blob` cannot write to;
 * pulumi/pulumi-azure-native#2015).
 *
 * Upload: files up to one block are one Put Blob; larger ones are staged as blocks in parallel
 * and committed with one Put Block List (Learn: "Put Block", "Put Block List",
 * rest/api/storageservices). The file is read once, in order, one block at a time (memory:
 * about `concurrency + 1` blocks), and every request carries the Content-MD5 of exactly the bytes
 * it sends, which the Blob service checks (400 Md5Mismatch otherwise); storage-blob's
 * `transactionalContentMD5` option. The SHA-256 of the bytes sent is compared with the expected
 * hash BEFORE the blob becomes visible (before Put Blob, or before Put Block List), so a file that
 * changed since it was validated never replaces the blob. storage-blob's `uploadFile` does the
 * staging by itself but only offers whole-transfer checks as the newer structured-message CRC64
 * (`contentChecksumAlgorithm`), not per-request MD5, and cannot hash what it sent; hence its
 * primitives (`upload`, `stageBlock`, `commitBlockList`) are used here.
 *
 * Retries: see blobRetry.ts. The token comes from the TokenCredential the caller passes.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import type { TokenCredential } from "@azure/identity";
import { createBlockBlobClient } from "./blobClient";
import type { BlobClientOptions } from "./blobClient";
import { BlobRequestError, withBlobRetries } from "./blobRetry";
import type { RetryOptions } from "./blobRetry";

/** Bytes per block (and the largest file sent as one Put Blob). */
export const DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
/** Blocks staged at once. */
export const DEFAULT_CONCURRENCY = 4;
/** A block blob has at most 50,000 committed blocks (Learn: "Put Block List"). */
export const MAX_BLOCKS = 50_000;

export interface BlobRequestOptions extends RetryOptions, Omit<BlobClientOptions, "credential"> {
  /** `https://<account>.blob.<suffix>/<container>/<blob>`. */
  url: string;
  credential: TokenCredential;
}

export interface UploadBlobOptions extends BlobRequestOptions {
  filePath: string;
  /** Stored as the blob's Content-Type. */
  contentType: string;
  /** User metadata (`x-ms-meta-<key>`): keys must be C# identifiers, values printable ASCII. */
  metadata?: Readonly<Record<string, string>>;
  /** Lower-case hex SHA-256 the bytes must have; checked before the blob becomes visible. */
  expectedSha256?: string;
  blockSize?: number;
  concurrency?: number;
}

export interface UploadBlobResult {
  url: string;
  /** The new blob's ETag, for a later conditional delete. */
  etag?: string;
  sizeBytes: number;
  /** SHA-256 (hex) of the bytes actually sent. */
  sha256: string;
  /** MD5 (base64) of the whole content, stored as the blob's Content-MD5. */
  contentMd5: string;
  /** 0 for a single Put Blob. */
  blocks: number;
  attempts: number;
}

function validateMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  for (const [key, value] of Object.entries(metadata)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new BlobRequestError(`Blob metadata key "${key}" is not allowed: keys must be C# identifiers (letters, digits, _; not starting with a digit).`, undefined, undefined);
    if (!/^[\x20-\x7e]*$/.test(value)) throw new BlobRequestError(`Blob metadata value for "${key}" is not allowed: values must be printable ASCII.`, undefined, undefined);
  }
  return { ...metadata };
}

async function fileSize(filePath: string): Promise<number> {
  let st;
  try {
    st = await stat(filePath);
  } catch (err) {
    throw new BlobRequestError(`Cannot upload ${filePath}: ${err instanceof Error ? err.message : String(err)}`, undefined, (err as { code?: string }).code);
  }
  if (!st.isFile()) throw new BlobRequestError(`Cannot upload ${filePath}: it is not a regular file.`, undefined, undefined);
  return st.size;
}

/** Block ids must all have the same length within a blob (Learn: "Put Block"). */
function blockId(i: number): string {
  return Buffer.from(`llft-block-${i.toString().padStart(6, "0")}`).toString("base64");
}

/** One upload attempt: reads the file in order, stages blocks `concurrency` at a time, commits only if the hash matches. */
async function uploadOnce(options: UploadBlobOptions, size: number, metadata: Record<string, string>): Promise<Omit<UploadBlobResult, "attempts">> {
  const client = createBlockBlobClient(options.url, options);
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  const changed = (sent: string) =>
    new BlobRequestError(
      `${options.filePath} changed since it was checked: the bytes read have SHA-256 ${sent}, expected ${options.expectedSha256}. Nothing was replaced; run again once the file is no longer being written.`,
      undefined,
      "ContentChanged",
    );
  const file = await open(options.filePath, "r");
  try {
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await file.read(buf, 0, length, position);
      if (bytesRead !== length) throw new BlobRequestError(`${options.filePath} shrank while it was being uploaded; run again once it is no longer being written.`, undefined, "ContentChanged");
      sha.update(buf);
      md5.update(buf);
      return buf;
    };
    const headers = { blobContentType: options.contentType };
    if (size <= blockSize) {
      const body = await read(0, size);
      const sent = sha.digest("hex");
      if (options.expectedSha256 !== undefined && sent !== options.expectedSha256) throw changed(sent);
      const contentMd5 = md5.digest();
      const res = await client.upload(body, size, { blobHTTPHeaders: headers, metadata, transactionalContentMD5: contentMd5 });
      return { url: options.url, ...(res.etag ? { etag: res.etag } : {}), sizeBytes: size, sha256: sent, contentMd5: contentMd5.toString("base64"), blocks: 0 };
    }
    const count = Math.ceil(size / blockSize);
    const abort = new AbortController();
    const inFlight = new Set<Promise<void>>();
    let failed: unknown;
    for (let i = 0; i < count && failed === undefined; i++) {
      const block = await read(i * blockSize, Math.min(blockSize, size - i * blockSize));
      const p: Promise<void> = client
        .stageBlock(blockId(i), block, block.length, { transactionalContentMD5: createHash("md5").update(block).digest(), abortSignal: abort.signal })
        .then(
          () => undefined,
          (err: unknown) => {
            if (failed === undefined) failed = err;
            abort.abort();
          },
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= (options.concurrency ?? DEFAULT_CONCURRENCY)) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failed !== undefined) throw failed;
    const sent = sha.digest("hex");
    if (options.expectedSha256 !== undefined && sent !== options.expectedSha256) throw changed(sent);
    const contentMd5 = md5.digest();
    const ids = Array.from({ length: count }, (_, i) => blockId(i));
    const res = await client.commitBlockList(ids, { blobHTTPHeaders: { ...headers, blobContentMD5: contentMd5 }, metadata });
    return { url: options.url, ...(res.etag ? { etag: res.etag } : {}), sizeBytes: size, sha256: sent, contentMd5: contentMd5.toString("base64"), blocks: count };
  } finally {
    await file.close();
  }
}

/** Uploads `filePath` to `url` as a block blob, retrying whole attempts as blobRetry.ts describes. */
export async function uploadBlob(options: UploadBlobOptions): Promise<UploadBlobResult> {
  createBlockBlobClient(options.url, options); // validates the URL before anything is read
  const metadata = validateMetadata(options.metadata ?? {});
  const size = await fileSize(options.filePath);
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (Math.ceil(size / blockSize) > MAX_BLOCKS) {
    throw new BlobRequestError(
      `${options.filePath} is ${size} bytes, more than ${MAX_BLOCKS} blocks of ${blockSize} bytes (the most one block blob can hold at this block size). Split it into smaller files.`,
      undefined,
      undefined,
    );
  }
  const { value, attempts } = await withBlobRetries(options.url, "upload", options, () => uploadOnce(options, size, metadata));
  return { ...value, attempts };
}

/** Deletes the blob (and its snapshots). A 404 means it is already gone; with `ifMatch`, a 412 means someone overwrote it since, so it is not ours to delete. */
export async function deleteBlob(options: BlobRequestOptions & { ifMatch?: string }): Promise<{ deleted: boolean }> {
  const client = createBlockBlobClient(options.url, options);
  const gone = new Set(["BlobNotFound", "ContainerNotFound", "ResourceNotFound"]);
  const { value } = await withBlobRetries(
    options.url,
    "delete",
    options,
    async () => {
      await client.delete({ deleteSnapshots: "include", ...(options.ifMatch !== undefined ? { conditions: { ifMatch: options.ifMatch } } : {}) });
      return true;
    },
    (f) => ((f.statusCode === 404 && (f.code === undefined || gone.has(f.code))) || (f.statusCode === 412 && options.ifMatch !== undefined) ? false : undefined),
  );
  return { deleted: value };
}

/** Get Blob Properties (a HEAD): the blob's ETag, size and Content-MD5, or `undefined` when there is no such blob. */
export async function getBlobProperties(options: BlobRequestOptions): Promise<{ etag?: string; sizeBytes?: number; contentMd5?: string; metadata: Record<string, string> } | undefined> {
  const client = createBlockBlobClient(options.url, options);
  const { value } = await withBlobRetries(
    options.url,
    "read",
    options,
    async () => {
      const p = await client.getProperties();
      return {
        ...(p.etag ? { etag: p.etag } : {}),
        ...(p.contentLength !== undefined ? { sizeBytes: p.contentLength } : {}),
        ...(p.contentMD5 ? { contentMd5: Buffer.from(p.contentMD5).toString("base64") } : {}),
        metadata: p.metadata ?? {},
      };
    },
    (f) => (f.statusCode === 404 ? null : undefined),
  );
  return value ?? undefined;
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
