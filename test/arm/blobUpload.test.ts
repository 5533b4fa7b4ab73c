/**
 * uploadBlob / deleteBlob / getBlobProperties through the real @azure/storage-blob clients,
 * against a local HTTPS server that answers like the Blob service (fakeBlob.ts): real TLS, real
 * requests, real XML errors. Only the token credential and the clock are stand-ins.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blobUrl, storageEndpointSuffix } from "../../arm/blobClient";
import { BlobPermissionError, BlobRequestError } from "../../arm/blobRetry";
import { deleteBlob, getBlobProperties, uploadBlob } from "../../arm/blobUpload";
import { fakeClock, fakeCredential, FAKE_TOKEN } from "./fakeArm";
import { startFakeBlob, storageError } from "./fakeBlob";
import type { FakeBlob } from "./fakeBlob";

const MiB = 1024 * 1024;
let blob: FakeBlob;
let clock: ReturnType<typeof fakeClock>;
let dir: string;
let big: string;
let small: string;
let bigContent: Buffer;
let smallContent: Buffer;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "blob-upload-test-"));
  bigContent = randomBytes(5 * MiB + 123); // 6 blocks of 1 MiB, the last one short
  smallContent = Buffer.from('{"messages":[{"role":"user","content":"hi"}]}\n'.repeat(100));
  big = join(dir, "train.jsonl");
  small = join(dir, "small.jsonl");
  writeFileSync(big, bigContent);
  writeFileSync(small, smallContent);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  blob = await startFakeBlob();
  clock = fakeClock();
});
afterEach(() => blob.close());

const path = "/datasets/llama/train%201.jsonl";
const url = () => `${blob.endpoint}${path}`;
// storage-blob's own per-request retries keep their real (tiny here) delays; the outer loop uses the fake clock.
const common = () => ({ url: url(), credential: fakeCredential, trustedCaPem: blob.caPem, retryDelayMs: 1, sleep: clock.sleep, now: clock.now });
const ops = () => blob.requests.map((r) => r.op);

describe("uploadBlob", () => {
  test("a small file is one Put Blob with the token, content type, metadata and a Content-MD5 the service checks", async () => {
    const result = await uploadBlob({ ...common(), filePath: small, contentType: "application/jsonl", metadata: { sha256: sha(smallContent), source: "cli" }, expectedSha256: sha(smallContent) });
    expect(ops()).toEqual(["PutBlob"]);
    const req = blob.requests[0]!;
    expect(req).toMatchObject({ method: "PUT", path });
    expect(req.headers).toMatchObject({
      authorization: `Bearer ${FAKE_TOKEN}`,
      "x-ms-blob-type": "BlockBlob",
      "x-ms-blob-content-type": "application/jsonl",
      "x-ms-meta-sha256": sha(smallContent),
      "x-ms-meta-source": "cli",
      "content-md5": md5(smallContent),
    });
    expect(req.headers["x-ms-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(blob.blobs.get(path)!.content.equals(smallContent)).toBe(true);
    expect(result).toMatchObject({ url: url(), sizeBytes: smallContent.length, sha256: sha(smallContent), contentMd5: md5(smallContent), blocks: 0, attempts: 1 });
    expect(result.etag).toBe(blob.blobs.get(path)!.etag);
  });

  test("a larger file is staged as blocks in parallel (each with its own Content-MD5) and committed once, in order", async () => {
    const result = await uploadBlob({ ...common(), filePath: big, contentType: "application/jsonl", blockSize: MiB, concurrency: 3, expectedSha256: sha(bigContent) });
    expect(ops()).toEqual(["PutBlock", "PutBlock", "PutBlock", "PutBlock", "PutBlock", "PutBlock", "PutBlockList"]);
    for (const r of blob.requests.filter((x) => x.op === "PutBlock")) expect(r.headers["content-md5"]).toBe(md5(r.body));
    const stored = blob.blobs.get(path)!;
    expect(stored.content.equals(bigContent)).toBe(true);
    expect(stored).toMatchObject({ contentType: "application/jsonl", contentMd5: md5(bigContent) });
    expect(result).toMatchObject({ sizeBytes: bigContent.length, sha256: sha(bigContent), blocks: 6, attempts: 1, etag: stored.etag });
    expect(blob.maxConcurrent).toBeGreaterThan(1);
    expect(blob.maxConcurrent).toBeLessThanOrEqual(3);
  });

  test("an empty file is a zero-length Put Blob", async () => {
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "");
    const result = await uploadBlob({ ...common(), filePath: empty, contentType: "application/jsonl", expectedSha256: sha(Buffer.alloc(0)) });
    expect(ops()).toEqual(["PutBlob"]);
    expect(blob.requests[0]!.headers["content-length"]).toBe("0");
    expect(blob.blobs.get(path)!.content.length).toBe(0);
    expect(result).toMatchObject({ sizeBytes: 0, sha256: sha(Buffer.alloc(0)), blocks: 0 });
  });

  test("a file whose bytes no longer match the expected SHA-256 is never committed", async () => {
    const wrong = "0".repeat(64);
    await expect(uploadBlob({ ...common(), filePath: small, contentType: "x/y", expectedSha256: wrong })).rejects.toThrow(/changed since it was checked.*Nothing was replaced/);
    await expect(uploadBlob({ ...common(), filePath: big, contentType: "x/y", blockSize: MiB, expectedSha256: wrong })).rejects.toThrow(/changed since it was checked/);
    expect(ops()).not.toContain("PutBlob");
    expect(ops()).not.toContain("PutBlockList");
    expect(blob.blobs.size).toBe(0);
  });

  test("403 AuthorizationPermissionMismatch is waited out with back-off while the role assignment propagates", async () => {
    blob.script.PutBlob = [storageError(403, "AuthorizationPermissionMismatch"), storageError(403, "AuthorizationPermissionMismatch")];
    const result = await uploadBlob({ ...common(), filePath: small, contentType: "application/jsonl" });
    expect(result.attempts).toBe(3);
    expect(clock.sleeps).toEqual([5000, 10000]);
    expect(blob.blobs.get(path)!.content.equals(smallContent)).toBe(true);
  });

  test("403 AuthorizationPermissionMismatch for the whole wait fails naming the role and how to grant it", async () => {
    blob.always = storageError(403, "AuthorizationPermissionMismatch");
    const failure = await uploadBlob({ ...common(), filePath: big, contentType: "text/plain", blockSize: MiB, maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BlobPermissionError);
    const message = (failure as Error).message;
    expect(message).toContain("Storage Blob Data Contributor");
    expect(message).toContain("az role assignment create");
    expect(message).toContain('container "datasets"');
    expect(message).toContain("/blobServices/default/containers/datasets");
    expect(message).toContain("This request is not authorized to perform this operation using this permission.");
    // Back-off 5, 10, 20, then capped by what is left of the 60 s.
    expect(clock.sleeps).toEqual([5000, 10000, 20000, 25000]);
    expect(blob.blobs.size).toBe(0);
  });

  test("storage-blob retries a 503 by itself; one that persists is waited out honouring Retry-After", async () => {
    blob.script.PutBlob = [storageError(503, "ServerBusy")];
    await uploadBlob({ ...common(), filePath: small, contentType: "application/jsonl" });
    expect(ops()).toEqual(["PutBlob", "PutBlob"]); // the SDK's own retry, no outer wait
    expect(clock.sleeps).toEqual([]);

    const busy = storageError(503, "ServerBusy", { "retry-after": "7" });
    blob.script.PutBlob = [busy, busy, busy, busy];
    const result = await uploadBlob({ ...common(), filePath: small, contentType: "application/jsonl" });
    expect(result.attempts).toBe(2);
    expect(clock.sleeps).toEqual([7000]);
  });

  test("429 honours Retry-After; a Retry-After beyond the deadline gives up at once", async () => {
    blob.script.PutBlob = [storageError(429, "TooManyRequests", { "retry-after": "2" })];
    await uploadBlob({ ...common(), filePath: small, contentType: "application/jsonl" });
    expect(clock.sleeps).toEqual([2000]);

    blob.script.PutBlob = [storageError(429, "TooManyRequests", { "retry-after": "3600" })];
    const failure = await uploadBlob({ ...common(), filePath: small, contentType: "application/jsonl", maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/Gave up uploading .*Storage asked to wait 3600s more.*HTTP 429 \(TooManyRequests\)/);
  });

  test("a block damaged in transit (Md5Mismatch) and a missing container fail with Storage's code and a hint", async () => {
    blob.script.PutBlock = ["pass", storageError(400, "Md5Mismatch")];
    const damaged = await uploadBlob({ ...common(), filePath: big, contentType: "x/y", blockSize: MiB, concurrency: 1 }).catch((e: unknown) => e);
    expect(damaged).toMatchObject({ statusCode: 400, errorCode: "Md5Mismatch" });
    expect((damaged as Error).message).toMatch(/did not match.*damaged in transit/);
    expect(ops()).not.toContain("PutBlockList");

    blob.missingContainers.add("datasets");
    const missing = await uploadBlob({ ...common(), filePath: small, contentType: "x/y" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BlobRequestError);
    expect(missing).toMatchObject({ statusCode: 404, errorCode: "ContainerNotFound" });
    expect((missing as Error).message).toContain("Create the container first");
  });

  test("refuses plain http and bad metadata keys before sending anything", async () => {
    await expect(uploadBlob({ ...common(), url: "http://127.0.0.1/c/b", filePath: small, contentType: "x/y" })).rejects.toThrow(/must use https/);
    await expect(uploadBlob({ ...common(), filePath: small, contentType: "x/y", metadata: { "bad-key": "v" } })).rejects.toThrow(/C# identifiers/);
    expect(blob.requests).toEqual([]);
  });

  test("trusts the test server only through the SDK's TLS option: without it the certificate is refused", async () => {
    const { trustedCaPem: _ignored, ...untrusted } = common();
    await expect(uploadBlob({ ...untrusted, filePath: small, contentType: "x/y", maxWaitMs: 0 })).rejects.toThrow(/certificate/i);
    expect(blob.requests).toEqual([]);
  });
});

describe("deleteBlob and getBlobProperties", () => {
  test("deletes only while the blob still has the ETag this upload wrote", async () => {
    const first = await uploadBlob({ ...common(), filePath: small, contentType: "x/y" });
    const second = await uploadBlob({ ...common(), filePath: small, contentType: "x/y" }); // a newer upload to the same URL
    expect(second.etag).not.toBe(first.etag);
    await expect(deleteBlob({ ...common(), ifMatch: first.etag! })).resolves.toEqual({ deleted: false });
    expect(blob.blobs.has(path)).toBe(true);
    expect(blob.requests.at(-1)!.headers).toMatchObject({ "if-match": first.etag, "x-ms-delete-snapshots": "include" });
    await expect(deleteBlob({ ...common(), ifMatch: second.etag! })).resolves.toEqual({ deleted: true });
    expect(blob.blobs.has(path)).toBe(false);
    await expect(deleteBlob(common())).resolves.toEqual({ deleted: false }); // 404 BlobNotFound: already gone
  });

  test("delete retries 503 and a propagating 403 like uploads", async () => {
    await uploadBlob({ ...common(), filePath: small, contentType: "x/y" });
    const busy = storageError(503, "ServerBusy", { "retry-after": "1" });
    blob.script.DeleteBlob = [busy, busy, busy, busy, storageError(403, "AuthorizationPermissionMismatch")];
    await expect(deleteBlob(common())).resolves.toEqual({ deleted: true });
    expect(clock.sleeps).toEqual([1000, 5000]);
  });

  test("Get Blob Properties reads ETag, size, Content-MD5 and metadata; a missing blob is undefined", async () => {
    const up = await uploadBlob({ ...common(), filePath: small, contentType: "x/y", metadata: { sha256: "abc" } });
    await expect(getBlobProperties(common())).resolves.toEqual({ etag: up.etag, sizeBytes: smallContent.length, contentMd5: md5(smallContent), metadata: { sha256: "abc" } });
    expect(blob.requests.at(-1)!.method).toBe("HEAD");
    blob.blobs.clear();
    await expect(getBlobProperties(common())).resolves.toBeUndefined();
  });
});

describe("blobUrl", () => {
  test("builds account URLs per cloud and percent-encodes blob name segments", () => {
    expect(blobUrl({ accountName: "acct", containerName: "data", blobName: "a b/c#d.jsonl", endpointSuffix: storageEndpointSuffix("public") })).toBe(
      "https://acct.blob.core.windows.net/data/a%20b/c%23d.jsonl",
    );
    expect(blobUrl({ accountName: "acct", containerName: "data", blobName: "x", endpointSuffix: storageEndpointSuffix("china") })).toBe("https://acct.blob.core.chinacloudapi.cn/data/x");
    expect(blobUrl({ accountName: "acct", containerName: "data", blobName: "x", endpoint: "https://127.0.0.1:8443/" })).toBe("https://127.0.0.1:8443/data/x");
  });
});
