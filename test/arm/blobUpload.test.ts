/**
 * uploadBlob / deleteBlob against a real local HTTPS server that answers like Azure Storage
 * (fakeBlob.ts): real TLS, real streaming, real Expect/100-continue. Only the token and the
 * clock are stand-ins.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BLOB_API_VERSION, BlobPermissionError, BlobRequestError, blobUrl, deleteBlob, MAX_PUT_BLOB_BYTES, storageEndpointSuffix, uploadBlob } from "../../arm/blobUpload";
import { fakeClock } from "./fakeArm";
import { startFakeBlob, storageError } from "./fakeBlob";
import type { FakeBlob } from "./fakeBlob";

const TOKEN = "fake-storage-token";
let blob: FakeBlob;
let clock: ReturnType<typeof fakeClock>;
let dir: string;
let file: string;
let content: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "blob-upload-test-"));
  content = randomBytes(5 * 1024 * 1024 + 123); // a few MB, not a multiple of any chunk size
  file = join(dir, "train.jsonl");
  writeFileSync(file, content);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  blob = await startFakeBlob();
  clock = fakeClock();
});
afterEach(() => blob.close());

const url = () => `${blob.endpoint}/datasets/llama/train%201.jsonl`;
const common = () => ({ url: url(), token: async () => TOKEN, trustedCaPem: blob.caPem, sleep: clock.sleep, now: clock.now });

describe("uploadBlob", () => {
  test("streams the file in one Put Blob with the right method, path, headers and exact bytes", async () => {
    const result = await uploadBlob({ ...common(), filePath: file, contentType: "application/jsonl", metadata: { sha256: "abc", source: "cli" } });
    expect(blob.requests).toHaveLength(1);
    const req = blob.requests[0]!;
    expect(req.method).toBe("PUT");
    expect(req.path).toBe("/datasets/llama/train%201.jsonl");
    expect(req.headers).toMatchObject({
      "x-ms-version": BLOB_API_VERSION,
      "x-ms-blob-type": "BlockBlob",
      "x-ms-blob-content-type": "application/jsonl",
      "content-length": String(content.length),
      authorization: `Bearer ${TOKEN}`,
      "x-ms-meta-sha256": "abc",
      "x-ms-meta-source": "cli",
      expect: "100-continue",
    });
    expect(req.headers["transfer-encoding"]).toBeUndefined();
    expect(req.body.equals(content)).toBe(true);
    expect(result).toMatchObject({ url: url(), sizeBytes: content.length, attempts: 1, sha256: createHash("sha256").update(content).digest("hex") });
    expect(result.etag).toMatch(/^"0x8DC/);
    expect(clock.sleeps).toEqual([]);
  });

  test("an empty file is a zero-length Put Blob", async () => {
    const empty = join(dir, "empty.bin");
    writeFileSync(empty, "");
    const result = await uploadBlob({ ...common(), filePath: empty, contentType: "application/octet-stream" });
    expect(blob.requests[0]!.headers["content-length"]).toBe("0");
    expect(blob.requests[0]!.body.length).toBe(0);
    expect(result.sha256).toBe(createHash("sha256").digest("hex"));
  });

  test("retries 403 AuthorizationPermissionMismatch with back-off until the role has propagated, without sending the body meanwhile", async () => {
    blob.script.PUT = [storageError(403, "AuthorizationPermissionMismatch"), storageError(403, "AuthorizationPermissionMismatch"), { status: 201 }];
    const result = await uploadBlob({ ...common(), filePath: file, contentType: "application/jsonl" });
    expect(result.attempts).toBe(3);
    expect(clock.sleeps).toEqual([5000, 10000]);
    expect(blob.requests.map((r) => [r.bodyRequested, r.body.length])).toEqual([
      [false, 0],
      [false, 0],
      [true, content.length],
    ]);
    expect(blob.requests[2]!.body.equals(content)).toBe(true);
  });

  test("403 AuthorizationPermissionMismatch for the whole wait fails naming the role and how to grant it", async () => {
    blob.script.PUT = [storageError(403, "AuthorizationPermissionMismatch")];
    const failure = await uploadBlob({ ...common(), filePath: file, contentType: "text/plain", maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BlobPermissionError);
    const message = (failure as Error).message;
    expect(message).toContain("Storage Blob Data Contributor");
    expect(message).toContain("az role assignment create");
    expect(message).toContain('container "datasets"');
    expect(message).toContain("/blobServices/default/containers/datasets");
    expect(message).toContain("pulumi up");
    // Back-off 5, 10, 20, then capped by what is left of the 60 s.
    expect(clock.sleeps).toEqual([5000, 10000, 20000, 25000]);
    expect(blob.requests.every((r) => !r.bodyRequested)).toBe(true);
  });

  test("503 and 429 honour Retry-After (seconds)", async () => {
    blob.script.PUT = [storageError(503, "ServerBusy", { "retry-after": "7" }), storageError(429, "TooManyRequests", { "retry-after": "2" }), { status: 201 }];
    const result = await uploadBlob({ ...common(), filePath: file, contentType: "application/jsonl" });
    expect(result.attempts).toBe(3);
    expect(clock.sleeps).toEqual([7000, 2000]);
    expect(blob.requests[2]!.body.equals(content)).toBe(true);
  });

  test("500 without Retry-After backs off; a Retry-After beyond the deadline gives up at once", async () => {
    blob.script.PUT = [storageError(500, "InternalError"), { status: 201 }];
    await uploadBlob({ ...common(), filePath: file, contentType: "application/jsonl" });
    expect(clock.sleeps).toEqual([5000]);

    blob.script.PUT = [storageError(503, "ServerBusy", { "retry-after": "3600" })];
    const failure = await uploadBlob({ ...common(), filePath: file, contentType: "application/jsonl", maxWaitMs: 60_000 }).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/Gave up uploading .*Storage asked to wait 3600s more.*HTTP 503 ServerBusy/);
  });

  test("other errors fail at once with Storage's code and a hint", async () => {
    blob.script.PUT = [storageError(404, "ContainerNotFound")];
    const failure = await uploadBlob({ ...common(), filePath: file, contentType: "application/jsonl" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BlobRequestError);
    expect(failure).toMatchObject({ statusCode: 404, errorCode: "ContainerNotFound" });
    expect((failure as Error).message).toContain("Create the container first");
    expect(blob.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  test("refuses files over 5000 MiB before sending anything", async () => {
    const big = join(dir, "big.bin");
    const fd = openSync(big, "w");
    ftruncateSync(fd, MAX_PUT_BLOB_BYTES + 1); // sparse: no disk space used
    closeSync(fd);
    const failure = await uploadBlob({ ...common(), filePath: big, contentType: "application/octet-stream" }).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/more than the 5242880000 bytes \(5000 MiB\) one Put Blob request accepts/);
    expect(blob.requests).toEqual([]);
    rmSync(big);
  });

  test("refuses plain http and bad metadata keys before sending anything", async () => {
    await expect(uploadBlob({ ...common(), url: "http://127.0.0.1/c/b", filePath: file, contentType: "x/y" })).rejects.toThrow(/must use https/);
    await expect(uploadBlob({ ...common(), filePath: file, contentType: "x/y", metadata: { "bad-key": "v" } })).rejects.toThrow(/C# identifiers/);
    expect(blob.requests).toEqual([]);
  });

  test("does not trust the server's certificate without the CA option", async () => {
    const { trustedCaPem: _ignored, ...untrusted } = common();
    await expect(uploadBlob({ ...untrusted, filePath: file, contentType: "x/y" })).rejects.toThrow(/certificate/i);
  });
});

describe("deleteBlob", () => {
  test("sends DELETE with the token and version", async () => {
    await expect(deleteBlob(common())).resolves.toEqual({ deleted: true });
    expect(blob.requests).toHaveLength(1);
    expect(blob.requests[0]).toMatchObject({ method: "DELETE", path: "/datasets/llama/train%201.jsonl" });
    expect(blob.requests[0]!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, "x-ms-version": BLOB_API_VERSION, "x-ms-delete-snapshots": "include" });
  });

  test("404 BlobNotFound means already gone", async () => {
    blob.script.DELETE = [storageError(404, "BlobNotFound")];
    await expect(deleteBlob(common())).resolves.toEqual({ deleted: false });
  });

  test("with ifMatch, sends If-Match and treats 412 (overwritten since) as done", async () => {
    blob.script.DELETE = [storageError(412, "ConditionNotMet")];
    await expect(deleteBlob({ ...common(), ifMatch: '"0x8DC1"' })).resolves.toEqual({ deleted: false });
    expect(blob.requests[0]!.headers["if-match"]).toBe('"0x8DC1"');
  });

  test("retries 503 and 403 AuthorizationPermissionMismatch like uploads", async () => {
    blob.script.DELETE = [storageError(503, "ServerBusy", { "retry-after": "1" }), storageError(403, "AuthorizationPermissionMismatch"), { status: 202 }];
    await expect(deleteBlob(common())).resolves.toEqual({ deleted: true });
    expect(clock.sleeps).toEqual([1000, 5000]);
  });

  test("permission failure names the role", async () => {
    blob.script.DELETE = [storageError(403, "AuthorizationPermissionMismatch")];
    await expect(deleteBlob({ ...common(), maxWaitMs: 1000 })).rejects.toThrow(/Not allowed to delete blob "llama\/train 1.jsonl".*Storage Blob Data Contributor/s);
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
